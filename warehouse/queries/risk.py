"""Lending, risk and fraud: the loan book, how risky our customers are, and the fraud cases being worked on.

Loans follow the period (loans issued in it, the book at its last month). Credit risk and fraud figures on the
cards are positions at the period end (each customer's latest assessment up to that day; cases open on that
day) so they can be compared with the previous period's end; the charts and lists of assessments and open
investigations show today's position, as the risk views define it (latest assessment up to the data's as-of date).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, compare_stock, monthly
from warehouse.scope import Scope

SCATTER_POINTS = 1500  # loans drawn on the rate vs amount chart: a fixed pseudo-random sample beyond that
LIST_ROWS = 1000  # rows of the high-risk and open-investigation lists sent to the browser
OPEN_FRAUD_STATUSES = ("Open", "Under Investigation")
FRAUD_STATUS_ORDER = ("Open", "Under Investigation", "Confirmed Fraud", "Cleared")
LOAN_STATUS_ORDER = ("Active", "Closed", "Defaulted")


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Loan book at the period end, loans issued in the period, and the risk and fraud positions at the period
    end; each against the previous equal-length period."""
    figures = compare_stock(db, scope, "loans_monthly", {
        "active_loans": "coalesce(sum(active_loans), 0)",
        "outstanding_principal": "coalesce(sum(outstanding_principal), 0)",
    })
    figures |= compare_periods(db, scope, "loans_monthly", {
        "loans_issued": "coalesce(sum(loans_issued), 0)",
        "amount_issued": "coalesce(sum(amount_issued), 0)",
    })
    previous = scope.previous()
    positions = _risk_at(db, scope, scope.end, previous.end)
    for name in ("default_probability", "high_risk_customers", "assessed_customers"):
        figures[name] = Compared(positions[f"cur_{name}"], positions[f"prev_{name}"])
    figures["open_fraud_cases"] = Compared(*_open_fraud_at(db, scope, scope.end, previous.end))
    return figures


def _risk_at(db: Reader, scope: Scope, current: date, previous: date) -> dict[str, float | None]:
    """Average default probability and customers rated High, each customer at their latest assessment on or
    before `current` (cur_...) and on or before `previous` (prev_...): the rule of latest_risk_assessment on any
    day. risk_assessment_spells holds, per assessment, the days it is the customer's latest, so each day is a
    filter (one row per customer) rather than a ranking of every assessment; both days in one pass."""
    clause = scope.groups()

    def latest_on(day: str) -> str:
        return f"assessed_on <= ${day} and (superseded_on is null or superseded_on > ${day})"

    measures = ", ".join(
        f"count(risk_level) filter (where {latest_on(day)}) as {prefix}assessed_customers, "
        f"avg(default_probability) filter (where {latest_on(day)}) as {prefix}default_probability, "
        f"count(*) filter (where {latest_on(day)} and risk_level = 'High') as {prefix}high_risk_customers"
        for prefix, day in (("cur_", "current"), ("prev_", "previous")))
    row = db.frame(
        f"""
        select {measures}
        from risk_assessment_spells
        where assessed_on <= greatest($current, $previous)
            and (superseded_on is null or superseded_on > least($current, $previous))
            and {clause.sql}
        """,
        {"current": current, "previous": previous, **clause.params},
    ).row(0, named=True)
    return {name: None if value is None else float(value) for name, value in row.items()}


def _open_fraud_at(db: Reader, scope: Scope, current: date, previous: date) -> tuple[float, float]:
    """Fraud cases flagged on or before each day and not closed by then: on `current` and on `previous`, both
    in one pass over the cases."""
    clause = scope.groups(region="customers.region", segment="customers.segment",
                          wealth_tier="customers.wealth_tier")

    def open_on(day: str) -> str:
        return (f"cases.flagged_date <= ${day} and case when cases.closed_date is null "
                f"then list_contains($open_statuses, cases.status) else cases.closed_date > ${day} end")

    row = db.frame(
        f"""
        select count(*) filter (where {open_on("current")}) as current_cases,
            count(*) filter (where {open_on("previous")}) as previous_cases
        from stg_fraud_cases as cases
        left join stg_customers as customers on customers.customer_id = cases.customer_id
        where cases.flagged_date <= greatest($current, $previous)
            and {clause.sql}
        """,
        {"current": current, "previous": previous, "open_statuses": list(OPEN_FRAUD_STATUSES), **clause.params},
    ).row(0, named=True)
    return float(row["current_cases"]), float(row["previous_cases"])


