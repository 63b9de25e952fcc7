"""RFM & campaigns: who the best card customers are, what they spend and where, and whether campaigns convert.

RFM scores are those of `rfm_customers`: computed at the data's as-of date over the 365 days before it. The
period chosen in the sidebar applies to sales (trend, categories, the sales cards) and to campaigns (those that
started in it). Segments picked on the segment chart narrow the customer table, the R x F grid, the sales trend
and categories and the sales and conversion cards to the customers currently in those segments.
"""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, has_rows
from warehouse.scope import TRUE, Clause, Scope

TOP_SEGMENTS = ("Champions", "Loyal")
GRAINS = ("day", "week", "month", "quarter", "year")
DEFAULT_GRAIN = "month"
MAX_CUSTOMERS = 500  # rows of the customer table; the search narrows it, the target list export is complete

# sales_trend_daily carries the first day of each grain's period
_GRAIN_COLUMN = {"day": "sales_date", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
_GRAIN_LABEL = {
    "day": "strftime(period, '%Y-%m-%d')",
    "week": "'Week of ' || strftime(period, '%Y-%m-%d')",
    "month": "strftime(period, '%b %Y')",
    "quarter": "'Q' || quarter(period) || ' ' || year(period)",
    "year": "cast(year(period) as varchar)",
}


def _in_segments(selected: tuple[str, ...], column: str = "rfm_segment") -> Clause:
    """Rows of the RFM segments picked on the chart; every row when none is picked."""
    if not selected:
        return TRUE
    return Clause(f"list_contains($rfm_segments, {column})", {"rfm_segments": list(selected)})


# sale_days of card_sales_by_customer_monthly: bit d - 1 stands for day d of the month
_EVERY_DAY = (1 << 31) - 1


def _days_of_month(first: int, last: int) -> int:
    """The sale_days bits of days first..last of a month."""
    return (1 << last) - (1 << (first - 1))


def _buyers(scope: Scope, selected: tuple[str, ...], prefix: str) -> tuple[str, dict]:
    """A scalar subquery counting the customers with a card sale in the period (in its groups and the selected
    RFM segments), exactly for any dates: rows of the months the period touches, kept when the customer bought on
    one of the period's days of that month."""
    one_month = scope.first_month == scope.last_month
    clause = scope.where(month="month", prefix=prefix) & _in_segments(selected)
    clause &= Clause(
        f"(sale_days & case when month = ${prefix}first_month then ${prefix}first_month_days "
        f"when month = ${prefix}last_month then ${prefix}last_month_days else {_EVERY_DAY} end) <> 0",
        {f"{prefix}first_month_days": _days_of_month(scope.start.day, scope.end.day if one_month else 31),
         f"{prefix}last_month_days": _days_of_month(1, scope.end.day)})
    # counted as a bitmap over the dense customer keys (its range from the column's statistics): exact, and many
    # times cheaper than a hashed count(distinct) once there are a million customers
    buyers = "coalesce(bit_count(bitstring_agg(customer_key)), 0)"
    return f"(select {buyers} from card_sales_by_customer_monthly where {clause.sql})", clause.params


def _sales_total(scope: Scope, selected: tuple[str, ...], prefix: str) -> tuple[str, dict]:
    """A scalar subquery summing the card sales of the period (in its groups and the selected RFM segments)."""
    clause = scope.where(day="sales_date", month=None, prefix=prefix) & _in_segments(selected)
    source = "rfm_segment_sales_daily" if selected else "sales_trend_daily"
    return f"(select coalesce(sum(sales), 0) from {source} where {clause.sql})", clause.params


def has_data(db: Reader) -> bool:
    """Whether the warehouse holds any card sales or campaigns at all."""
    return has_rows(db, "sales_trend_daily", "stg_marketing_campaigns")


def segments(db: Reader, scope: Scope) -> pl.DataFrame:
    """One row per RFM segment of the scored customers in the scope's groups, best segment first."""
    clause = scope.groups()
    return db.frame(
        f"""
        select rfm_segment, min(rfm_segment_order) as rfm_segment_order,
            count(*) as customers,
            coalesce(sum(monetary), 0) as sales,
            sum(frequency) as transactions,
            sum(monetary) / count(*) as average_spend,
            avg(recency_days) as average_recency_days,
            count(*) / sum(count(*)) over () as share_of_customers,
            sum(monetary) / nullif(sum(sum(monetary)) over (), 0) as share_of_sales
        from rfm_customers
        where {clause.sql}
        group by rfm_segment
        order by rfm_segment_order, rfm_segment
        """,
        clause.params,
    )


def kpis(db: Reader, scope: Scope, selected: tuple[str, ...] = ()) -> dict[str, Compared | float | None]:
    """Scored customers (now), card sales, buyers and average spend per buyer (this period against the previous),
    the top segments' share of RFM spend, and the conversion rate of campaigns started in the period."""
    scored = scope.groups() & _in_segments(selected)
    now = db.frame(
        f"""
        select count(*) filter (where {scored.sql}) as customers,
            coalesce(sum(monetary) filter (where list_contains($top_segments, rfm_segment)), 0)
                / nullif(sum(monetary), 0) as top_share
        from rfm_customers
        where {scope.groups().sql}
        """,
        {**scored.params, "top_segments": list(TOP_SEGMENTS)},
    ).row(0, named=True)

    previous = scope.previous()
    current_sales, current_sales_params = _sales_total(scope, selected, "cur_")
    previous_sales, previous_sales_params = _sales_total(previous, selected, "prev_")
    current_buyers, current_buyers_params = _buyers(scope, selected, "cur_")
    previous_buyers, previous_buyers_params = _buyers(previous, selected, "prev_")
    sales = db.frame(
        f"""
        select is_current, sales, buyers, sales / nullif(buyers, 0) as average_spend
        from (
            select true as is_current, {current_sales} as sales, {current_buyers} as buyers
            union all
            select false, {previous_sales}, {previous_buyers}
        )
        """,
        {**current_sales_params, **previous_sales_params, **current_buyers_params, **previous_buyers_params},
    )
    by_period = {row["is_current"]: row for row in sales.iter_rows(named=True)}

    conversions = scope.where(day="start_date", month=None) & _in_segments(selected)
    earlier = previous.where(day="start_date", month=None, prefix="prev_") & _in_segments(selected)
    campaign = db.frame(
        f"""
        select sum(conversions) filter (where {conversions.sql})
                / nullif(sum(contacts) filter (where {conversions.sql}), 0) as conversion_rate,
            sum(conversions) filter (where {earlier.sql}) / nullif(sum(contacts) filter (where {earlier.sql}), 0)
                as previous_conversion_rate
        from campaign_conversions_by_rfm_segment
        """,
        {**conversions.params, **earlier.params},
    ).row(0, named=True)

    def compared(name: str) -> Compared:
        return Compared(_number(by_period[True][name]), _number(by_period[False][name]))

    return {
        "customers": float(now["customers"] or 0),
        "sales": compared("sales"),
        "buyers": compared("buyers"),
        "average_spend": compared("average_spend"),
        "top_share": _number(now["top_share"]),
        "conversion_rate": Compared(_number(campaign["conversion_rate"]),
                                    _number(campaign["previous_conversion_rate"])),
    }


def rf_grid(db: Reader, scope: Scope, selected: tuple[str, ...] = ()) -> pl.DataFrame:
    """Scored customers by recency score x frequency score, with the segment each cell belongs to."""
    clause = scope.groups() & _in_segments(selected)
    return db.frame(
        f"""
        select r_score, f_score, count(*) as customers, coalesce(sum(monetary), 0) as sales,
            string_agg(distinct rfm_segment, ', ' order by rfm_segment) as rfm_segment
        from rfm_customers
        where {clause.sql}
        group by r_score, f_score
        order by r_score, f_score
        """,
        clause.params,
    )


def sales_trend(db: Reader, scope: Scope, grain: str = DEFAULT_GRAIN, selected: tuple[str, ...] = ()) -> pl.DataFrame:
    """Card sales per day, week, month, quarter or year of the period; `partial` marks a first or last period the
    chosen dates cut short (its total is not comparable with the others)."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}: choose one of {', '.join(GRAINS)}")
    clause = scope.where(day="sales_date", month=None) & _in_segments(selected)
    params = clause.params
    if selected:
        source, period = "rfm_segment_sales_daily", f"cast(date_trunc('{grain}', sales_date) as date)"
    else:
        source, period = "sales_trend_daily", _GRAIN_COLUMN[grain]
    grouped = (f"select {period} as period, sum(sales) as sales, sum(transactions) as transactions "
               f"from {source} where {clause.sql} group by period")
    return db.frame(
        f"""
        select period, {_GRAIN_LABEL[grain]} as period_label, sales, transactions,
            sales / nullif(transactions, 0) as average_ticket,
            period < $period_start or cast(period + interval 1 {grain} - interval 1 day as date) > $period_end
                as partial
        from ({grouped})
        order by period
        """,
        {**params, "period_start": scope.start, "period_end": scope.end},
    )


def monthly_sales(db: Reader, scope: Scope, selected: tuple[str, ...] = ()) -> pl.DataFrame:
    """Card sales per month of the period: the sparkline of the sales card."""
    return sales_trend(db, scope, "month", selected).select("period", "sales")


def sales_by_category(db: Reader, scope: Scope, selected: tuple[str, ...] = ()) -> pl.DataFrame:
    """Card sales by merchant category over the months the period touches, largest first."""
    clause = scope.where(month="month") & _in_segments(selected)
    params = clause.params
    source = "rfm_segment_sales_by_merchant_category_monthly" if selected else "sales_by_merchant_category_monthly"
    grouped = (f"select merchant_category, sum(sales) as sales, sum(transactions) as transactions "
               f"from {source} where {clause.sql} group by merchant_category")
    return db.frame(
        f"""
        select merchant_category, sales, transactions,
            sales / nullif(sum(sales) over (), 0) as share_of_sales
        from ({grouped})
        order by sales desc, merchant_category
        """,
        params,
    )


def customers(db: Reader, scope: Scope, selected: tuple[str, ...] = (), search: str = "",
              limit: int = MAX_CUSTOMERS) -> pl.DataFrame:
    """Scored customers (biggest spenders first), at most `limit`, whose id or name contains `search`;
    `matching` is how many match in all."""
    clause = scope.groups(region="r.region", segment="r.segment", wealth_tier="r.wealth_tier")
    clause &= _in_segments(selected, "r.rfm_segment")
    columns = ("r.customer_id, c.full_name, r.rfm_segment, r.rfm_code, r.r_score, r.f_score, r.m_score, "
               "r.last_transaction_date, r.recency_days, r.frequency, r.monetary, r.region, r.segment, r.wealth_tier")
    search = search.strip().lower()
    if search:
        return db.frame(
            f"""
            select {columns}, count(*) over () as matching
            from rfm_customers as r
            inner join stg_customers as c on c.customer_id = r.customer_id
            where {clause.sql}
                and (contains(lower(r.customer_id), $search) or contains(lower(c.full_name), $search))
            order by r.monetary desc, r.customer_id
            limit $limit
            """,
            {**clause.params, "search": search, "limit": limit},
        )
    # no names to search: rank the scored customers alone and look up the names of the rows shown only
    return db.frame(
        f"""
        with shown as (
            select * from rfm_customers as r where {clause.sql} order by r.monetary desc, r.customer_id limit $limit
        )
        select {columns}, (select count(*) from rfm_customers as r where {clause.sql}) as matching
        from shown as r
        inner join stg_customers as c on c.customer_id = r.customer_id
        order by r.monetary desc, r.customer_id
        """,
        {**clause.params, "limit": limit},
    )


def target_list(db: Reader, scope: Scope, selected: tuple[str, ...]) -> pl.DataFrame:
    """Every customer of the selected RFM segments in the scope's groups, with contact details: the campaign
    target list (all of them, not limited like the table)."""
    clause = scope.groups(region="r.region", segment="r.segment", wealth_tier="r.wealth_tier")
    clause &= _in_segments(selected, "r.rfm_segment")
    return db.frame(
        f"""
        select r.customer_id, c.full_name, c.email, r.region, r.segment, r.wealth_tier, r.rfm_segment,
            r.rfm_code, r.r_score, r.f_score, r.m_score, r.last_transaction_date, r.frequency, r.monetary
        from rfm_customers as r
        inner join stg_customers as c on c.customer_id = r.customer_id
        where {clause.sql}
        order by r.rfm_segment_order, r.monetary desc, r.customer_id
        """,
        clause.params,
    )


def conversions_by_segment(db: Reader, scope: Scope) -> pl.DataFrame:
    """Contacts and conversions of the campaigns started in the period, by the contacted customers' RFM segment."""
    clause = scope.where(day="start_date", month=None)
    return db.frame(
        f"""
        select rfm_segment, min(rfm_segment_order) as rfm_segment_order,
            coalesce(sum(contacts), 0) as contacts, coalesce(sum(responses), 0) as responses,
            coalesce(sum(conversions), 0) as conversions, coalesce(sum(revenue), 0) as revenue,
            sum(responses) / nullif(sum(contacts), 0) as response_rate,
            sum(conversions) / nullif(sum(contacts), 0) as conversion_rate
        from campaign_conversions_by_rfm_segment
        where {clause.sql}
        group by rfm_segment
        order by rfm_segment_order, rfm_segment
        """,
        clause.params,
    )


def whole_campaigns(scope: Scope) -> bool:
    """Whether the scope sees whole campaigns: budgets cannot be split by region, segment or tier."""
    return not (scope.regions or scope.segments or scope.wealth_tiers or scope.restricted)


def campaigns(db: Reader, scope: Scope) -> pl.DataFrame:
    """Campaigns started in the period with their results among the scope's customers. Budget, cost per
    conversion and ROI only when the scope sees whole campaigns (see `whole_campaigns`), else empty."""
    clause = scope.where(day="start_date", month=None)
    whole = whole_campaigns(scope)
    budget = "p.budget" if whole else "cast(null as double)"
    return db.frame(
        f"""
        with results as (
            select campaign_id, sum(contacts) as contacts, sum(responses) as responses,
                sum(conversions) as conversions, sum(revenue) as revenue
            from campaign_conversions_by_rfm_segment
            where {clause.sql}
            group by campaign_id
        )
        select p.campaign_id, p.campaign_name, p.channel, coalesce(p.target_segment, 'Everyone') as target_segment,
            p.start_date, p.end_date, {budget} as budget,
            coalesce(r.contacts, 0) as contacts, coalesce(r.responses, 0) as responses,
            coalesce(r.conversions, 0) as conversions, coalesce(r.revenue, 0) as revenue,
            r.responses / nullif(r.contacts, 0) as response_rate,
            r.conversions / nullif(r.contacts, 0) as conversion_rate,
            {budget} / nullif(r.conversions, 0) as cost_per_conversion,
            (coalesce(r.revenue, 0) - {budget}) / nullif({budget}, 0) as roi
        from campaign_performance as p
        {"left" if whole else "inner"} join results as r on r.campaign_id = p.campaign_id
        where p.start_date between $period_start and $period_end
        order by p.start_date desc, p.campaign_id
        """,
        {**clause.params, "period_start": scope.start, "period_end": scope.end},
    )


def load(db: Reader, scope: Scope, selected_segments: tuple[str, ...] = (), grain: str = DEFAULT_GRAIN,
         search: str = "") -> dict[str, object]:
    """Everything the RFM & campaigns page shows. The segment chart and the campaign figures by segment keep
    every segment of the scope, so another one can be picked; the rest follows the picked segments."""
    selected = tuple(selected_segments)
    trend = sales_trend(db, scope, grain, selected)
    return {
        "kpis": kpis(db, scope, selected),
        # the monthly trend is the sparkline already: no need to ask twice
        "monthly_sales": trend.select("period", "sales") if grain == "month" else monthly_sales(db, scope, selected),
        "segments": segments(db, scope),
        "rf_grid": rf_grid(db, scope, selected),
        "sales_trend": trend,
        "sales_by_category": sales_by_category(db, scope, selected),
        "conversions_by_segment": conversions_by_segment(db, scope),
        "campaigns": campaigns(db, scope),
        "whole_campaigns": whole_campaigns(scope),
        "customers": customers(db, scope, selected, search),
    }


def _number(value: object) -> float | None:
    return None if value is None else float(value)
