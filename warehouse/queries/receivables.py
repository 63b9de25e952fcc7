"""Receivables: what customers owe on a chosen date, how overdue it is, how that evolved, and who chased whom.

The position on the data as-of date is the materialized receivables_position; on an earlier month end it is read
from the materialized receivables_month_end_position (sorted by month end, so one month end reads only its rows);
on any other date it is rebuilt by the receivables_as_of macro. All three have the same rules and columns. The
month-end history is receivables_month_end_position summed per month end.
A drill path on the sales channel chart ((), (channel,) or (channel, subchannel)) narrows everything but that chart.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from warehouse.queries.common import Compared, Reader, has_rows
from warehouse.scope import TRUE, Clause, Scope, add_months, month_end

NO_SUBCHANNEL = "No subchannel"  # how bills without a subchannel are labelled (and picked) on the channel chart
CHANNEL = "sales_channel"
SUBCHANNEL = f"coalesce(sales_subchannel, '{NO_SUBCHANNEL}')"
OVERDUE_DAYS, DEFAULT_DAYS, LATE_DAYS = 0, 60, 90  # more than this many days past due


def data_as_of(db: Reader) -> date | None:
    return db.frame("select as_of_date from stg_data_as_of")["as_of_date"][0]


def position_source(as_of: date | None, data_date: date | None) -> tuple[str, dict[str, object]]:
    """The relation holding the position on `as_of`: the stored table on the data as-of date, the stored month-end
    position on an earlier month end (the KPIs compare a month end with a month end), else the macro."""
    if as_of is None or as_of == data_date:
        return "receivables_position", {}
    if data_date is not None and as_of < data_date and as_of == month_end(as_of):
        return ("(select * from receivables_month_end_position where as_of_date = $as_of) as positions",
                {"as_of": as_of})
    return "receivables_as_of($as_of)", {"as_of": as_of}


def month_ends_clause(scope: Scope, path: tuple[str, ...]) -> Clause:
    """The month ends of the period's months, as a range on the stored month-end position's sort column (so only
    those months' rows are read), with the scope's groups and the drilled channel."""
    months = Clause("as_of_date between $first_month and $last_month_end",
                    {"first_month": scope.first_month, "last_month_end": month_end(scope.last_month)})
    return months & scope.groups() & channel_clause(path)


def channel_clause(path: tuple[str, ...]) -> Clause:
    """The bills of the drilled channel (and subchannel); every bill when nothing is drilled."""
    if not path:
        return TRUE
    clause = Clause(f"{CHANNEL} = $channel", {"channel": path[0]})
    if len(path) > 1:
        clause = clause & Clause(f"{SUBCHANNEL} = $subchannel", {"subchannel": path[1]})
    return clause


def position_figures(db: Reader, scope: Scope, source: str, params: dict[str, object],
                     path: tuple[str, ...] = ()) -> dict[str, float | None]:
    """The headline figures of one position: open and overdue amounts, share overdue, bills in default,
    customers overdue and the amount more than 90 days past due."""
    clause = scope.groups() & channel_clause(path)
    row = db.frame(
        f"""
        select
            coalesce(sum(open_amount), 0) as open_amount,
            coalesce(sum(open_amount) filter (where days_past_due > {OVERDUE_DAYS}), 0) as overdue_amount,
            coalesce(sum(open_amount) filter (where days_past_due > {OVERDUE_DAYS}), 0)
                / nullif(sum(open_amount), 0) as share_overdue,
            count(*) filter (where days_past_due > {DEFAULT_DAYS}
                and open_amount > (select default_tolerance from receivables_settings)) as bills_in_default,
            count(distinct customer_id) filter (where days_past_due > {OVERDUE_DAYS}) as customers_overdue,
            coalesce(sum(open_amount) filter (where days_past_due > {LATE_DAYS}), 0) as over_90_amount,
            count(*) as open_bills
        from {source}
        where {clause.sql}
        """,
        {**params, **clause.params},
    ).row(0, named=True)
    return {name: None if value is None else float(value) for name, value in row.items()}


def kpis(db: Reader, scope: Scope, as_of: date, data_date: date | None,
         path: tuple[str, ...] = ()) -> tuple[dict[str, Compared], date]:
    """The figures on `as_of` against the same figures one period length earlier (as stocks are compared); a
    month end is compared with a month end."""
    previous_date = add_months(as_of, -scope.months)
    if as_of == month_end(as_of):
        previous_date = month_end(previous_date)
    current = position_figures(db, scope, *position_source(as_of, data_date), path)
    previous = position_figures(db, scope, *position_source(previous_date, data_date), path)
    return {name: Compared(current[name], previous[name]) for name in current}, previous_date


def month_end_series(db: Reader, scope: Scope, path: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open and overdue amounts at each month end of the period: the evolution line and the cards' trends."""
    clause = month_ends_clause(scope, path)
    return db.frame(
        f"""
        select
            as_of_date as month_end,
            sum(open_amount) as open_amount,
            coalesce(sum(open_amount) filter (where aging_bucket_rank >= 2), 0) as overdue_amount,
            coalesce(sum(open_amount) filter (where aging_bucket_rank >= 2), 0) / nullif(sum(open_amount), 0)
                as share_overdue,
            coalesce(sum(open_amount) filter (where aging_bucket_rank >= 5), 0) as over_90_amount,
            count(*) as open_bills
        from receivables_month_end_position
        where {clause.sql}
        group by as_of_date
        order by as_of_date
        """,
        clause.params,
    )


def by_channel(db: Reader, scope: Scope, source: str, params: dict[str, object],
               path: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open amount by sales channel, or by the subchannels of the drilled channel: the page's cross-filter."""
    clause = scope.groups()
    level = CHANNEL if not path else SUBCHANNEL
    if path:
        clause = clause & channel_clause(path[:1])
    return db.frame(
        f"""
        select
            {level} as channel,
            sum(open_amount) as open_amount,
            coalesce(sum(open_amount) filter (where days_past_due > {OVERDUE_DAYS}), 0) as overdue_amount,
            coalesce(sum(open_amount) filter (where days_past_due > {OVERDUE_DAYS}), 0)
                / nullif(sum(open_amount), 0) as share_overdue,
            count(*) as open_bills
        from {source}
        where {clause.sql}
        group by all
        order by open_amount desc, channel
        """,
        {**params, **clause.params},
    )


def aging_by_month_end(db: Reader, scope: Scope, path: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open amount by aging bucket at each month end of the period, buckets in their order."""
    clause = month_ends_clause(scope, path)
    return db.frame(
        f"""
        select as_of_date as month_end, aging_bucket, aging_bucket_rank, sum(open_amount) as open_amount,
            count(*) as open_bills
        from receivables_month_end_position
        where {clause.sql}
        group by as_of_date, aging_bucket, aging_bucket_rank
        order by as_of_date, aging_bucket_rank
        """,
        clause.params,
    )


def aging_by_location(db: Reader, scope: Scope, source: str, params: dict[str, object],
                      path: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open amount by location and aging bucket on the chosen date; locations by total, largest first."""
    clause = scope.groups() & channel_clause(path)
    return db.frame(
        f"""
        select location, aging_bucket, aging_bucket_rank, sum(open_amount) as open_amount,
            count(*) as open_bills,
            sum(sum(open_amount)) over (partition by location) as location_amount
        from {source}
        where {clause.sql}
        group by location, aging_bucket, aging_bucket_rank
        order by location_amount desc, location, aging_bucket_rank
        """,
        {**params, **clause.params},
    )


def aging_buckets(db: Reader) -> list[str]:
    return db.frame("select aging_bucket from aging_buckets order by aging_bucket_rank")["aging_bucket"].to_list()


def last_actions(db: Reader, scope: Scope, source: str, params: dict[str, object],
                 path: tuple[str, ...] = ()) -> pl.DataFrame:
    """Each customer's last collection action and who took it, with what they owe on the chosen date.

    With a channel drilled, only customers owing on bills of that channel are listed."""
    groups = scope.groups(region="actions.region", segment="actions.segment", wealth_tier="actions.wealth_tier")
    # what is owed is summed only for the customers in scope: the position and the actions both take a customer's
    # groups from stg_customers, so the customers left out could never join a listed action
    owed_rows = scope.groups() & channel_clause(path)
    join = "inner join" if path else "left join"
    return db.frame(
        f"""
        with owed as (
            select customer_id,
                sum(open_amount) as open_amount,
                coalesce(sum(open_amount) filter (where days_past_due > {OVERDUE_DAYS}), 0) as overdue_amount,
                count(*) as open_bills,
                greatest(max(days_past_due), 0) as max_days_past_due
            from {source}
            where {owed_rows.sql}
            group by customer_id
        )
        select
            actions.customer_id,
            customers.full_name as customer_name,
            actions.region,
            actions.segment,
            coalesce(owed.open_amount, 0) as open_amount,
            coalesce(owed.overdue_amount, 0) as overdue_amount,
            coalesce(owed.open_bills, 0) as open_bills,
            owed.max_days_past_due,
            actions.last_action_at,
            actions.last_action_type,
            actions.last_action_by,
            actions.last_action_outcome,
            actions.collection_actions
        from customer_last_collection_action as actions
        {join} owed on owed.customer_id = actions.customer_id
        left join stg_customers as customers on customers.customer_id = actions.customer_id
        where {groups.sql}
        order by overdue_amount desc, open_amount desc, actions.last_action_at desc, actions.customer_id
        """,
        {**params, **groups.params, **owed_rows.params},
    )


def default_tolerance(db: Reader) -> float:
    """Largest amount still owed at which a bill counts as paid (receivables_settings)."""
    return float(db.frame("select default_tolerance from receivables_settings")["default_tolerance"][0])


def has_bills(db: Reader) -> bool:
    return has_rows(db, "stg_bills")


def load(db: Reader, scope: Scope, as_of: date | None = None, channel_path: tuple[str, ...] = ()) -> dict[str, object]:
    """Everything the Receivables page shows. `as_of`: the date of the position (default: the data as-of date);
    `channel_path`: the drill-down on the channel chart, which narrows every other figure of the page."""
    data_date = data_as_of(db)
    as_of = as_of or data_date or scope.end
    path = tuple(channel_path)[:2]
    source, params = position_source(as_of, data_date)
    figures, previous_date = kpis(db, scope, as_of, data_date, path)
    return {
        "has_bills": has_bills(db),
        "default_tolerance": default_tolerance(db),
        "as_of": as_of,
        "data_as_of": data_date,
        "previous_as_of": previous_date,
        "kpis": figures,
        "month_ends": month_end_series(db, scope, path),
        "by_channel": by_channel(db, scope, source, params, path),
        "aging_by_month_end": aging_by_month_end(db, scope, path),
        "aging_by_location": aging_by_location(db, scope, source, params, path),
        "aging_buckets": aging_buckets(db),
        "last_actions": last_actions(db, scope, source, params, path),
    }