def trends(db: Reader, scope: Scope) -> pl.DataFrame:
    """Monthly loan book and fraud cases flagged: the sparklines of the cards."""
    loans = monthly(db, scope, "loans_monthly", {
        "active_loans": "sum(active_loans)", "outstanding_principal": "sum(outstanding_principal)",
        "loans_issued": "sum(loans_issued)", "amount_issued": "sum(amount_issued)"})
    fraud = monthly(db, scope, "fraud_cases_monthly", {"fraud_cases": "sum(cases)"})
    return loans.join(fraud, on="month", how="full", coalesce=True).sort("month")


def loans_by_type_monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """Per month and loan type: loans and amount issued, active loans and outstanding principal at month end."""
    return monthly(db, scope, "loans_monthly", {
        "loans_issued": "coalesce(sum(loans_issued), 0)", "amount_issued": "coalesce(sum(amount_issued), 0)",
        "active_loans": "coalesce(sum(active_loans), 0)",
        "outstanding_principal": "coalesce(sum(outstanding_principal), 0)"}, by=("loan_type",))


def loans_by_region_status(db: Reader, scope: Scope) -> pl.DataFrame:
    """Loans issued in the period per borrower region and today's status."""
    clause = scope.where(month="month")
    return db.frame(
        f"select region, status, sum(loans) as loans, sum(principal) as principal "
        f"from loans_by_region_type_status where {clause.sql} group by all order by region, status",
        clause.params,
    )


def loans_by_type_status(db: Reader, scope: Scope) -> pl.DataFrame:
    """Loans issued in the period per loan type and today's status."""
    clause = scope.where(month="month")
    return db.frame(
        f"select loan_type, status, sum(loans) as loans, sum(principal) as principal "
        f"from loans_by_region_type_status where {clause.sql} group by all order by loan_type, status",
        clause.params,
    )


def rate_vs_amount(db: Reader, scope: Scope, limit: int = SCATTER_POINTS) -> tuple[pl.DataFrame, int]:
    """Loans issued in the period with their rate and amount: at most `limit` of them, always the same ones for
    the same filters (ordered by a hash of the loan id), and how many there are in all."""
    clause = scope.where(day="issue_date")
    frame = db.frame(
        f"""
        with chosen as (
            select loan_id, customer_id, loan_type, status, principal, interest_rate, term_months, issue_date,
                region, count(*) over () as loans_in_scope
            from loan_rate_vs_amount where {clause.sql}
        )
        select * from chosen order by hash(loan_id), loan_id limit $limit
        """,
        {"limit": limit, **clause.params},
    )
    total = int(frame["loans_in_scope"][0]) if frame.height else 0
    return frame.drop("loans_in_scope"), total


def credit_scores(db: Reader, scope: Scope) -> pl.DataFrame:
    """Customers per credit score band of their latest assessment, with each band's share."""
    clause = scope.groups()
    return db.frame(
        f"""
        select credit_score_band, credit_score_band_start, sum(customers) as customers,
            sum(customers) / sum(sum(customers)) over () as share
        from credit_score_distribution where {clause.sql}
        group by all order by credit_score_band_start
        """,
        clause.params,
    )


def default_probability_by_segment(db: Reader, scope: Scope) -> pl.DataFrame:
    """Average default probability (a customer average) and the share rated High, per segment."""
    clause = scope.groups()
    return db.frame(
        f"""
        select segment,
            sum(default_probability_sum) / nullif(sum(assessed_customers), 0) as default_probability,
            sum(assessed_customers) as assessed_customers,
            sum(assessed_customers) filter (where risk_level = 'High') as high_risk_customers,
            coalesce(sum(assessed_customers) filter (where risk_level = 'High'), 0)
                / nullif(sum(assessed_customers), 0) as high_risk_share,
            sum(default_probability_sum) as expected_defaults
        from default_probability_by_segment where {clause.sql}
        group by segment order by default_probability desc
        """,
        clause.params,
    )


