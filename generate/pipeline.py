"""generate(): every contract table, written as Parquet.

Reference tables (market data, products, staff, billing groups, campaigns) come first; then the customers are
generated in fixed chunks, each chunk producing its rows of every customer-linked table; expenses come last, sized
against the revenue the chunks produced. Identifiers are numbered across chunks in chunk order.

Within a chunk, once its customers and accounts exist, two independent groups of tables are generated at the
same time (numpy, polars and pyarrow release the GIL for their heavy work), while a third thread writes the
previous results. Each group has its own random streams and revenue tally, so the output does not depend on
which group finishes first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from generate.accounts import Accounts, build_accounts
from generate.balances import build_balances
from generate.billing_groups import BillingGroups, build_billing_groups
from generate.cards import build_card_activity
from generate.churn import build_churn
from generate.customers import EXPECTED_BILLED_SHARE, CustomerChunk, build_customers, enrollment_days
from generate.digital import build_engagement
from generate.expenses import build_expenses
from generate.lending import build_loans
from generate.market import Market, build_market
from generate.marketing import Campaigns, build_campaigns, build_contacts
from generate.plan import Plan
from generate.pools import NamePools, build_pools
from generate.products import Products, build_products
from generate.receivables import build_receivables
from generate.revenue import Revenue
from generate.risk import build_risk
from generate.service import build_service
from generate.staff import Staff, build_staff
from generate.writer import ParquetSink
from warehouse.contract import TABLES
from warehouse.settings import DEFAULT_SEED, END_DATE

REFERENCE_TABLES = ("market_data", "products", "employees", "billing_groups", "marketing_campaigns")
CUSTOMER_TABLES = ("customers", "enrollments", "account_balances", "churn_events", "loans", "risk_assessments",
                   "card_transactions", "fraud_cases", "service_interactions", "engagement_events",
                   "campaign_contacts", "bills", "payments", "collection_actions")

Progress = Callable[[str], None]  # receives one line of progress text, like the warehouse build's callbacks


@dataclass(frozen=True)
class Reference:
    """What every chunk of customers draws on."""
    plan: Plan
    pools: NamePools
    market: Market
    products: Products
    staff: Staff
    groups: BillingGroups
    campaigns: Campaigns
    enrollment_days: np.ndarray


class _Output:
    """Hands frames to the sink, numbers identifiers across chunks and reports progress as text.

    Each table's frames arrive from one thread in chunk order, so the files do not depend on how the threads of
    a chunk interleave.
    """

    def __init__(self, sink: ParquetSink, progress: Progress | None):
        self.sink = sink
        self.progress = progress
        self.started = time.perf_counter()
        self.seconds = {name: 0.0 for name in sink.table_names}

    def next_number(self, table_name: str) -> int:
        return self.sink.rows[table_name] + 1

    def steps(self) -> _Steps:
        return _Steps(self)

    def put(self, frames: dict[str, pl.DataFrame], seconds: float) -> None:
        """Frames of one generation step; the step's time is shared out by rows."""
        total_rows = sum(frame.height for frame in frames.values())
        for name, frame in frames.items():
            self.sink.put(name, frame)
            self.seconds[name] += seconds * (frame.height / total_rows if total_rows else 1 / len(frames))

    def table_done(self, *table_names: str) -> None:
        for name in table_names:
            rows = self.sink.rows[name]
            self._say(f"{name:<22} {rows:>13,} rows {rows / max(self.seconds[name], 1e-9):>13,.0f} rows/s")

    def chunk_done(self, chunk: int, chunks: int, stop: int) -> None:
        rows = sum(self.sink.rows.values())
        elapsed = time.perf_counter() - self.started
        self._say(f"chunk {chunk + 1}/{chunks}: {stop:,} customers, {rows:,} rows so far, "
                  f"{rows / elapsed:,.0f} rows/s")

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


class _Steps:
    """Times a sequence of generation steps and hands each step's frames on as soon as the step is done."""

    def __init__(self, out: _Output):
        self.out = out
        self._started = time.perf_counter()

    def emit(self, **frames: pl.DataFrame) -> None:
        now = time.perf_counter()
        self.out.put(frames, now - self._started)
        self._started = now


