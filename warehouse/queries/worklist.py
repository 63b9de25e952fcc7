"""Worklist: the overdue bills to chase today (billing_worklist), narrowed by billing group, collector, aging
bucket and amount, with each customer's last collection action, and the actions recorded in the app.

The worklist is a position at the data as-of date, so the period of the scope does not apply; its customer
groups (and the viewer's regions) do. The recorded actions are read from `recorded_collection_actions`, the
action log the gateway defines beside the warehouse (warehouse.actions), for the notes no view carries.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from warehouse.actions import RELATION
from warehouse.queries.common import Reader
from warehouse.scope import Clause, Scope

RECENT_ACTIONS = 100
NO_COLLECTOR = "No collector"


def filters(billing_groups: Sequence[str] = (), collectors: Sequence[str] = (), buckets: Sequence[str] = (),
            min_amount: float | None = None) -> Clause:
    """The page's own filters over billing_worklist; an empty choice keeps everything."""
    parts, params = [], {}
    for column, name, values in (("billing_group_id", "billing_groups", billing_groups),
                                 ("collector_id", "collectors", collectors),
                                 ("aging_bucket", "buckets", buckets)):
        if values:
            parts.append(f"list_contains(${name}, {column})")
            params[name] = list(values)
    if min_amount is not None:
        parts.append("open_amount >= $min_amount")
        params["min_amount"] = float(min_amount)
    return Clause(" and ".join(parts) or "true", params)


def bills(db: Reader, scope: Scope, clause: Clause) -> pl.DataFrame:
    """The overdue bills, most overdue first; the order does not depend on actions, so a selection made on
    the table still points at the same bills after an action is recorded."""
    where = scope.groups() & clause
    return db.frame(
        f"""
        select bill_id, customer_id, customer_name, billing_group_id, billing_group_name, billing_email,
            collector_id, coalesce(collector_name, '{NO_COLLECTOR}') as collector_name, region, segment,
            sales_channel, location, issue_date, due_date, amount, open_amount, days_past_due, aging_bucket,
            aging_bucket_rank, last_action_at, last_action_type, last_action_by, as_of_date
        from billing_worklist
        where {where.sql}
        order by days_past_due desc, open_amount desc, bill_id
        """,
        where.params,
    )


def options(db: Reader, scope: Scope) -> dict[str, object]:
    """What the filters offer: billing groups and collectors (id -> name) and aging buckets in order, among
    the overdue bills of the scope's groups.

    Read from billing_worklist_source_data, the stored worklist: it holds the same bills with the same groups
    and collectors (recorded actions only change a bill's last action), and needs no merging of the action
    log on every request."""
    where = scope.groups()
    groups = db.frame(
        f"select distinct billing_group_id, billing_group_name from billing_worklist_source_data "
        f"where billing_group_id is not null and {where.sql} order by billing_group_name, billing_group_id",
        where.params)
    collectors = db.frame(
        f"select distinct collector_id, collector_name from billing_worklist_source_data "
        f"where collector_id is not null and {where.sql} order by collector_name, collector_id", where.params)
    buckets = db.frame("select aging_bucket from aging_buckets where aging_bucket_rank > 1 "
                       "order by aging_bucket_rank")
    return {
        "billing_groups": dict(zip(groups["billing_group_id"], groups["billing_group_name"], strict=True)),
        "collectors": dict(zip(collectors["collector_id"], collectors["collector_name"], strict=True)),
        "buckets": buckets["aging_bucket"].to_list(),
    }


def kpis(frame: pl.DataFrame) -> dict[str, float]:
    """Headline figures of the bills shown (computed from the one worklist query, so they always agree)."""
    customers = frame.group_by("customer_id").agg(pl.col("last_action_at").max())
    return {
        "bills": frame.height,
        "customers": customers.height,
        "open_amount": float(frame["open_amount"].sum()) if frame.height else 0.0,
        "over_90_amount": float(frame.filter(pl.col("days_past_due") > 90)["open_amount"].sum())
        if frame.height else 0.0,
        "never_chased": customers.filter(pl.col("last_action_at").is_null()).height,
    }


def by_bucket(frame: pl.DataFrame) -> pl.DataFrame:
    return (frame.group_by("aging_bucket", "aging_bucket_rank")
            .agg(pl.col("open_amount").sum(), pl.len().alias("bills"), pl.col("customer_id").n_unique()
                 .alias("customers"))
            .sort("aging_bucket_rank").drop("aging_bucket_rank"))


def by_collector(frame: pl.DataFrame) -> pl.DataFrame:
    return (frame.group_by("collector_name")
            .agg(pl.col("open_amount").sum(), pl.len().alias("bills"), pl.col("customer_id").n_unique()
                 .alias("customers"))
            .sort(["open_amount", "collector_name"], descending=[True, False]))


def recorded(db: Reader, scope: Scope, limit: int = RECENT_ACTIONS) -> pl.DataFrame:
    """The latest actions recorded in the app, newest first, with the note the user wrote."""
    where = scope.groups(region="customers.region", segment="customers.segment",
                         wealth_tier="customers.wealth_tier")
    return db.frame(
        f"""
        select actions.action_at, actions.performed_by, actions.customer_id, customers.full_name as customer_name,
            actions.bill_id, actions.action_type, actions.outcome, actions.note
        from {RELATION} as actions
        left join stg_customers as customers on customers.customer_id = actions.customer_id
        where {where.sql}
        order by actions.action_at desc, actions.recorded_at desc, actions.action_id
        limit {int(limit)}
        """,
        where.params,
    )


def data_as_of(db: Reader):
    frame = db.frame("select as_of_date from stg_data_as_of")
    return frame["as_of_date"][0] if frame.height else None


def load(db: Reader, scope: Scope, billing_groups: Sequence[str] = (), collectors: Sequence[str] = (),
         buckets: Sequence[str] = (), min_amount: float | None = None) -> dict[str, object]:
    """Everything the Worklist page shows."""
    frame = bills(db, scope, filters(billing_groups, collectors, buckets, min_amount))
    return {
        "bills": frame,
        "options": options(db, scope),
        "kpis": kpis(frame),
        "by_bucket": by_bucket(frame),
        "by_collector": by_collector(frame),
        "recorded": recorded(db, scope),
        "as_of": data_as_of(db),
    }
