"""Overview: the bank's headline numbers for the chosen period and groups, and where they come from."""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, compare_stock, monthly
from warehouse.queries.customers import retention
from warehouse.scope import Scope


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Customers, AUM and active loans at the period end; revenue, net flows, loans issued, satisfaction and
    retention over the period; each against the previous equal-length period."""
    figures = compare_stock(db, scope, "customer_base_monthly", {"customers": "coalesce(sum(active_customers), 0)"},
                            month="date_trunc('month', month_end)")
    figures |= compare_stock(db, scope, "aum_monthly", {"aum": "coalesce(sum(aum), 0)"})
    figures |= compare_stock(db, scope, "loans_monthly", {"active_loans": "coalesce(sum(active_loans), 0)"})
    figures |= compare_periods(db, scope, "revenue_monthly", {"revenue": "coalesce(sum(total_revenue), 0)"})
    figures |= compare_periods(db, scope, "aum_monthly", {"net_flows": "coalesce(sum(net_flow), 0)"})
    figures |= compare_periods(db, scope, "loans_monthly", {"loans_issued": "coalesce(sum(loans_issued), 0)"})
    figures |= compare_periods(db, scope, "satisfaction_by_reason_monthly",
                               {"satisfaction": "sum(satisfaction_sum) / nullif(sum(satisfaction_responses), 0)"})
    figures["retention"] = Compared(retention(db, scope), retention(db, scope.previous()))
    return figures


def trends(db: Reader, scope: Scope) -> pl.DataFrame:
    """Monthly revenue and month-end AUM over the period: the sparklines of the cards."""
    revenue = monthly(db, scope, "revenue_monthly", {"revenue": "sum(total_revenue)"})
    aum = monthly(db, scope, "aum_monthly", {"aum": "sum(aum)", "net_flows": "sum(net_flow)"})
    customers = monthly(db, scope, "customer_base_monthly", {"customers": "sum(active_customers)"},
                        month="date_trunc('month', month_end)")
    loans = monthly(db, scope, "loans_monthly", {"active_loans": "sum(active_loans)",
                                                 "loans_issued": "sum(loans_issued)"})
    return (revenue.join(aum, on="month", how="full", coalesce=True)
            .join(customers, on="month", how="full", coalesce=True)
            .join(loans, on="month", how="full", coalesce=True).sort("month"))


def revenue_by_region(db: Reader, scope: Scope) -> pl.DataFrame:
    clause = scope.where(month="month")
    return db.frame(
        f"select region, sum(total_revenue) as revenue, sum(loan_interest_income) as loan_interest_income, "
        f"sum(fee_income) as fee_income, sum(card_interchange_income) as card_interchange_income "
        f"from revenue_monthly where {clause.sql} group by region order by revenue desc",
        clause.params,
    )


def aum_forecast(db: Reader, scope: Scope) -> pl.DataFrame:
    """Month-end AUM from the period start, then the twelve-month forecast with its 95% band."""
    return db.frame(
        "select month_end, aum, forecast, lower, upper, is_forecast "
        "from aum_forecast_for($regions, $segments, $wealth_tiers) "
        "where month_end >= $first_month order by month_end",
        {"regions": scope.visible_regions(), "segments": scope.visible_segments(),
         "wealth_tiers": list(scope.wealth_tiers) or None, "first_month": scope.first_month},
    )


def aum_by_category(db: Reader, scope: Scope) -> pl.DataFrame:
    clause = scope.where()
    return db.frame(
        f"""
        select product_category, sum(aum) as aum, sum(accounts) as accounts
        from aum_monthly
        where month_end = (select max(month_end) from aum_monthly where month <= $last_month) and {clause.sql}
        group by product_category
        order by aum desc
        """,
        {"last_month": scope.last_month, **clause.params},
    )


def customers_by_state(db: Reader, scope: Scope) -> pl.DataFrame:
    clause = scope.where()
    return db.frame(
        f"""
        select state, sum(active_customers) as customers
        from customer_base_monthly
        where month_end = (select max(month_end) from customer_base_monthly
                           where month_end < $last_month + interval 1 month) and {clause.sql}
        group by state
        order by customers desc, state
        """,
        {"last_month": scope.last_month, **clause.params},
    )


def region_summary(db: Reader, scope: Scope) -> pl.DataFrame:
    """The detail table: one row per region with the headline figures of the period."""
    period = scope.where(month="month")
    end = {"last_month": scope.last_month, **scope.where().params}
    return db.frame(
        f"""
        with revenue as (
            select region, sum(total_revenue) as revenue from revenue_monthly where {period.sql} group by region
        ),
        wealth as (
            select region,
                sum(net_flow) as net_flows,
                sum(aum) filter (where month = $last_month) as aum
            from aum_monthly where {period.sql} group by region
        ),
        lending as (
            select region,
                sum(loans_issued) as loans_issued,
                sum(amount_issued) as amount_issued,
                sum(active_loans) filter (where month = $last_month) as active_loans
            from loans_monthly where {period.sql} group by region
        ),
        base as (
            select region, sum(active_customers) as customers
            from customer_base_monthly
            where date_trunc('month', month_end) = $last_month and {scope.where().sql}
            group by region
        )
        select region, base.customers, revenue.revenue, wealth.aum, wealth.net_flows, lending.active_loans,
            lending.loans_issued, lending.amount_issued
        from base
        full join revenue using (region)
        full join wealth using (region)
        full join lending using (region)
        order by revenue desc nulls last, region
        """,
        {**period.params, **end},
    )


def load(db: Reader, scope: Scope, selected_regions: tuple[str, ...] = ()) -> dict[str, object]:
    """Everything the Overview page shows. Regions selected on the revenue chart narrow all the rest; the chart
    itself keeps every region of the scope, so another one can be picked."""
    by_region = revenue_by_region(db, scope)
    scope = scope.narrowed(regions=selected_regions or None)
    return {
        "kpis": kpis(db, scope),
        "trends": trends(db, scope),
        "revenue_by_region": by_region,
        "forecast": aum_forecast(db, scope),
        "aum_by_category": aum_by_category(db, scope),
        "customers_by_state": customers_by_state(db, scope),
        "region_summary": region_summary(db, scope),
    }
