"""engagement_events: digital sessions. Adoption rises every year, younger customers use digital channels more,
and the mobile app takes over from the desktop."""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import DAYS_PER_YEAR, EventCalendar, time_of_day, timestamps, weekday, year_of
from generate.customers import HIGH_NET_WORTH, CustomerChunk
from generate.plan import Plan
from generate.randomness import choose_by_group, rng_for

ACTIONS = ("View Balance", "Transfer", "Pay Bill", "Research Product", "Trade", "Update Profile", "Open Account")
DEVICES = ("Mobile App", "Desktop", "Tablet", "Voice Assistant")
MOBILE, DESKTOP, TABLET, VOICE = range(len(DEVICES))

SESSIONS_PER_MONTH = 0.7
SEGMENT_SESSIONS = np.array([1.0, 1.3, 1.2])
ADOPTION_GROWTH = 0.22  # more sessions per active customer every year
ACTION_WEIGHTS = np.array([
    [0.38, 0.18, 0.15, 0.10, 0.07, 0.07, 0.05],
    [0.30, 0.16, 0.10, 0.15, 0.21, 0.05, 0.03],  # wealthy customers research and trade
])
MEDIAN_SECONDS = np.array([45.0, 90.0, 120.0, 300.0, 240.0, 150.0, 480.0])
SECONDS_BY_DEVICE = np.array([0.7, 1.2, 1.0, 0.4])
ACTIONS_PER_SESSION = np.array([0.1, 1.1, 1.3, 0.2, 1.6, 1.0, 0.9])
HOUR_WEIGHTS = np.array([0.6, 0.3, 0.2, 0.1, 0.1, 0.3, 1.2, 3, 4, 4, 3.5, 3.5,
                         4.5, 4, 3.5, 3.5, 3.5, 4, 5, 5.5, 5.5, 4.5, 3, 1.5])


def _device_weights(first_year: int, last_year: int) -> np.ndarray:
    """(year x age group, device) weights; age groups: young, middle, older."""
    t = np.clip((np.arange(first_year, last_year + 1) - first_year) / 6, 0, 1.3)[:, None]
    base = np.hstack([0.45 + 0.27 * t, 0.45 - 0.25 * t, 0.08 - 0.03 * t, 0.02 + 0.01 * t])
    return np.vstack([base * np.array([1.5, 0.7, 0.8, 1.2]), base, base * np.array([0.6, 1.5, 1.4, 0.8])])


def build_engagement(plan: Plan, customers: CustomerChunk, first_number: int) -> pl.DataFrame:
    rng = rng_for(plan.seed, "engagement_events", customers.chunk)
    days = np.arange(plan.history_start_day, plan.end_day + 1)
    calendar = EventCalendar(days[0], days[-1], (1 + ADOPTION_GROWTH) ** ((days - days[0]) / DAYS_PER_YEAR)
                             * np.where(weekday(days) < 5, 1.0, 0.85))
    rate = SESSIONS_PER_MONTH * customers.digital_affinity * SEGMENT_SESSIONS[customers.segment]
    owner, day = calendar.draw(rng, customers.start_day, customers.end_day, rate)
    n = owner.size

    first_year = int(year_of(np.array([plan.history_start_day]))[0])
    device_weights = _device_weights(first_year, int(year_of(np.array([plan.end_day]))[0]))
    years = device_weights.shape[0] // 3
    age = customers.age_at_end[owner]
    age_group = np.where(age < 40, 0, np.where(age < 60, 1, 2))
    device = choose_by_group(rng, device_weights, age_group * years + year_of(day) - first_year)
    action = choose_by_group(rng, ACTION_WEIGHTS, (customers.tier[owner] >= HIGH_NET_WORTH).astype(int))
    seconds = MEDIAN_SECONDS[action] * SECONDS_BY_DEVICE[device] * np.exp(0.6 * rng.standard_normal(n))
    pages = np.where(device == VOICE, rng.integers(0, 2, n), 1 + rng.poisson(seconds / 40))
    return c.frame(
        "engagement_events",
        event_id=c.sequence_ids("EV", first_number, n, 10),
        customer_id=customers.ids.gather(owner),
        event_at=c.datetimes(timestamps(day, time_of_day(rng, HOUR_WEIGHTS, n))),
        action_type=c.labels(ACTIONS, action),
        device=c.labels(DEVICES, device),
        session_seconds=c.integers(np.maximum(np.round(seconds), 1)),
        pages_viewed=c.integers(pages),
        actions_taken=c.integers(rng.poisson(ACTIONS_PER_SESSION[action])),
    )
