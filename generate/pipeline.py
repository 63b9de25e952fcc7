"""generate(): every contract table, written as Parquet.

Reference tables (market data, products, staff, billing groups, campaigns) come first; then the customers are
generated in fixed chunks, each chunk producing its rows of every customer-linked table; expenses come last, sized
against the revenue the chunks produced. Identifiers are numbered across chunks in chunk order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from generate.accounts import build_accounts
from generate.balances import build_balances
from generate.billing_groups import build_billing_groups
from generate.cards import build_card_activity
from generate.churn import build_churn
from generate.customers import EXPECTED_BILLED_SHARE, build_customers, enrollment_days
from generate.digital import build_engagement
from generate.expenses import build_expenses
from generate.lending import build_loans
from generate.market import build_market
from generate.marketing import build_campaigns, build_contacts
from generate.plan import Plan
from generate.pools import build_pools
from generate.products import build_products
from generate.receivables import build_receivables
from generate.revenue import Revenue
from generate.risk import build_risk
from generate.service import build_service
from generate.staff import build_staff
from generate.writer import ParquetSink
from warehouse.contract import TABLES
from warehouse.settings import DEFAULT_SEED, END_DATE

CUSTOMER_TABLES = ("customers", "enrollments", "account_balances", "churn_events", "loans", "risk_assessments",
                   "card_transactions", "fraud_cases", "service_interactions", "engagement_events",
                   "campaign_contacts", "bills", "payments", "collection_actions")


Progress = Callable[[str], None]  # receives one line of progress text, like the warehouse build's callbacks


class _Output:
    """Hands frames to the sink, numbers identifiers across chunks and reports progress as text."""

    def __init__(self, sink: ParquetSink, progress: Progress | None):
        self.sink = sink
        self.progress = progress
        self.started = time.perf_counter()
        self.seconds = {name: 0.0 for name in sink.table_names}
        self._step_started = self.started

    def next_number(self, table_name: str) -> int:
        return self.sink.rows[table_name] + 1

    def emit(self, **frames: pl.DataFrame) -> None:
        """Write the frames of one generation step; the step's time is shared out by rows."""
        seconds = time.perf_counter() - self._step_started
        total_rows = sum(frame.height for frame in frames.values())
        for table_name, frame in frames.items():
            self.sink.put(table_name, frame)
            self.seconds[table_name] += seconds * frame.height / total_rows if total_rows else seconds / len(frames)
        self._step_started = time.perf_counter()

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


def generate(out_dir: Path | str, scale: float = 1.0, seed: int = DEFAULT_SEED, end_date: date | None = None,
             progress: Progress | None = None) -> dict[str, int]:
    """Write DIR/<table>.parquet for every contract table; returns the rows written per table.

    progress, if given, receives a line of text as each table is finished and after each chunk of customers.
    """
    plan = Plan(scale, seed, end_date or END_DATE)
    sink = ParquetSink(Path(out_dir), [t.name for t in TABLES])
    try:
        _generate(plan, _Output(sink, progress))
        sink.close()
    except BaseException:
        sink.abort()
        raise
    return {t.name: sink.rows[t.name] for t in TABLES}


def _generate(plan: Plan, out: _Output) -> None:
    pools = build_pools(plan.seed)
    market = build_market(plan)
    out.emit(market_data=market.frame)
    products = build_products(plan)
    out.emit(products=products.frame)
    staff = build_staff(plan, pools)
    out.emit(employees=staff.frame)
    groups = build_billing_groups(plan, pools, staff, EXPECTED_BILLED_SHARE)
    out.emit(billing_groups=groups.frame)
    campaigns = build_campaigns(plan)
    out.emit(marketing_campaigns=campaigns.frame)
    out.table_done("market_data", "products", "employees", "billing_groups", "marketing_campaigns")

    revenue = Revenue(plan)
    all_enrollment_days = enrollment_days(plan)
    for chunk, (start, stop) in enumerate(plan.chunks):
        customers, frame = build_customers(plan, pools, staff, groups, all_enrollment_days, chunk, start, stop)
        out.emit(customers=frame)
        accounts, frame = build_accounts(plan, customers, products, staff, out.next_number("enrollments"))
        out.emit(enrollments=frame)
        frame, lifetime_fees = build_balances(plan, customers, accounts, products, market, revenue)
        out.emit(account_balances=frame)
        out.emit(churn_events=build_churn(plan, customers, accounts, products, lifetime_fees,
                                          out.next_number("churn_events")))
        loans = build_loans(plan, customers, staff, revenue, out.next_number("loans"))
        out.emit(loans=loans.frame)
        out.emit(risk_assessments=build_risk(plan, customers, loans.first_default_day, market,
                                             out.next_number("risk_assessments")))
        transactions, cases = build_card_activity(plan, customers, revenue, out.next_number("card_transactions"),
                                                  out.next_number("fraud_cases"))
        out.emit(card_transactions=transactions, fraud_cases=cases)
        out.emit(service_interactions=build_service(plan, customers, accounts, products, staff,
                                                    out.next_number("service_interactions")))
        out.emit(engagement_events=build_engagement(plan, customers, out.next_number("engagement_events")))
        out.emit(campaign_contacts=build_contacts(plan, customers, campaigns))
        bills, payments, actions = build_receivables(plan, customers, groups, staff, out.next_number("bills"),
                                                     out.next_number("payments"),
                                                     out.next_number("collection_actions"))
        out.emit(bills=bills, payments=payments, collection_actions=actions)
        out.chunk_done(chunk, len(plan.chunks), stop)
    out.table_done(*CUSTOMER_TABLES)
    out.emit(expenses=build_expenses(plan, revenue))
    out.table_done("expenses")
