"""Customers & churn: how the customer base grows, who the customers are, how long they stay and why they leave."""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, compare_stock, has_rows
from warehouse.scope import Scope

CHURN_GRAINS = ("month", "quarter")
# tenure (years) and balance bands of the tenure vs balance grid: lower edges after the first band
TENURE_EDGES = (1, 2, 3, 5, 10)
BALANCE_EDGES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
COHORT_MONTHS_SHOWN = 36  # months since enrollment drawn on the cohort grid
WATERFALL_STEPS = ("Start of period", "New", "Returning", "Churned", "End of period")


def has_data(db: Reader) -> bool:
    """Whether the warehouse holds any customer account at all (else the page says how to load some)."""
    return has_rows(db, "customer_activity_spells")


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Active customers at the period end; new, returning and churned customers, the weighted monthly churn rate
    over the period, and the period's retention; each against the previous equal-length period."""
    # the month-end snapshot is materialized; it counts the same active customers as the growth view's ends
    figures = compare_stock(db, scope, "customer_base_monthly",
                            {"active_customers": "coalesce(sum(active_customers), 0)"},
                            month="date_trunc('month', month_end)")
    figures |= compare_periods(db, scope, "customer_growth_monthly", {
        "new_customers": "coalesce(sum(new_customers), 0)",
        "returning_customers": "coalesce(sum(returning_customers), 0)",
        "churned_customers": "coalesce(sum(churned_customers), 0)",
        # churn_rate_monthly's definition, over the same parts: one pass over the growth view instead of two
        "churn_rate": "sum(churned_customers) / nullif(sum(start_customers), 0)",
    })
    figures["retention"] = Compared(retention(db, scope), retention(db, scope.previous()))
    return figures


def retention(db: Reader, scope: Scope) -> float | None:
    """Share of the customers active at the period start still active at its end."""
    clause = scope.groups()
    rate = db.frame(
        f"select sum(retained_customers) / nullif(sum(customers_at_start), 0) as retention "
        f"from retention_between($period_start, $period_end) where {clause.sql}",
        {"period_start": scope.start, "period_end": scope.end, **clause.params},
    )["retention"][0]
    return None if rate is None else float(rate)


def growth_monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """One row per month: customers at the start, new, returning, churned, at the end, the churn rate and the
    month's retention (the sparklines and the detail table)."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        with growth as (
            select month, sum(start_customers) as start_customers, sum(new_customers) as new_customers,
                sum(returning_customers) as returning_customers, sum(churned_customers) as churned_customers,
                sum(end_customers) as end_customers
            from customer_growth_monthly where {clause.sql} group by month
        ),
        kept as (
            select month, sum(retained_customers) as retained_customers,
                sum(customers_at_month_start) as customers_at_month_start
            from customer_retention_monthly where {clause.sql} group by month
        )
        select cast(growth.month as date) as month, start_customers, new_customers, returning_customers,
            churned_customers, end_customers,
            churned_customers / nullif(start_customers, 0) as churn_rate,
            retained_customers / nullif(customers_at_month_start, 0) as retention_rate
        from growth left join kept using (month)
        order by month
        """,
        clause.params,
    )


