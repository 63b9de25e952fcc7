"""Wealth & products: AUM, flows, fees and returns of the investment book, product by product.

Per-product figures for the period come from the product_performance_between macro (one query, product x
region), filtered by scope.groups; everything by product, investment type or risk level is regrouped from that
frame, always as ratios of sums (ROI = sum(investment_returns) / sum(average_balance)). Monthly series come from
aum_monthly. The period is taken as whole months: the macro gets the first day of the first month and the last
day of the last month the period touches, like every monthly measure.
"""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, compare_stock, has_rows, monthly
from warehouse.scope import Scope, month_end

RISK_ORDER = ("Low", "Medium", "High")
TOP_N = 5


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """AUM and investment accounts at the period end; net flows, fee revenue, investment returns and ROI over the
    period; each against the previous equal-length period."""
    figures = compare_stock(db, scope, "aum_monthly", {"aum": "coalesce(sum(aum), 0)",
                                                       "accounts": "coalesce(sum(accounts), 0)"})
    figures |= compare_periods(db, scope, "aum_monthly", {
        "net_flows": "coalesce(sum(net_flow), 0)",
        "contributions": "coalesce(sum(contributions), 0)",
        "withdrawals": "coalesce(sum(withdrawals), 0)",
        "fees": "coalesce(sum(fees), 0)",
        "investment_returns": "coalesce(sum(investment_returns), 0)",
    })
    figures["roi"] = Compared(roi(db, scope), roi(db, scope.previous()))
    return figures


def _macro_params(scope: Scope) -> dict[str, object]:
    return {"macro_start": scope.first_month, "macro_end": month_end(scope.last_month)}


def roi(db: Reader, scope: Scope) -> float | None:
    """Investment returns over the average month-end balance of the period (not annualised)."""
    clause = scope.groups()
    value = db.frame(
        f"select sum(investment_returns) / nullif(sum(average_balance), 0) as roi "
        f"from product_performance_between($macro_start, $macro_end) where {clause.sql}",
        {**_macro_params(scope), **clause.params},
    )["roi"][0]
    return None if value is None else float(value)


def trends(db: Reader, scope: Scope) -> pl.DataFrame:
    """One row per month: month-end AUM and accounts, the month's flows, fees and returns, and the monthly
    portfolio return (returns over the balances the month started from)."""
    return monthly(db, scope, "aum_monthly", {
        "aum": "sum(aum)",
        "accounts": "sum(accounts)",
        "contributions": "sum(contributions)",
        "withdrawals": "sum(withdrawals)",
        "net_flow": "sum(net_flow)",
        "fees": "sum(fees)",
        "investment_returns": "sum(investment_returns)",
        "monthly_return": "sum(investment_returns) / nullif(sum(opening_balance), 0)",
    })


def product_regions(db: Reader, scope: Scope) -> pl.DataFrame:
    """Product x region figures of the period (the detail table and the base of every per-product figure)."""
    clause = scope.groups()
    return db.frame(
        f"""
        select product_id, product_name, product_category, investment_type, risk_level, region,
            sum(current_value) as aum,
            sum(average_balance) as average_balance,
            sum(investment_returns) as investment_returns,
            sum(fees) as fees,
            sum(contributions) as contributions,
            sum(withdrawals) as withdrawals,
            sum(net_flow) as net_flow,
            sum(amount_invested) as amount_invested,
            sum(investment_returns) / nullif(sum(average_balance), 0) as return_rate
        from product_performance_between($macro_start, $macro_end)
        where {clause.sql}
        group by all
        order by product_name, region
        """,
        {**_macro_params(scope), **clause.params},
    )


def volatility(db: Reader, scope: Scope) -> pl.DataFrame:
    """Per product: the standard deviation of its monthly returns in the period (the risk axis) and its
    investment accounts at the period end."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        with months as (
            select product_id, month,
                sum(investment_returns) / nullif(sum(opening_balance), 0) as monthly_return,
                sum(accounts) filter (where month = $last_month) as accounts
            from aum_monthly
            where {clause.sql}
            group by product_id, month
        )
        select product_id, stddev_samp(monthly_return) as volatility, coalesce(sum(accounts), 0) as accounts
        from months
        group by product_id
        """,
        clause.params,
    )


_SUMS = ("aum", "average_balance", "investment_returns", "fees", "contributions", "withdrawals", "net_flow",
         "amount_invested")