def high_risk_customers(db: Reader, scope: Scope, limit: int = LIST_ROWS) -> tuple[pl.DataFrame, int]:
    """Customers rated High at their latest assessment, largest exposure first: at most `limit`, and the count."""
    clause = scope.groups()
    frame = db.frame(
        f"""
        select customer_id, full_name, region, segment, wealth_tier, assessed_on, credit_score,
            default_probability, open_loans, open_loan_principal, count(*) over () as listed
        from high_risk_customers where {clause.sql}
        order by open_loan_principal desc, default_probability desc, customer_id
        limit $limit
        """,
        {"limit": limit, **clause.params},
    )
    total = int(frame["listed"][0]) if frame.height else 0
    return frame.drop("listed"), total


def high_risk_share(segments: pl.DataFrame) -> float | None:
    """Customers rated High today / customers assessed, from the by-segment frame (so both agree)."""
    assessed = segments["assessed_customers"].sum() if segments.height else 0
    if not assessed:
        return None
    return float(segments["high_risk_customers"].fill_null(0).sum()) / float(assessed)


def fraud_by_status_monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """Fraud cases and amount at stake per month flagged and current status."""
    frame = monthly(db, scope, "fraud_cases_monthly", {"cases": "coalesce(sum(cases), 0)",
                                                        "amount": "coalesce(sum(amount), 0)"}, by=("status",))
    return _ranked(frame, "status", FRAUD_STATUS_ORDER)


def fraud_by_status(monthly_cases: pl.DataFrame) -> pl.DataFrame:
    """The period's fraud cases and amount at stake per current status, from the monthly frame (so both agree)."""
    return (monthly_cases.group_by("status", "status_rank").agg(pl.col("cases").sum(), pl.col("amount").sum())
            .sort("status_rank"))


def open_fraud_investigations(db: Reader, scope: Scope, limit: int = LIST_ROWS) -> tuple[pl.DataFrame, int]:
    """Fraud cases still being worked on today, longest open first: at most `limit`, and the count."""
    clause = scope.groups()
    frame = db.frame(
        f"""
        select case_id, transaction_id, customer_id, full_name, region, segment, flagged_date, status, amount,
            days_open, count(*) over () as listed
        from open_fraud_investigations where {clause.sql}
        order by days_open desc, amount desc, case_id
        limit $limit
        """,
        {"limit": limit, **clause.params},
    )
    total = int(frame["listed"][0]) if frame.height else 0
    return frame.drop("listed"), total


def _ranked(frame: pl.DataFrame, column: str, order: tuple[str, ...]) -> pl.DataFrame:
    """Adds `<column>_rank` so stacked charts stack in the business order (unknown values last)."""
    rank = {value: index for index, value in enumerate(order)}
    return frame.with_columns(
        pl.col(column).replace_strict(rank, default=len(order), return_dtype=pl.Int32).alias(f"{column}_rank"))


def load(db: Reader, scope: Scope) -> dict[str, object]:
    """Everything the Lending, risk & fraud page shows."""
    scatter, loans_in_scope = rate_vs_amount(db, scope)
    high_risk, high_risk_total = high_risk_customers(db, scope)
    investigations, investigations_total = open_fraud_investigations(db, scope)
    segments = default_probability_by_segment(db, scope)
    fraud = fraud_by_status_monthly(db, scope)
    return {
        "kpis": kpis(db, scope),
        "trends": trends(db, scope),
        "loans_by_type_monthly": loans_by_type_monthly(db, scope),
        "loans_by_region_status": _ranked(loans_by_region_status(db, scope), "status", LOAN_STATUS_ORDER),
        "loans_by_type_status": _ranked(loans_by_type_status(db, scope), "status", LOAN_STATUS_ORDER),
        "rate_vs_amount": scatter,
        "loans_in_scope": loans_in_scope,
        "credit_scores": credit_scores(db, scope),
        "default_probability_by_segment": segments,
        "high_risk_share": high_risk_share(segments),
        "high_risk_customers": high_risk,
        "high_risk_total": high_risk_total,
        "fraud_by_status_monthly": fraud,
        "fraud_by_status": fraud_by_status(fraud),
        "open_fraud_investigations": investigations,
        "open_fraud_total": investigations_total,
    }
