"""loans: who borrows what, at which rate, and how each loan ended.

Rates follow the prime rate on the issue day plus a spread for the loan type and the borrower's credit score;
defaults follow the same score, so lower income bands default more often.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import DAYS_PER_YEAR, EventCalendar, add_months, month_number, month_of_year
from generate.credit import default_probability
from generate.customers import CustomerChunk
from generate.geography import OFFICE_NAMES, REGIONS
from generate.market import prime_rate_on
from generate.plan import Plan
from generate.randomness import choose_by_group, rng_for
from generate.revenue import Revenue
from generate.runs import positions
from generate.staff import SALES, Staff
from warehouse.contract import LOAN_STATUSES, LOAN_TYPES

HOME, AUTO, PERSONAL, BUSINESS = range(len(LOAN_TYPES))
ACTIVE, CLOSED, DEFAULTED = range(len(LOAN_STATUSES))
LOANS_PER_MONTH_BY_SEGMENT = np.array([0.0075, 0.013, 0.014])
LOAN_SEASON = np.array([0.8, 0.85, 1.1, 1.2, 1.2, 1.15, 1.05, 1.0, 0.95, 0.95, 0.9, 0.85])
LOAN_TYPE_BY_SEGMENT = np.array([
    [0.30, 0.35, 0.35, 0.00],
    [0.15, 0.15, 0.10, 0.60],
    [0.05, 0.10, 0.00, 0.85],
])
MEDIAN_PRINCIPAL = np.array([280_000.0, 32_000.0, 12_000.0, 150_000.0])
PRINCIPAL_BY_TIER = np.array([1.0, 1.6, 2.5, 4.0])
CORPORATE_BUSINESS_LOAN = 5.0  # corporate business loans are this many times a small business one
TERMS = (  # months, by loan type
    (180, 240, 360),
    (36, 48, 60, 72),
    (12, 24, 36, 48, 60),
    (12, 24, 36, 60, 84, 120),
)
RATE_SPREAD = np.array([-1.0, 0.5, 4.0, 1.5]) / 100  # over prime, by loan type
RATE_PER_SCORE_POINT = 0.012 / 100  # below 850
DEFAULT_RISK_BY_TYPE = np.array([0.5, 1.0, 1.8, 1.3])
PREPAID_SHARE = 0.25
ONLINE_SHARE = 0.04  # loans taken out online name no officer or branch
NOT_ENDED = np.iinfo(np.int32).max


@dataclass(frozen=True)
class LoanResult:
    frame: pl.DataFrame
    first_default_day: np.ndarray  # per customer, after the end date when the customer never defaulted


def build_loans(plan: Plan, customers: CustomerChunk, staff: Staff, revenue: Revenue,
                first_number: int) -> LoanResult:
    rng = rng_for(plan.seed, "loans", customers.chunk)
    # Customers borrow now and then over the whole relationship, so the book is mature when the history starts;
    # spring is the busiest season for home and car buying.
    days = np.arange(plan.first_enrollment_day, plan.end_day + 1)
    calendar = EventCalendar(days[0], days[-1], LOAN_SEASON[month_of_year(days) - 1])
    owner, issue_day = calendar.draw(rng, customers.enrollment_day, customers.end_day,
                                     LOANS_PER_MONTH_BY_SEGMENT[customers.segment])
    n = owner.size

    segment, tier = customers.segment[owner], customers.tier[owner]
    loan_type = choose_by_group(rng, LOAN_TYPE_BY_SEGMENT, segment)
    principal = MEDIAN_PRINCIPAL[loan_type] * PRINCIPAL_BY_TIER[tier] \
        * np.where((loan_type == BUSINESS) & (segment == 2), CORPORATE_BUSINESS_LOAN, 1.0) \
        * np.exp(0.5 * rng.standard_normal(n))
    principal = np.round(principal, -2)
    term_choice = (rng.random(n) * np.array([len(t) for t in TERMS])[loan_type]).astype(int)
    term = np.array([[t[min(k, len(t) - 1)] for k in range(6)] for t in TERMS])[loan_type, term_choice]

    score = np.clip(customers.credit_score[owner] + 20 * rng.standard_normal(n), 300, 850)
    rate = prime_rate_on(issue_day) + RATE_SPREAD[loan_type] + (850 - score) * RATE_PER_SCORE_POINT
    rate = np.round(np.clip(rate + 0.002 * rng.standard_normal(n), 0.01, 0.3), 4)

    maturity_day = add_months(issue_day, term)
    yearly_default = default_probability(score) * DEFAULT_RISK_BY_TYPE[loan_type]
    default_day = issue_day + (rng.exponential(1 / yearly_default) * DAYS_PER_YEAR).astype(np.int64)
    prepaid = rng.random(n) < PREPAID_SHARE
    payoff_day = np.where(prepaid, issue_day + (rng.uniform(0.2, 0.9, n) * (maturity_day - issue_day)).astype(np.int64),
                          maturity_day)
    defaulted = (default_day < payoff_day) & (default_day <= plan.end_day)
    paid_off = ~defaulted & (payoff_day <= plan.end_day)
    status = np.where(defaulted, DEFAULTED, np.where(paid_off, CLOSED, ACTIVE))
    status_day = np.where(defaulted, default_day, payoff_day)

    region = customers.region[owner]
    officer = staff.pick(rng, SALES, region, issue_day)
    online = rng.random(n) < ONLINE_SHARE
    _book_interest(revenue, issue_day, np.where(status == ACTIVE, NOT_ENDED, status_day), principal, rate, term,
                   region)

    first_default_day = np.full(customers.size, plan.end_day + 1, dtype=np.int64)
    np.minimum.at(first_default_day, owner[defaulted], default_day[defaulted])
    frame = c.frame(
        "loans",
        loan_id=c.sequence_ids("L", first_number, n, 9),
        customer_id=customers.ids.gather(owner),
        loan_type=c.labels(LOAN_TYPES, loan_type),
        principal=c.money(principal),
        interest_rate=c.doubles(rate),
        term_months=c.integers(term),
        issue_date=c.dates(issue_day),
        maturity_date=c.dates(maturity_day),
        status=c.labels(LOAN_STATUSES, status),
        status_date=c.dates(status_day, null=status == ACTIVE),
        region=c.labels(REGIONS, region),
        branch=c.labels(OFFICE_NAMES, staff.office[officer], null=online),
        officer_id=c.strings(staff.ids.gather(officer), null=online),
    )
    return LoanResult(frame, first_default_day)


def _book_interest(revenue: Revenue, issue_day: np.ndarray, status_day: np.ndarray, principal: np.ndarray,
                   rate: np.ndarray, term: np.ndarray, region: np.ndarray) -> None:
    """Interest as the warehouse estimates it (loans_monthly): straight-line outstanding principal x rate / 12 in
    every month from the issue month to the last contractual month, the month before the loan closed or
    defaulted, or the last month of the history, whichever comes first."""
    first = month_number(issue_day)
    ended = status_day != NOT_ENDED
    last = first + term - 1
    last = np.where(ended, np.minimum(last, month_number(np.where(ended, status_day, issue_day)) - 1), last)
    last = np.minimum(last, revenue.last_month)
    months = np.maximum(last - first + 1, 0)
    loan = np.repeat(np.arange(issue_day.size), months)
    elapsed = positions(months)
    outstanding = principal[loan] * (1 - elapsed / term[loan])
    revenue.add_by_month(first[loan] + elapsed - revenue.first_month, region[loan], outstanding * rate[loan] / 12)