def _regroup(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Sum the additive columns by `keys` and recompute the return rate from the sums."""
    return (frame.group_by(keys).agg([pl.col(c).sum() for c in _SUMS])
            .with_columns(_ratio(pl.col("investment_returns"), pl.col("average_balance")).alias("return_rate")))


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    return pl.when(denominator != 0).then(numerator / denominator).otherwise(None)


def products(by_region: pl.DataFrame, risk: pl.DataFrame) -> pl.DataFrame:
    """The product matrix: one row per product, biggest AUM first."""
    keys = ["product_id", "product_name", "product_category", "investment_type", "risk_level"]
    grouped = _regroup(by_region, keys).join(risk, on="product_id", how="left")
    return grouped.with_columns(pl.col("accounts").fill_null(0)).sort(["aum", "product_name"],
                                                                      descending=[True, False])


def roi_by_investment_type(by_region: pl.DataFrame) -> pl.DataFrame:
    return _regroup(by_region, ["investment_type"]).sort("return_rate", descending=True, nulls_last=True)


def aum_by_risk(product_table: pl.DataFrame) -> pl.DataFrame:
    """AUM at the period end by risk level, Low to High, with each level's share of the total."""
    grouped = product_table.group_by("risk_level").agg(pl.col("aum").sum(), pl.col("accounts").sum(),
                                                       pl.len().alias("products"))
    total = grouped["aum"].sum()
    rank = {level: i for i, level in enumerate(RISK_ORDER)}
    return (grouped.with_columns(
        (pl.col("aum") / total if total else pl.lit(None, pl.Float64)).alias("share"),
        pl.col("risk_level").replace_strict(rank, default=len(rank), return_dtype=pl.Int64).alias("risk_rank"))
        .sort(["risk_rank", "risk_level"]).drop("risk_rank"))


def top_and_bottom(product_table: pl.DataFrame, n: int = TOP_N) -> pl.DataFrame:
    """The n products with the highest and the n with the lowest return rate (fewer when there are few
    products, so no product is in both)."""
    ranked = product_table.filter(pl.col("return_rate").is_not_null()).sort(["return_rate", "product_name"],
                                                                              descending=[True, False])
    if ranked.is_empty():
        return ranked.with_columns(pl.lit("", pl.String).alias("group"))
    take = min(n, max(ranked.height // 2, 1))
    top = ranked.head(take).with_columns(pl.lit(f"Top {take}").alias("group"))
    bottom = ranked.tail(take).with_columns(pl.lit(f"Bottom {take}").alias("group")) if ranked.height > 1 \
        else ranked.clear().with_columns(pl.lit("", pl.String).alias("group"))
    return pl.concat([top, bottom])


def fees_by_category(db: Reader, scope: Scope) -> pl.DataFrame:
    """Fee revenue per month and product category."""
    return monthly(db, scope, "aum_monthly", {"fees": "sum(fees)"}, by=("product_category",))


def benchmark(db: Reader, scope: Scope) -> pl.DataFrame:
    """The monthly portfolio return of the chosen groups against the equity and bond indices, and each one's
    cumulative return since the period start (monthly returns compounded), in long form: one row per month and
    series. Computed as portfolio_vs_benchmark_monthly does, from the filtered parts of aum_monthly."""
    clause = scope.where(month="month")
    wide = db.frame(
        f"""
        with portfolio as (
            select month, sum(investment_returns) / nullif(sum(opening_balance), 0) as portfolio_return
            from aum_monthly where {clause.sql}
            group by month
        )
        select cast(portfolio.month as date) as month, portfolio.portfolio_return,
            market.equity_index_return, market.bond_index_return
        from portfolio
        left join market_returns_monthly as market on market.month = portfolio.month
        order by month
        """,
        clause.params,
    )
    series = {"portfolio_return": "Portfolio", "equity_index_return": "Equity index",
              "bond_index_return": "Bond index"}
    parts = []
    for column, name in series.items():
        part = wide.select("month", pl.col(column).alias("monthly_return")).filter(
            pl.col("monthly_return").is_not_null())
        if part.is_empty():
            continue
        parts.append(part.with_columns(
            pl.lit(name).alias("series"),
            ((pl.col("monthly_return") + 1).cum_prod() - 1).alias("cumulative_return")))
    if not parts:
        return pl.DataFrame(schema={"month": pl.Date, "monthly_return": pl.Float64, "series": pl.String,
                                    "cumulative_return": pl.Float64})
    return pl.concat(parts).select("month", "series", "monthly_return", "cumulative_return")


def has_data(db: Reader) -> bool:
    """Whether the warehouse holds any investment account snapshot at all (whatever the filters)."""
    return has_rows(db, "aum_monthly")


def load(db: Reader, scope: Scope) -> dict[str, object]:
    """Everything the Wealth & products page shows."""
    if not has_data(db):
        return {"has_data": False}
    by_region = product_regions(db, scope)
    product_table = products(by_region, volatility(db, scope))
    return {
        "has_data": True,
        "kpis": kpis(db, scope),
        "trends": trends(db, scope),
        "products": product_table,
        "product_regions": by_region,
        "roi_by_investment_type": roi_by_investment_type(by_region),
        "aum_by_risk": aum_by_risk(product_table),
        "top_and_bottom": top_and_bottom(product_table),
        "fees_by_category": fees_by_category(db, scope),
        "benchmark": benchmark(db, scope),
    }
