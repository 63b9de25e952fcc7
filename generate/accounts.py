"""enrollments: the product accounts customers open, and when and why they close them.

Closing is decided from the latent traits: customers with a bad service experience or fee-sensitive customers in
expensive products leave sooner, and the churn reason follows the same traits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import DAYS_PER_YEAR, year_of
from generate.customers import CORPORATE, RETAIL, ULTRA_HIGH_NET_WORTH, CustomerChunk
from generate.plan import Plan
from generate.products import CATEGORIES, Products
from generate.randomness import choose_by_group, rng_for
from generate.runs import positions
from generate.staff import ADVISOR, Staff
from warehouse.contract import ACCOUNT_STATUSES, CONTRIBUTION_FREQUENCIES

EXTRA_ACCOUNTS_BY_TIER = np.array([0.5, 1.2, 2.2, 4.0])  # on top of the first account
MEDIAN_INVESTMENT_BY_TIER = np.array([3_000.0, 25_000.0, 150_000.0, 1_200_000.0])
INVESTMENT_BY_CATEGORY = np.array([1.0, 1.2, 1.0, 1.0, 0.6, 0.8, 0.4])
MONTHLY_CONTRIBUTION_BY_INCOME = np.array([50.0, 100.0, 250.0, 500.0, 1_200.0])
MONTHS_PER_CONTRIBUTION = np.array([1, 3, 12, 0])
NO_CONTRIBUTION = CONTRIBUTION_FREQUENCIES.index("None")
# Contribution frequency weights by category (Monthly, Quarterly, Annual, None).
FREQUENCY_BY_CATEGORY = np.array([
    [0.35, 0.12, 0.10, 0.43], [0.35, 0.12, 0.10, 0.43], [0.35, 0.12, 0.10, 0.43], [0.35, 0.12, 0.10, 0.43],
    [0.45, 0.05, 0.05, 0.45], [0.75, 0.10, 0.05, 0.10], [0.85, 0.05, 0.10, 0.00],
])
CHANNELS = ("Branch", "Web", "Mobile", "Phone", "Advisor")
ADVISOR_INVOLVED = np.array([0.6, 0.1, 0.1, 0.2, 1.0])  # chance the channel names an advisor
CHURN_REASONS = ("Service Issue", "High Fees", "Better Competitor", "Relocation", "Life Event")
SERVICE_ISSUE, HIGH_FEES = 0, 1
# Reason weights for customers with a bad service experience, fee-sensitive customers in costly products, others.
REASON_BY_TRAIT = np.array([
    [0.70, 0.08, 0.12, 0.04, 0.06],
    [0.05, 0.65, 0.15, 0.06, 0.09],
    [0.04, 0.08, 0.40, 0.20, 0.28],
])
COSTLY_FEE = 0.009
CUSTOMER_EXIT_PER_YEAR = 0.045
ACCOUNT_CLOSE_PER_YEAR = 0.055
FIRST_OPEN_YEAR, LAST_OPEN_YEAR = 2012, 2030


@dataclass(frozen=True)
class Accounts:
    owner: np.ndarray  # customer position in the chunk
    product: np.ndarray
    open_day: np.ndarray
    close_day: np.ndarray  # after the end date while open
    closed: np.ndarray
    churn_reason: np.ndarray  # -1 while open
    initial_investment: np.ndarray
    frequency: np.ndarray
    contribution: np.ndarray
    ids: pl.Series

    @property
    def size(self) -> int:
        return self.owner.size


def _channel_weights() -> np.ndarray:
    """(open year x advised, channel) weights: branch and phone give way to web and mobile year by year."""
    years = np.arange(FIRST_OPEN_YEAR, LAST_OPEN_YEAR + 1)
    t = np.clip((years - FIRST_OPEN_YEAR) / 14, 0, 1.2)[:, None]
    base = np.hstack([0.45 - 0.3 * t, 0.10 + 0.15 * t, 0.05 + 0.30 * t, 0.15 - 0.08 * t, 0.15 - 0.05 * t])
    advised = base * np.array([1.0, 0.7, 0.7, 1.0, 2.0])
    return np.vstack([base, advised])


CHANNEL_WEIGHTS = _channel_weights()


def build_accounts(plan: Plan, customers: CustomerChunk, products: Products, staff: Staff,
                   first_number: int) -> tuple[Accounts, pl.DataFrame]:
    rng = rng_for(plan.seed, "enrollments", customers.chunk)
    n_customers = customers.size
    start, end = customers.start_day, plan.end_day

    # A customer leaving the bank closes everything; the hazard follows the traits.
    exit_rate = CUSTOMER_EXIT_PER_YEAR * np.where(customers.poor_service, 2.5, 1.0) \
        * np.where(customers.fee_sensitive, 1.4, 1.0) * np.where(customers.tier == ULTRA_HIGH_NET_WORTH, 0.5, 1.0) \
        * np.where(customers.segment == CORPORATE, 0.6, 1.0)
    exit_day = start + (rng.exponential(1 / exit_rate) * DAYS_PER_YEAR).astype(np.int64)

    extra = rng.poisson(EXTRA_ACCOUNTS_BY_TIER[customers.tier] + 0.3 * (customers.segment != RETAIL))
    counts = 1 + extra
    owner = np.repeat(np.arange(n_customers), counts)
    n = owner.size
    is_first = positions(counts) == 0
    # Later accounts open over the relationship, before the customer leaves.
    window_end = np.minimum(exit_day, end)[owner]
    enrolled = customers.enrollment_day[owner]
    later = enrolled + (rng.random(n) ** 0.6 * np.maximum(window_end - enrolled, 0)).astype(np.int64)
    open_day = np.where(is_first, enrolled, later)

    tier = customers.tier[owner]
    product = choose_by_group(rng, products.popularity, tier)
    not_launched = products.launch_day[product] > open_day
    product = np.where(not_launched, products.established[product], product)
    category = products.category[product]
    fee = products.fee_rate[product]

    # Accounts also close on their own; the first of the exit and the account's own closing wins.
    fee_sensitive, poor_service = customers.fee_sensitive[owner], customers.poor_service[owner]
    close_rate = ACCOUNT_CLOSE_PER_YEAR * np.where(fee_sensitive & (fee >= COSTLY_FEE), 2.5, 1.0) \
        * np.where(poor_service, 1.5, 1.0) * np.where(category == CATEGORIES.index("Savings"), 1.2, 1.0)
    at_risk_from = np.maximum(open_day, plan.history_start_day)
    own_close = at_risk_from + (rng.exponential(1 / close_rate) * DAYS_PER_YEAR).astype(np.int64)
    close_day = np.minimum(own_close, exit_day[owner] + rng.integers(0, 30, n))
    close_day = np.maximum(close_day, open_day + 14)
    closed = close_day <= end

    trait = np.where(poor_service, 0, np.where(fee_sensitive & (fee >= COSTLY_FEE), 1, 2))
    churn_reason = np.where(closed, choose_by_group(rng, REASON_BY_TRAIT, trait), -1)

    year = np.clip(year_of(open_day), FIRST_OPEN_YEAR, LAST_OPEN_YEAR) - FIRST_OPEN_YEAR
    advised = (tier >= 2) | (customers.relationship_manager[owner] >= 0)
    channel = choose_by_group(rng, CHANNEL_WEIGHTS, year + advised * (LAST_OPEN_YEAR - FIRST_OPEN_YEAR + 1))
    has_advisor = rng.random(n) < ADVISOR_INVOLVED[channel]
    manager = customers.relationship_manager[owner]
    advisor = np.where(manager >= 0, manager, staff.pick(rng, ADVISOR, customers.region[owner], open_day))
    advisor = np.where(has_advisor, advisor, -1)

    business = np.where(customers.segment[owner] != RETAIL, 2.0, 1.0)
    investment = MEDIAN_INVESTMENT_BY_TIER[tier] * INVESTMENT_BY_CATEGORY[category] * business \
        * np.exp(0.9 * rng.standard_normal(n))
    investment = np.maximum(np.round(investment / 50) * 50, np.maximum(products.min_investment[product], 50))
    frequency = choose_by_group(rng, FREQUENCY_BY_CATEGORY, category)
    per_month = MONTHLY_CONTRIBUTION_BY_INCOME[customers.income[owner]] * np.exp(0.6 * rng.standard_normal(n)) \
        * np.sqrt(business)
    contribution = np.round(per_month * np.maximum(MONTHS_PER_CONTRIBUTION[frequency], 1), -1)
    contribution = np.where(frequency == NO_CONTRIBUTION, 0.0, np.maximum(contribution, 10.0))

    ids = c.sequence_ids("A", first_number, n, 9)
    accounts = Accounts(owner, product, open_day, close_day, closed, churn_reason, investment, frequency,
                        contribution, ids)
    frame = c.frame(
        "enrollments",
        account_id=ids,
        customer_id=customers.ids.gather(owner),
        product_id=products.ids.gather(product),
        open_date=c.dates(open_day),
        close_date=c.dates(close_day, null=~closed),
        channel=c.labels(CHANNELS, channel),
        advisor_id=c.strings(staff.ids.gather(np.maximum(advisor, 0)), null=advisor < 0),
        status=c.labels(ACCOUNT_STATUSES, np.where(closed, 1, 0)),
        initial_investment=c.money(investment),
        contribution_frequency=c.labels(CONTRIBUTION_FREQUENCIES, frequency),
        contribution_amount=c.money(contribution),
    )
    # A customer is a customer until the last account closes.
    customers.end_day = np.maximum.reduceat(np.where(closed, close_day, end), np.flatnonzero(is_first))
    return accounts, frame
