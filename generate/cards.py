"""card_transactions and fraud_cases.

Each customer spends at their own rate (by segment and tier) while they are a customer; spending peaks in
December, bumps in summer and grows over the years, and moves online and contactless. A small share of
transactions, riskier ones more often, is flagged as possible fraud; confirmed fraud reverses the transaction.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import DAYS_PER_YEAR, EventCalendar, month_of_year, time_of_day, timestamps, weekday, year_of
from generate.customers import CustomerChunk
from generate.plan import Plan
from generate.randomness import choose_by_group, rng_for
from generate.revenue import Revenue
from warehouse.contract import CARD_STATUSES, FRAUD_STATUSES

CATEGORIES = ("Groceries", "Dining", "Travel", "Retail", "Fuel", "Entertainment", "Health", "Utilities",
              "Online Services")
GROCERIES, DINING, TRAVEL, RETAIL, FUEL, ENTERTAINMENT, HEALTH, UTILITIES, ONLINE_SERVICES = range(len(CATEGORIES))
CHANNELS = ("In-store", "Online", "Contactless", "ATM")
IN_STORE, ONLINE, CONTACTLESS, ATM = range(len(CHANNELS))
APPROVED, DECLINED, REVERSED = range(len(CARD_STATUSES))

TRANSACTIONS_PER_MONTH_BY_TIER = np.array([1.1, 1.45, 1.8, 2.2])
SEGMENT_SPEND = np.array([1.0, 1.5, 2.0])
AMOUNT_BY_TIER = np.array([0.8, 1.1, 1.6, 2.5])
CARD_HOLDER_SHARE = 0.88
MONTH_INTENSITY = np.array([0.85, 0.82, 0.95, 0.97, 1.0, 1.08, 1.12, 1.1, 0.97, 1.0, 1.1, 1.4])
WEEKDAY_INTENSITY = np.array([0.9, 0.92, 0.95, 1.0, 1.15, 1.2, 0.95])
YEARLY_GROWTH = 0.05
HOUR_WEIGHTS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1.2, 2.5, 3.5, 4, 4.5, 5.5,
                         7, 6.5, 5.5, 5, 5.5, 6.5, 7, 6.5, 5, 3.5, 2.5, 1.5])
MEDIAN_AMOUNT = np.array([55.0, 35.0, 320.0, 70.0, 45.0, 40.0, 80.0, 120.0, 25.0])
AMOUNT_SPREAD = np.array([0.6, 0.6, 0.9, 0.8, 0.4, 0.7, 0.8, 0.5, 0.7])
# Category mix by month of year: travel in summer and December, retail and online shopping before Christmas.
CATEGORY_WEIGHTS = np.tile([0.24, 0.15, 0.05, 0.14, 0.1, 0.07, 0.06, 0.07, 0.12], (12, 1))
CATEGORY_WEIGHTS[[5, 6, 7], TRAVEL] *= 1.8
CATEGORY_WEIGHTS[11, [TRAVEL, RETAIL, ONLINE_SERVICES]] *= (1.5, 1.8, 1.5)
CATEGORY_WEIGHTS[10, [RETAIL, ONLINE_SERVICES]] *= 1.3
HOLIDAY_AMOUNT = np.ones((12, len(CATEGORIES)))
HOLIDAY_AMOUNT[11, [RETAIL, ONLINE_SERVICES, ENTERTAINMENT]] = 1.25
DECLINE_CHANCE, REVERSAL_CHANCE = 0.02, 0.004
INTERCHANGE = 0.015

FRAUD_SHARE = 0.003
FRAUD_RISK_BY_CATEGORY = np.array([0.5, 0.6, 2.5, 1.2, 0.6, 0.8, 0.5, 0.4, 2.0])
FRAUD_RISK_BY_CHANNEL = np.array([0.5, 2.0, 0.4, 1.5])
CONFIRMED_SHARE = 0.35
DAYS_TO_CLOSE = 30.0


def _channel_weights(first_year: int, last_year: int) -> np.ndarray:
    """(year x category, channel) weights: contactless and online take over from the card swipe."""
    years = np.arange(first_year, last_year + 1)
    t = np.clip((years - first_year) / 6, 0, 1.3)
    base = np.stack([0.55 - 0.25 * t, 0.27 + 0.06 * t, 0.15 + 0.2 * t, 0.03 - 0.01 * t], axis=1)
    by_category = np.ones((len(CATEGORIES), len(CHANNELS)))
    by_category[ONLINE_SERVICES] = (0, 1, 0, 0)
    by_category[TRAVEL] = (0.5, 2.5, 0.6, 0)
    by_category[UTILITIES] = (0.3, 2.5, 0.3, 0)
    by_category[FUEL] = (1.3, 0, 1.2, 0)
    by_category[[HEALTH], ATM] = 0
    return (base[:, None, :] * by_category[None, :, :]).reshape(-1, len(CHANNELS))


def build_card_activity(plan: Plan, customers: CustomerChunk, revenue: Revenue, first_transaction: int,
                        first_case: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = rng_for(plan.seed, "card_transactions", customers.chunk)
    days = np.arange(plan.history_start_day, plan.end_day + 1)
    growth = (1 + YEARLY_GROWTH) ** ((days - days[0]) / DAYS_PER_YEAR)
    calendar = EventCalendar(days[0], days[-1],
                             MONTH_INTENSITY[month_of_year(days) - 1] * WEEKDAY_INTENSITY[weekday(days)] * growth)
    rate = TRANSACTIONS_PER_MONTH_BY_TIER[customers.tier] * SEGMENT_SPEND[customers.segment] \
        * np.exp(0.5 * rng.standard_normal(customers.size) - 0.125) * (rng.random(customers.size) < CARD_HOLDER_SHARE)
    owner, day = calendar.draw(rng, customers.start_day, customers.end_day, rate)
    n = owner.size

    month = month_of_year(day) - 1
    category = choose_by_group(rng, CATEGORY_WEIGHTS, month)
    first_year = int(year_of(np.array([plan.history_start_day]))[0])
    last_year = int(year_of(np.array([plan.end_day]))[0])
    channel_group = (year_of(day) - first_year) * len(CATEGORIES) + category
    channel = choose_by_group(rng, _channel_weights(first_year, last_year), channel_group)
    amount = MEDIAN_AMOUNT[category] * AMOUNT_BY_TIER[customers.tier[owner]] * HOLIDAY_AMOUNT[month, category] \
        * np.exp(AMOUNT_SPREAD[category] * rng.standard_normal(n))
    amount = np.maximum(np.round(amount, 2), 1.0)
    weak_credit = customers.credit_score[owner] < 600
    u = rng.random(n)
    status = np.where(u < DECLINE_CHANCE * np.where(weak_credit, 1.6, 0.9), DECLINED,
                      np.where(u > 1 - REVERSAL_CHANCE, REVERSED, APPROVED))

    # Fraud: riskier categories, channels and bigger amounts are flagged more often.
    risk = FRAUD_RISK_BY_CATEGORY[category] * FRAUD_RISK_BY_CHANNEL[channel] \
        * np.sqrt(amount / MEDIAN_AMOUNT[category])
    flagged = np.flatnonzero(rng.random(n) < FRAUD_SHARE * risk / max(risk.mean(), 1e-9)) if n else np.zeros(0, int)
    n_cases = flagged.size
    flagged_day = np.minimum(day[flagged] + rng.integers(0, 4, n_cases), plan.end_day)
    age = plan.end_day - flagged_day
    closed = rng.random(n_cases) < 1 - np.exp(-age / DAYS_TO_CLOSE)
    confirmed = rng.random(n_cases) < CONFIRMED_SHARE
    case_status = np.where(closed, np.where(confirmed, 2, 3),
                           np.where((age > 7) & (rng.random(n_cases) < 0.6), 1, 0))
    closed_day = flagged_day + np.minimum(1 + rng.exponential(DAYS_TO_CLOSE, n_cases).astype(np.int64), age)
    status[flagged[closed & confirmed]] = REVERSED

    approved = status == APPROVED
    revenue.add_by_day(day[approved], customers.region[owner[approved]], amount[approved] * INTERCHANGE)

    transaction_ids = c.sequence_ids("T", first_transaction, n, 10)
    customer_ids = customers.ids.gather(owner)
    transactions = c.frame(
        "card_transactions",
        transaction_id=transaction_ids,
        customer_id=customer_ids,
        transaction_at=c.datetimes(timestamps(day, time_of_day(rng, HOUR_WEIGHTS, n))),
        amount=c.money(amount, whole_cents=True),
        merchant_category=c.labels(CATEGORIES, category),
        channel=c.labels(CHANNELS, channel),
        status=c.labels(CARD_STATUSES, status),
    )
    cases = c.frame(
        "fraud_cases",
        case_id=c.sequence_ids("FC", first_case, n_cases, 8),
        transaction_id=transaction_ids.gather(flagged),
        customer_id=customer_ids.gather(flagged),
        flagged_date=c.dates(flagged_day),
        amount=c.money(amount[flagged]),
        status=c.labels(FRAUD_STATUSES, case_status),
        closed_date=c.dates(closed_day, null=~closed),
    )
    return transactions, cases
