"""service_interactions: customer contacts on every channel.

Customers with a bad service experience call more, complain more and get fewer answers; every account closed
for a service issue is preceded by unresolved complaints, and fee churners often asked about fees first.
Unresolved contacts are often followed within a week by a repeat contact about the same thing, which is what
makes first-contact resolution measurable.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.accounts import HIGH_FEES, SERVICE_ISSUE, Accounts
from generate.calendar import (MICROS_PER_DAY, EventCalendar, time_of_day, timestamps, weekday, year_of)
from generate.customers import CORPORATE, CustomerChunk
from generate.plan import Plan
from generate.products import Products
from generate.randomness import choose_by_group, rng_for
from generate.runs import run_starts
from generate.staff import SERVICE_AGENT, Staff
from warehouse.contract import RESOLUTION_STATUSES

REASONS = ("Account Inquiry", "Complaint", "Technical Support", "Fees", "Loan Question", "Card Issue",
           "Fraud Report")
INQUIRY, COMPLAINT, TECHNICAL, FEES, LOAN, CARD, FRAUD = range(len(REASONS))
CHANNELS = ("Phone", "Chat", "Email", "Branch", "Web")
PHONE, CHAT, EMAIL, BRANCH, WEB = range(len(CHANNELS))
RESOLVED, UNRESOLVED, ESCALATED = range(len(RESOLUTION_STATUSES))

CONTACTS_PER_MONTH = 0.1
POOR_SERVICE_CONTACTS = 2.5
REASON_WEIGHTS = np.array([
    [0.30, 0.10, 0.15, 0.10, 0.10, 0.15, 0.10],
    [0.22, 0.25, 0.22, 0.10, 0.07, 0.09, 0.05],  # customers with a bad service experience
])
MEDIAN_MINUTES = np.array([8.0, 12.0, 20.0, 15.0, 5.0])
MINUTES_BY_REASON = np.array([1.0, 1.6, 1.4, 1.0, 1.2, 1.0, 1.3])
RESOLUTION_WEIGHTS = np.array([
    [0.86, 0.09, 0.05],
    [0.55, 0.27, 0.18],  # complaints
    [0.50, 0.32, 0.18],  # anything from a customer with a bad service experience
])
REPEAT_CHANCE = np.array([0.04, 0.45, 0.30])  # by resolution of the first contact
SURVEY_ANSWERED = 0.55
OPEN_WINDOW_DAYS = 14  # unresolved contacts this recent may still be open
HOUR_WEIGHTS = np.array([0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 1.5, 4, 6, 6.5, 6.5,
                         6, 6.5, 6.5, 6, 5.5, 4.5, 3, 2, 1.5, 1, 0.5, 0.2])
PRODUCT_REASONS = np.isin(np.arange(len(REASONS)), [INQUIRY, COMPLAINT, FEES])


def _channel_weights(first_year: int, last_year: int) -> np.ndarray:
    """(year x digital-minded, channel) weights: chat and web grow, phone and branch shrink."""
    t = np.clip((np.arange(first_year, last_year + 1) - first_year) / 6, 0, 1.3)[:, None]
    base = np.hstack([0.45 - 0.15 * t, 0.10 + 0.15 * t, 0.15 - 0.03 * t, 0.20 - 0.10 * t, 0.10 + 0.13 * t])
    return np.vstack([base, base * np.array([0.6, 1.8, 1.0, 0.5, 1.8])])


class _Contacts:
    """Column arrays of contacts being assembled from the regular, churn-related and repeat contacts."""

    def __init__(self, **columns: np.ndarray):
        self.columns = columns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    @property
    def size(self) -> int:
        return next(iter(self.columns.values())).size

    def extend(self, other: "_Contacts") -> "_Contacts":
        return _Contacts(**{name: np.concatenate((values, other[name])) for name, values in self.columns.items()})


def build_service(plan: Plan, customers: CustomerChunk, accounts: Accounts, products: Products, staff: Staff,
                  first_number: int) -> pl.DataFrame:
    rng = rng_for(plan.seed, "service_interactions", customers.chunk)
    first_year = int(year_of(np.array([plan.history_start_day]))[0])
    channel_weights = _channel_weights(first_year, int(year_of(np.array([plan.end_day]))[0]))
    days = np.arange(plan.history_start_day, plan.end_day + 1)
    calendar = EventCalendar(days[0], days[-1], np.where(weekday(days) < 5, 1.0, 0.4))

    # Regular contacts.
    poor = customers.poor_service
    rate = CONTACTS_PER_MONTH * np.where(poor, POOR_SERVICE_CONTACTS, 1.0) \
        * np.clip(customers.age_at_end / 50, 0.6, 1.5) * np.where(customers.segment == CORPORATE, 1.5, 1.0)
    owner, day = calendar.draw(rng, customers.start_day, customers.end_day, rate)
    reason = choose_by_group(rng, REASON_WEIGHTS, poor[owner].astype(int))
    resolution = choose_by_group(rng, RESOLUTION_WEIGHTS,
                                 np.where(poor[owner], 2, np.where(reason == COMPLAINT, 1, 0)))
    product = _product_of_customer(rng, customers, accounts, owner)
    contacts = _Contacts(owner=owner, day=day, reason=reason, resolution=resolution,
                         product=np.where(PRODUCT_REASONS[reason] & (rng.random(owner.size) < 0.6), product, -1))

    # Before an account closes for a service issue the customer complained without a fix; fee churners often
    # asked about their fees first.
    exits = np.flatnonzero(accounts.closed & (accounts.churn_reason == SERVICE_ISSUE))
    exits = np.concatenate((exits, exits[rng.random(exits.size) < 0.5]))
    fee_exits = np.flatnonzero(accounts.closed & (accounts.churn_reason == HIGH_FEES))
    fee_exits = fee_exits[rng.random(fee_exits.size) < 0.4]
    for closed, reasons, resolutions in ((exits, [0, 0.6, 0.2, 0.2, 0, 0, 0], [0, 0.7, 0.3]),
                                         (fee_exits, [0, 0, 0, 1, 0, 0, 0], [0.4, 0.6, 0])):
        closer = accounts.owner[closed]
        before = np.maximum(accounts.close_day[closed] - rng.integers(3, 60, closed.size), customers.start_day[closer])
        contacts = contacts.extend(_Contacts(
            owner=closer, day=np.minimum(before, plan.end_day),
            reason=choose_by_group(rng, np.array([reasons]), np.zeros(closed.size, dtype=int)),
            resolution=choose_by_group(rng, np.array([resolutions]), np.zeros(closed.size, dtype=int)),
            product=accounts.product[closed],
        ))

    opened = timestamps(contacts["day"], time_of_day(rng, HOUR_WEIGHTS, contacts.size))
    # Repeat contacts: same customer, same reason, within a week; mostly by phone and mostly fixed this time.
    repeats = np.flatnonzero(rng.random(contacts.size) < REPEAT_CHANCE[contacts["resolution"]])
    repeat_opened = opened[repeats] + (rng.uniform(0.08, 7, repeats.size) * MICROS_PER_DAY).astype(np.int64)
    keep = repeat_opened < (plan.end_day + 1) * MICROS_PER_DAY
    repeats, repeat_opened = repeats[keep], repeat_opened[keep]
    first_contacts = contacts.size
    contacts = contacts.extend(_Contacts(
        owner=contacts["owner"][repeats], day=repeat_opened // MICROS_PER_DAY, reason=contacts["reason"][repeats],
        resolution=choose_by_group(rng, np.array([[0.7, 0.2, 0.1]]), np.zeros(repeats.size, dtype=int)),
        product=contacts["product"][repeats],
    ))
    opened = np.concatenate((opened, repeat_opened))
    n = contacts.size
    owner, reason, resolution = contacts["owner"], contacts["reason"], contacts["resolution"]

    year = np.clip(year_of(contacts["day"]) - first_year, 0, channel_weights.shape[0] // 2 - 1)
    digital_minded = customers.digital_affinity[owner] > 1.0
    channel = choose_by_group(rng, channel_weights, year + digital_minded * (channel_weights.shape[0] // 2))
    channel[first_contacts:] = np.where(rng.random(n - first_contacts) < 0.6, PHONE, channel[first_contacts:])

    minutes = MEDIAN_MINUTES[channel] * MINUTES_BY_REASON[reason] * np.exp(0.5 * rng.standard_normal(n))
    minutes = np.round(minutes, 1)
    handling = minutes * 60e6
    waiting = np.where(channel == EMAIL, rng.exponential(8 * 3600e6, n), 0.0) \
        + np.where(resolution == ESCALATED, rng.exponential(3 * MICROS_PER_DAY, n), 0.0)
    closed_at = opened + (handling + waiting).astype(np.int64)
    recent = opened >= (plan.end_day + 1 - OPEN_WINDOW_DAYS) * MICROS_PER_DAY
    still_open = (recent & (resolution != RESOLVED) & (rng.random(n) < 0.6)) \
        | (closed_at >= (plan.end_day + 1) * MICROS_PER_DAY)

    score = 4.4 - 1.1 * (reason == COMPLAINT) - 1.2 * (resolution == UNRESOLVED) - 0.7 * (resolution == ESCALATED) \
        - 0.05 * np.maximum(minutes - 15, 0) - 0.4 * customers.poor_service[owner] + 0.6 * rng.standard_normal(n)
    satisfaction = np.clip(np.round(score), 1, 5)

    agent = staff.pick(rng, SERVICE_AGENT, customers.region[owner], opened // MICROS_PER_DAY)
    self_service = (channel == WEB) & (rng.random(n) < 0.25)
    product = contacts["product"]
    return c.frame(
        "service_interactions",
        interaction_id=c.sequence_ids("SI", first_number, n, 9),
        customer_id=customers.ids.gather(owner),
        opened_at=c.datetimes(opened),
        closed_at=c.datetimes(closed_at, null=still_open),
        channel=c.labels(CHANNELS, channel),
        reason=c.labels(REASONS, reason),
        duration_minutes=c.doubles(minutes),
        satisfaction=c.doubles(satisfaction, null=rng.random(n) >= SURVEY_ANSWERED),
        resolution_status=c.labels(RESOLUTION_STATUSES, resolution),
        agent_id=c.strings(staff.ids.gather(agent), null=self_service),
        product_id=c.strings(products.ids.gather(np.maximum(product, 0)), null=product < 0),
    )


def _product_of_customer(rng: np.random.Generator, customers: CustomerChunk, accounts: Accounts,
                         owner: np.ndarray) -> np.ndarray:
    """One of the products each row's customer holds (accounts are stored grouped by customer)."""
    counts = np.bincount(accounts.owner, minlength=customers.size)
    return accounts.product[run_starts(counts)[owner] + (rng.random(owner.size) * counts[owner]).astype(np.int64)]