def generate(out_dir: Path | str, scale: float = 1.0, seed: int = DEFAULT_SEED, end_date: date | None = None,
             progress: Progress | None = None) -> dict[str, int]:
    """Write DIR/<table>.parquet for every contract table; returns the rows written per table.

    progress, if given, receives a line of text as each table is finished and after each chunk of customers.
    """
    plan = Plan(scale, seed, end_date or END_DATE)
    sink = ParquetSink(Path(out_dir), [t.name for t in TABLES])
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="generate") as helper:
            _generate(plan, _Output(sink, progress), helper)
        sink.close()
    except BaseException:
        sink.abort()
        raise
    return {t.name: sink.rows[t.name] for t in TABLES}


def _generate(plan: Plan, out: _Output, helper: ThreadPoolExecutor) -> None:
    steps = out.steps()
    pools = build_pools(plan.seed)
    market = build_market(plan)
    steps.emit(market_data=market.frame)
    products = build_products(plan)
    steps.emit(products=products.frame)
    staff = build_staff(plan, pools)
    steps.emit(employees=staff.frame)
    groups = build_billing_groups(plan, pools, staff, EXPECTED_BILLED_SHARE)
    steps.emit(billing_groups=groups.frame)
    campaigns = build_campaigns(plan)
    steps.emit(marketing_campaigns=campaigns.frame)
    out.table_done(*REFERENCE_TABLES)

    ref = Reference(plan, pools, market, products, staff, groups, campaigns, enrollment_days(plan))
    revenue = Revenue(plan)
    for chunk, (start, stop) in enumerate(plan.chunks):
        steps = out.steps()
        customers, frame = build_customers(plan, pools, staff, groups, ref.enrollment_days, chunk, start, stop)
        steps.emit(customers=frame)
        accounts, frame = build_accounts(plan, customers, products, staff, out.next_number("enrollments"))
        steps.emit(enrollments=frame)
        numbers = {name: out.next_number(name) for name in CUSTOMER_TABLES}
        activity = helper.submit(_activity, ref, customers, accounts, numbers, out)
        holdings_revenue = _holdings(ref, customers, accounts, numbers, out)
        # Summed in a fixed order, so the float totals do not depend on which group finished first.
        revenue.add(holdings_revenue)
        revenue.add(activity.result())
        out.chunk_done(chunk, len(plan.chunks), stop)
    out.table_done(*CUSTOMER_TABLES)
    steps = out.steps()
    steps.emit(expenses=build_expenses(plan, revenue))
    out.table_done("expenses")


def _holdings(ref: Reference, customers: CustomerChunk, accounts: Accounts, numbers: dict[str, int],
              out: _Output) -> Revenue:
    """Balances, exits, loans, credit reviews, campaign contacts and receivables of one chunk."""
    plan, steps, revenue = ref.plan, out.steps(), Revenue(ref.plan)
    frame, lifetime_fees = build_balances(plan, customers, accounts, ref.products, ref.market, revenue)
    steps.emit(account_balances=frame)
    steps.emit(churn_events=build_churn(plan, customers, accounts, ref.products, lifetime_fees,
                                        numbers["churn_events"]))
    loans = build_loans(plan, customers, ref.staff, revenue, numbers["loans"])
    steps.emit(loans=loans.frame)
    steps.emit(risk_assessments=build_risk(plan, customers, loans.first_default_day, ref.market,
                                           numbers["risk_assessments"]))
    steps.emit(campaign_contacts=build_contacts(plan, customers, ref.campaigns))
    bills, payments, actions = build_receivables(plan, customers, ref.groups, ref.staff, numbers["bills"],
                                                 numbers["payments"], numbers["collection_actions"])
    steps.emit(bills=bills, payments=payments, collection_actions=actions)
    return revenue


def _activity(ref: Reference, customers: CustomerChunk, accounts: Accounts, numbers: dict[str, int],
              out: _Output) -> Revenue:
    """Card spending and fraud, service contacts and digital sessions of one chunk."""
    plan, steps, revenue = ref.plan, out.steps(), Revenue(ref.plan)
    transactions, cases = build_card_activity(plan, customers, revenue, numbers["card_transactions"],
                                              numbers["fraud_cases"])
    steps.emit(card_transactions=transactions, fraud_cases=cases)
    steps.emit(service_interactions=build_service(plan, customers, accounts, ref.products, ref.staff,
                                                  numbers["service_interactions"]))
    steps.emit(engagement_events=build_engagement(plan, customers, numbers["engagement_events"]))
    return revenue