def waterfall(growth: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The period's growth as steps: customers at its start, + new, + returning, - churned, = customers at its end.

    `growth` is growth_monthly's frame; a month missing from it had no customers and no movement."""
    if growth.is_empty():
        return pl.DataFrame(schema={"step": pl.String, "customers": pl.Float64, "change": pl.Float64,
                                    "bottom": pl.Float64, "top": pl.Float64, "kind": pl.String})
    first = growth.filter(pl.col("month") == scope.first_month)["start_customers"]
    last = growth.filter(pl.col("month") == scope.last_month)["end_customers"]
    start = float(first[0]) if len(first) else 0.0
    end = float(last[0]) if len(last) else 0.0
    new, back, lost = (float(growth[name].sum()) for name in
                       ("new_customers", "returning_customers", "churned_customers"))
    rows, level = [], start
    rows.append((WATERFALL_STEPS[0], start, start, 0.0, start, "Customers"))
    for step, change in ((WATERFALL_STEPS[1], new), (WATERFALL_STEPS[2], back), (WATERFALL_STEPS[3], -lost)):
        rows.append((step, abs(change), change, min(level, level + change), max(level, level + change),
                     "Gained" if change >= 0 else "Lost"))
        level += change
    rows.append((WATERFALL_STEPS[4], end, end, 0.0, end, "Customers"))
    return pl.DataFrame(rows, schema={"step": pl.String, "customers": pl.Float64, "change": pl.Float64,
                                      "bottom": pl.Float64, "top": pl.Float64, "kind": pl.String}, orient="row")


def acquisition(db: Reader, scope: Scope) -> pl.DataFrame:
    """New customers by enrollment month and the channel of their first account."""
    clause = scope.where(month="month")
    return db.frame(
        f"select cast(month as date) as month, acquisition_channel, sum(new_customers) as new_customers "
        f"from customer_acquisition_monthly where {clause.sql} group by all order by all",
        clause.params,
    )


def segment_mix(db: Reader, scope: Scope) -> pl.DataFrame:
    """Active customers by segment at the period end, with each segment's share."""
    clause = scope.where()
    return db.frame(
        f"""
        select segment, sum(active_customers) as customers,
            sum(active_customers) / nullif(sum(sum(active_customers)) over (), 0) as share
        from customer_base_monthly
        where date_trunc('month', month_end) = $last_month and {clause.sql}
        group by segment
        having sum(active_customers) > 0
        order by customers desc, segment
        """,
        {**clause.params, "last_month": scope.last_month},
    )


def balance_by_age_band(db: Reader, scope: Scope) -> pl.DataFrame:
    """Average balance by segment and age band at the latest month end (a snapshot: the period does not apply)."""
    clause = scope.groups()
    return db.frame(
        f"""
        select segment, age_band, min(age_band_order) as age_band_order, sum(customers) as customers,
            sum(total_balance) as total_balance, sum(total_balance) / nullif(sum(customers), 0) as average_balance,
            max(balance_month_end) as balance_month_end
        from average_balance_by_age_band
        where {clause.sql}
        group by segment, age_band
        order by age_band_order, segment
        """,
        clause.params,
    )


def _band(column: str, edges: tuple[float, ...]) -> str:
    """A CASE numbering the bands of `column` split at `edges` (0 below the first edge)."""
    whens = " ".join(f"when {column} < {edge} then {i}" for i, edge in enumerate(edges))
    return f"case {whens} else {len(edges)} end"


def tenure_balance(db: Reader, scope: Scope) -> pl.DataFrame:
    """Customers in a grid of tenure bands x balance bands at the latest month end (a snapshot), aggregated in
    the warehouse so the page never receives one row per customer."""
    clause = scope.groups()
    frame = db.frame(
        f"""
        select {_band("tenure_years", TENURE_EDGES)} as tenure_band, {_band("total_balance", BALANCE_EDGES)}
            as balance_band, count(*) as customers, sum(total_balance) as total_balance,
            sum(total_balance) / count(*) as average_balance, avg(tenure_years) as average_tenure
        from customer_tenure_balance
        where {clause.sql}
        group by all
        order by all
        """,
        clause.params,
    )
    share = (pl.col("customers") / pl.col("customers").sum()).alias("share")
    return frame.with_columns(
        pl.col("tenure_band").cast(pl.Int64), pl.col("balance_band").cast(pl.Int64),
        pl.col("tenure_band").replace_strict(TENURE_LABELS, return_dtype=pl.String).alias("tenure"),
        share,
    )


def tenure_label(band: int) -> str:
    """A tenure band in years, e.g. '1–2' or '10+'."""
    edges = (0, *TENURE_EDGES)
    if band >= len(TENURE_EDGES):
        return f"{TENURE_EDGES[-1]}+"
    return f"{edges[band]}–{edges[band + 1]}"


TENURE_LABELS = {band: tenure_label(band) for band in range(len(TENURE_EDGES) + 1)}


def balance_bounds(band: int) -> tuple[float | None, float | None]:
    """The balance range of a band: (None, 1000) for the first, (10M, None) for the last."""
    edges = (None, *BALANCE_EDGES, None)
    return edges[band], edges[band + 1]


def cohort_grain(scope: Scope) -> str:
    """Cohorts by month for up to two years, by quarter up to six, by year beyond, so the grid stays readable."""
    return "month" if scope.months <= 24 else "quarter" if scope.months <= 72 else "year"


def cohorts(db: Reader, scope: Scope) -> pl.DataFrame:
    """Retention of the cohorts that enrolled in the period, by months since enrollment (first three years)."""
    clause = scope.where(month="cohort_month")
    grain = cohort_grain(scope)
    return db.frame(
        f"""
        select cast(date_trunc('{grain}', cohort_month) as date) as cohort, months_since_enrollment,
            sum(cohort_customers) as cohort_customers, sum(active_customers) as active_customers,
            sum(active_customers) / nullif(sum(cohort_customers), 0) as retention_share
        from retention_cohort_matrix
        where months_since_enrollment <= $max_months and {clause.sql}
        group by all
        having sum(cohort_customers) > 0
        order by all
        """,
        {**clause.params, "max_months": COHORT_MONTHS_SHOWN},
    )


def account_flows(db: Reader, scope: Scope) -> pl.DataFrame:
    """Accounts opened in the period by channel, product category and current status (the flow diagram)."""
    clause = scope.where(month="month")
    return db.frame(
        f"select channel, product_category, account_status, sum(accounts) as accounts "
        f"from account_flows_monthly where {clause.sql} group by all having sum(accounts) > 0 order by all",
        clause.params,
    )


def churn_reasons(db: Reader, scope: Scope, grain: str = "month") -> pl.DataFrame:
    """Product exits by reason per month or quarter of the period, with the customers lost and won back."""
    if grain not in CHURN_GRAINS:
        raise ValueError(f"churn grain must be one of {CHURN_GRAINS}, not {grain!r}")
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select cast({grain} as date) as period, reason, sum(product_exits) as product_exits,
            sum(customer_churn_exits) as customer_churn_exits, sum(recovered_exits) as recovered_exits,
            sum(lifetime_value) as lifetime_value,
            sum(exit_survey_score_sum) / nullif(sum(exit_survey_responses), 0) as exit_score
        from churn_by_reason_monthly
        where {clause.sql}
        group by all
        order by all
        """,
        clause.params,
    )


def load(db: Reader, scope: Scope, churn_grain: str = "month",
         selected_segments: tuple[str, ...] = ()) -> dict[str, object]:
    """Everything the Customers & churn page shows. Segments picked on the segment chart narrow all the rest;
    that chart keeps every segment of the scope so another one can be picked."""
    mix = segment_mix(db, scope)
    scope = scope.narrowed(segments=selected_segments or None)
    growth = growth_monthly(db, scope)
    return {
        "has_data": has_data(db),
        "kpis": kpis(db, scope),
        "growth": growth,
        "waterfall": waterfall(growth, scope),
        "acquisition": acquisition(db, scope),
        "segment_mix": mix,
        "balance_by_age_band": balance_by_age_band(db, scope),
        "tenure_balance": tenure_balance(db, scope),
        "cohorts": cohorts(db, scope),
        "cohort_grain": cohort_grain(scope),
        "account_flows": account_flows(db, scope),
        "churn_reasons": churn_reasons(db, scope, churn_grain),
    }
