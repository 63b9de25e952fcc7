"""bills, payments and collection_actions.

Billed customers get a bill at every month end while they are customers. Most pay in full by the due date; lower
income bands pay later, some pay part, a few stop paying altogether (a default). Overdue bills go through the
collections escalation (e-mail, SMS, call, letter, arrangement, field visit) until they are paid. Nothing is paid
after the end date, so the last months are not fully observed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate import columns as c
from generate.billing_groups import BillingGroups
from generate.calendar import month_end_of_month, time_of_day, timestamps
from generate.customers import CustomerChunk
from generate.geography import OFFICE_NAMES, draw_offices
from generate.plan import Plan
from generate.randomness import choose, choose_by_group, rng_for
from generate.runs import positions
from generate.staff import Staff
from warehouse.contract import COLLECTION_ACTION_TYPES

MEDIAN_BILL_BY_SEGMENT = np.array([45.0, 350.0, 2_500.0])
BILL_BY_TIER = np.array([1.0, 1.3, 1.8, 2.5])
SALES_SUBCHANNELS = (("Direct", "Branch"), ("Direct", "Relationship Manager"), ("Digital", "Web"),
                     ("Digital", "Mobile App"), ("Partner", "Broker"), ("Partner", "Retailer"))
SALES_CHANNELS = ("Direct", "Digital", "Partner")
SUBCHANNELS = tuple(sub for _, sub in SALES_SUBCHANNELS)
SUBCHANNEL_CHANNEL = np.array([SALES_CHANNELS.index(channel) for channel, _ in SALES_SUBCHANNELS])
METHODS = ("Direct Debit", "Card", "Bank Transfer", "Check", "Cash")
DIRECT_DEBIT = 0
METHOD_WEIGHTS = [0.45, 0.2, 0.25, 0.07, 0.03]
LONG_TERMS_BY_SEGMENT = np.array([0.2, 0.7, 1.0])  # chance of 30 days to pay instead of 14
SUBCHANNEL_WEIGHTS = np.array([
    [0.30, 0.10, 0.25, 0.20, 0.10, 0.05],
    [0.20, 0.45, 0.10, 0.10, 0.10, 0.05],  # customers with a relationship manager
    [0.10, 0.05, 0.35, 0.40, 0.05, 0.05],  # digital-minded customers
])
UNASSIGNED = "Collections Team"  # performs the actions of groups without a collector
UNALLOCATED_SHARE = 0.15  # payments that arrive without saying which bill they pay

PARTIAL_SHARE = 0.03
UNPAID_SHARE = 0.01
SETTLES_REST = 0.75  # a partial payer later pays the rest
ARRANGEMENT_PAYMENTS = 0.2  # defaulted customers still pay part of a bill now and then
FULL_ESCALATION_BILLS = 2  # a defaulted customer's later bills only get the reminder e-mail
BILLED_INTO_DEFAULT_DAYS = 120  # then the debt goes to recovery and billing stops

# Escalation: (action type, days after the due date, chance the step is taken)
REMINDER, SMS, CALL, LETTER, AGREED, BROKEN, FIELD_VISIT = range(len(COLLECTION_ACTION_TYPES))
STEPS = ((REMINDER, 3, 0.95), (SMS, 10, 0.85), (CALL, 20, 0.9), (LETTER, 35, 0.9), (AGREED, 50, 0.6),
         (BROKEN, 68, 1.0), (FIELD_VISIT, 80, 0.5))
OUTCOMES = ("Delivered", "Opened", "Bounced", "No response", "Promised to pay", "No answer", "Left voicemail",
            "Disputed", "Sent", "Payment plan agreed", "Missed instalment", "Not at home", "Paid")
PROMISED, PAID = OUTCOMES.index("Promised to pay"), OUTCOMES.index("Paid")
OUTCOME_WEIGHTS = np.array([  # by action type
    [0.6, 0.3, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0.7, 0, 0, 0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0.35, 0.35, 0.2, 0.1, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0.5, 0, 0, 0.1, 0, 0, 0, 0.4, 0],
])
HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 0, 0.5, 3, 5, 5, 5, 3, 5, 5, 5, 4.5, 3, 1, 0.5, 0.3, 0, 0, 0], float)
NEVER = np.iinfo(np.int64).max // 4  # a day number for "not (yet) paid"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def build_receivables(plan: Plan, customers: CustomerChunk, groups: BillingGroups, staff: Staff,
                      first_bill: int, first_payment: int, first_action: int) -> tuple[pl.DataFrame, ...]:
    """(bills, payments, collection_actions) of the chunk's billed customers."""
    rng = rng_for(plan.seed, "bills", customers.chunk)
    payer = _payer_profiles(plan, customers)
    month_ends = month_end_of_month(plan.snapshot_months)
    billed = np.flatnonzero(customers.billing_group >= 0)
    first_bill_index = np.searchsorted(month_ends, customers.enrollment_day[billed], side="left")
    # Billing stops a few months into a default, when the debt goes to recovery.
    last_billed_day = np.minimum(customers.end_day, payer.default_day + BILLED_INTO_DEFAULT_DAYS)[billed]
    after_last = np.searchsorted(month_ends, last_billed_day, side="right")
    counts = np.maximum(after_last - first_bill_index, 0)
    customer = np.repeat(billed, counts)  # chunk position of each bill's customer
    n = customer.size
    issue_day = month_ends[np.repeat(first_bill_index, counts) + positions(counts)]
    thirty_days = rng.random(customers.size) < LONG_TERMS_BY_SEGMENT[customers.segment]
    due_day = issue_day + np.where(thirty_days, 30, 14)[customer]
    typical_bill = MEDIAN_BILL_BY_SEGMENT[customers.segment] * BILL_BY_TIER[customers.tier] \
        * np.exp(0.5 * rng.standard_normal(customers.size))
    amount = np.round(typical_bill[customer] * np.exp(0.15 * rng.standard_normal(n)), 2)

    # Who sells to the customer, and from which office, stays the same for all their bills.
    seller = np.where(customers.relationship_manager >= 0, 1, np.where(customers.digital_affinity > 1.0, 2, 0))
    subchannel = choose_by_group(rng, SUBCHANNEL_WEIGHTS, seller)
    office = draw_offices(rng, customers.region)
    bill_ids = c.sequence_ids("B", first_bill, n, 10)
    bills = c.frame(
        "bills",
        bill_id=bill_ids,
        customer_id=customers.ids.gather(customer),
        billing_group_id=groups.ids.gather(customers.billing_group[customer]),
        sales_channel=c.labels(SALES_CHANNELS, SUBCHANNEL_CHANNEL[subchannel[customer]]),
        sales_subchannel=c.labels(SUBCHANNELS, subchannel[customer], null=rng.random(n) < 0.05),
        location=c.labels(OFFICE_NAMES, office[customer]),
        issue_date=c.dates(issue_day),
        due_date=c.dates(due_day),
        amount=c.money(amount),
    )
    settled_day, payments = _payments(plan, customers, payer, customer, issue_day, due_day, amount, bill_ids,
                                      first_payment)
    actions = _collections(plan, customers, groups, staff, customer, due_day, settled_day, bill_ids, first_action)
    return bills, payments, actions


@dataclass(frozen=True)
class PayerProfiles:
    method: np.ndarray
    default_day: np.ndarray  # NEVER for customers who keep paying


def _payer_profiles(plan: Plan, customers: CustomerChunk) -> PayerProfiles:
    rng = rng_for(plan.seed, "payer-profiles", customers.chunk)
    discipline = customers.payment_discipline
    method = choose(rng, METHOD_WEIGHTS, customers.size)
    # Undisciplined payers rarely set up a direct debit.
    method = np.where(rng.random(customers.size) < _sigmoid(discipline), method, np.maximum(method, 1))
    # Some customers stop paying at some point: far more often in the lower income bands.
    defaults = rng.random(customers.size) < _sigmoid(-3.6 - 1.2 * discipline)
    default_day = customers.start_day + (rng.random(customers.size)
                                         * (customers.end_day - customers.start_day)).astype(np.int64)
    return PayerProfiles(method, np.where(defaults, default_day, NEVER))


def _payments(plan: Plan, customers: CustomerChunk, payer: PayerProfiles, customer: np.ndarray,
              issue_day: np.ndarray, due_day: np.ndarray, amount: np.ndarray, bill_ids: pl.Series,
              first_number: int) -> tuple[np.ndarray, pl.DataFrame]:
    """The payments, and for every bill the day it was paid in full (NEVER if it was not)."""
    rng = rng_for(plan.seed, "payments", customers.chunk)
    n = customer.size
    d, pays_by_debit = customers.payment_discipline[customer], payer.method[customer] == DIRECT_DEBIT
    in_default = issue_day >= payer.default_day[customer]
    u = rng.random(n)
    unpaid = np.where(in_default, u >= ARRANGEMENT_PAYMENTS, u < UNPAID_SHARE)
    partial = ~unpaid & (in_default | (rng.random(n) < PARTIAL_SHARE))
    late = rng.random(n) < _sigmoid(-2.9 - 0.8 * d) * np.where(pays_by_debit, 0.3, 1.0)
    days_late = 1 + rng.exponential(12 * np.clip(1 - 0.2 * d, 0.5, 2), n).astype(np.int64)
    days_early = np.where(pays_by_debit, 0, (rng.random(n) * (due_day - issue_day) * 0.7).astype(np.int64))
    first_day = np.where(late | in_default, due_day + np.minimum(days_late, 150), due_day - days_early)
    first_amount = np.where(partial, np.round(amount * rng.uniform(0.3, 0.8, n), 2), amount)
    settles = partial & ~in_default & (rng.random(n) < SETTLES_REST)
    second_day = first_day + rng.integers(10, 61, n)
    settled_day = np.where(unpaid | (partial & ~settles), NEVER, np.where(settles, second_day, first_day))

    paying = np.flatnonzero(~unpaid)
    rest = np.flatnonzero(settles)
    bill = np.concatenate((paying, rest))
    day = np.concatenate((first_day[paying], second_day[rest]))
    paid = np.concatenate((first_amount[paying], amount[rest] - first_amount[rest]))
    received = day <= plan.end_day
    bill, day, paid = bill[received], day[received], paid[received]
    order = np.argsort(day, kind="stable")  # payments arrive, and are numbered, in time order
    bill, day, paid = bill[order], day[order], paid[order]
    m = bill.size
    paid_by = customer[bill]
    payments = c.frame(
        "payments",
        payment_id=c.sequence_ids("PY", first_number, m, 10),
        customer_id=customers.ids.gather(paid_by),
        bill_id=c.strings(bill_ids.gather(bill), null=rng.random(m) < UNALLOCATED_SHARE),
        payment_date=c.dates(day),
        amount=c.money(paid),
        method=c.labels(METHODS, payer.method[paid_by]),
    )
    return settled_day, payments


def _collections(plan: Plan, customers: CustomerChunk, groups: BillingGroups, staff: Staff, customer: np.ndarray,
                 due_day: np.ndarray, settled_day: np.ndarray, bill_ids: pl.Series,
                 first_number: int) -> pl.DataFrame:
    """Escalation steps for every bill still open when the step comes due, stopping once it is paid."""
    rng = rng_for(plan.seed, "collection_actions", customers.chunk)
    overdue = np.flatnonzero(np.minimum(settled_day, plan.end_day + 1) > due_day + STEPS[0][1])
    # Of a customer's overdue bills, only the first few go through every step; the rest get reminders.
    rank = _rank_within_customer(customer[overdue])
    parts = []
    agreed = np.zeros(overdue.size, dtype=bool)
    for action_type, offset, chance in STEPS:
        action_day = due_day[overdue] + offset + rng.integers(-2, 3, overdue.size)
        taken = (action_day < settled_day[overdue]) & (action_day <= plan.end_day) \
            & (rng.random(overdue.size) < chance)
        if action_type != REMINDER:
            taken &= rank < FULL_ESCALATION_BILLS
        if action_type == AGREED:
            agreed = taken.copy()
        elif action_type == BROKEN:
            taken &= agreed  # an arrangement can only be broken once agreed (STEPS lists AGREED first)
        parts.append((overdue[taken], action_day[taken], np.full(taken.sum(), action_type)))
    bill = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    action_type = np.concatenate([p[2] for p in parts])
    order = np.lexsort((action_type, day, bill))
    bill, day, action_type = bill[order], day[order], action_type[order]
    n = bill.size

    outcome = choose_by_group(rng, OUTCOME_WEIGHTS, action_type)
    paid_soon = settled_day[bill] - day
    talked = np.isin(action_type, (CALL, FIELD_VISIT))
    outcome = np.where(talked & (paid_soon <= 1), PAID, np.where(talked & (paid_soon <= 7), PROMISED, outcome))
    owner = customer[bill]
    collector = groups.collector[customers.billing_group[owner]]
    performed_by = pl.select(pl.when(pl.lit(pl.Series(collector >= 0)))
                             .then(pl.lit(staff.full_names.gather(np.maximum(collector, 0))))
                             .otherwise(pl.lit(UNASSIGNED))).to_series()
    customer_level = np.isin(action_type, (CALL, LETTER, FIELD_VISIT)) & (rng.random(n) < 0.08)
    return c.frame(
        "collection_actions",
        action_id=c.sequence_ids("CA", first_number, n, 10),
        customer_id=customers.ids.gather(owner),
        bill_id=c.strings(bill_ids.gather(bill), null=customer_level),
        action_at=c.datetimes(timestamps(day, time_of_day(rng, HOUR_WEIGHTS, n))),
        action_type=c.labels(COLLECTION_ACTION_TYPES, action_type),
        performed_by=performed_by,
        outcome=c.labels(OUTCOMES, outcome, null=rng.random(n) < 0.05),
    )


def _rank_within_customer(customer: np.ndarray) -> np.ndarray:
    """0 for a customer's first row, 1 for the second... (rows are grouped by customer, in time order)."""
    counts = np.bincount(customer)
    return positions(counts[counts > 0]) if customer.size else customer
