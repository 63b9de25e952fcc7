"""Collections: are customers paying their bills on time, and does chasing them work?

Default figures are by the month bills fell due. A due month is PENDING while some of its bills have not reached
D+60 at the data's as-of date (default_rate_monthly.pending_bills > 0): its default rate is not known yet, so
it is never reported as a number that looks final. For pending months the outstanding curve is read from
default_checkpoints_monthly (bill_default_checkpoints summed per month and group), and a checkpoint is shown only
once every bill of the month (of the group) has reached it, so a half-observed checkpoint can neither spike nor
drop. Cure rates follow the same idea with the 14-day cure window of collection_cure_monthly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, monthly
from warehouse.scope import Scope, add_months, month_end, month_start

CHECKPOINTS = (("outstanding_d_minus_3", "D-3"), ("outstanding_d0", "D0"), ("outstanding_d7", "D+7"),
               ("outstanding_d15", "D+15"), ("outstanding_d30", "D+30"), ("outstanding_d60", "D+60"))
SPLITS = {"income_band": "Income band", "region": "Region", "segment": "Segment"}
METRICS = {"default_rate": "Default rate", "billed": "Billed", "paid": "Paid"}
UNKNOWN = "Unknown"


def due_months(scope: Scope) -> list[date]:
    """The due months the period covers: the month-range slider's options."""
    return [add_months(scope.first_month, i) for i in range(scope.months)]


def within(scope: Scope, months: tuple[date, date] | None) -> Scope:
    """The scope narrowed to a range of due months (first and last month, inclusive); None keeps it whole."""
    if not months:
        return scope
    first, last = sorted(month_start(m) for m in months)
    start, end = max(scope.start, first), min(scope.end, month_end(last))
    return replace(scope, start=start, end=end) if start <= end else scope


def kpis(db: Reader, scope: Scope, actions: pl.DataFrame, cure: pl.DataFrame,
         worked: pl.DataFrame) -> dict[str, Compared]:
    """Billed, default rate at D+60, amount defaulted, collection actions, cure rate and the share of defaulted
    bills worked; each against the previous equal-length period. `actions`, `cure` and `worked` are the monthly
    frames of both periods (see `_both_periods`), so the live collection views are read once."""
    figures = compare_periods(db, scope, "default_rate_monthly", {
        "billed": "coalesce(sum(billed_amount) + sum(pending_amount), 0)",
        "default_rate": "sum(defaulted_outstanding_amount) / nullif(sum(billed_amount), 0)",
        "defaulted_amount": "coalesce(sum(defaulted_outstanding_amount), 0)",
        "pending_bills": "coalesce(sum(pending_bills), 0)",
    })
    periods = (scope, scope.previous())
    figures["actions"] = Compared(*(float(_in(actions, p)["actions"].sum()) for p in periods))
    figures["cure_rate"] = Compared(*(_ratio(_in(cure, p), "cured_actions", "actions_on_open_bills")
                                      for p in periods))
    figures["worked_share"] = Compared(*(_ratio(_in(worked, p), "actioned_defaulted_bills", "defaulted_bills")
                                         for p in periods))
    return figures


def _in(frame: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The rows of a monthly frame in the months of `scope`."""
    return frame.filter(pl.col("month").is_between(scope.first_month, scope.last_month))


def _ratio(frame: pl.DataFrame, numerator: str, denominator: str) -> float | None:
    below = frame[denominator].sum() if frame.height else 0
    return float(frame[numerator].sum()) / float(below) if below else None


def _both_periods(db: Reader, scope: Scope, view: str, measures: dict[str, str],
                  by: tuple[str, ...] = ()) -> pl.DataFrame:
    """A monthly frame of `view` over the previous period and this one, in one query: the collection views add
    the actions recorded in the app on every request, so each is read once per page."""
    both = replace(scope, start=min(scope.start, scope.previous().start))
    return monthly(db, both, view, measures, by=by)


def _checkpoint_sums(db: Reader, scope: Scope, split: str | None = None) -> pl.DataFrame:
    """Per due month (and `split` value): what was billed and what was still outstanding at each checkpoint.

    Final months come from default_rate_monthly. Pending months come from default_checkpoints_monthly over all
    their bills, a checkpoint's sum kept only when every bill of the group has reached it. `base` is the
    amount the curve divides by: billed_amount (bills whose D+60 is observed) for final months, every bill's
    amount for pending months."""
    key = _split_column(split)
    keys = f", {key} as split" if key else ""
    group = ", split" if key else ""
    clause = scope.where(month="month")
    same_split = " and pending.split is not distinct from final.split" if key else ""
    final_sums = ", ".join(f"sum({column}) as {column}" for column, _ in CHECKPOINTS)
    complete_sums = ", ".join(f"case when sum(observed_bills_{column.removeprefix('outstanding_')}) = sum(bills_due) "
                              f"then sum({column}) end as {column}" for column, _ in CHECKPOINTS)
    picked = ", ".join(f"case when final.is_pending then pending.{column} else final.{column} end as {column}"
                       for column, _ in CHECKPOINTS)
    return db.frame(
        f"""
        with final as (
            select cast(month as date) as month{keys},
                sum(bills) as bills, sum(defaulted_bills) as defaulted_bills,
                sum(billed_amount) as billed_amount, sum(defaulted_outstanding_amount) as defaulted_amount,
                sum(pending_bills) as pending_bills, sum(pending_amount) as pending_amount,
                sum(pending_bills) > 0 as is_pending, {final_sums}
            from default_rate_monthly where {clause.sql}
            group by all
        ),
        pending as (
            select cast(month as date) as month{keys}, sum(amount_due) as amount, {complete_sums}
            from default_checkpoints_monthly
            where {clause.sql}
                and month in (select month from final where is_pending)
            group by all
        )
        select final.month{", final.split" if key else ""}, final.is_pending,
            final.bills + final.pending_bills as all_bills, final.bills, final.pending_bills,
            final.billed_amount + final.pending_amount as billed, final.billed_amount, final.pending_amount,
            case when final.is_pending then null else final.defaulted_bills end as defaulted_bills,
            case when final.is_pending then null else final.defaulted_amount end as defaulted_amount,
            case when final.is_pending then pending.amount else final.billed_amount end as base,
            {picked}
        from final
        left join pending on pending.month = final.month{same_split}
        order by final.month{group}
        """,
        clause.params,
    )


def split_order(split: str, values: list[str]) -> list[str]:
    """The values of a split in reading order: income bands from the lowest up, others alphabetically; the
    customers of unknown income last."""
    def income(value: str) -> tuple[int, float, str]:
        digits = re.findall(r"\d+(?:\.\d+)?", value)
        if value == UNKNOWN:
            return 2, 0.0, value
        if not digits:
            return 1, 0.0, value
        return 0, -1.0 if value.lower().startswith(("under", "<", "less")) else float(digits[0]), value
    present = sorted({v for v in values if v is not None})
    return sorted(present, key=income) if split == "income_band" else sorted(present, key=lambda v: (v == UNKNOWN, v))


def _split_column(split: str | None) -> str | None:
    if split is None:
        return None
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {sorted(SPLITS)}")
    return f"coalesce({split}, '{UNKNOWN}')"


def _with_rates(sums: pl.DataFrame) -> pl.DataFrame:
    """Adds the rates of the sums: outstanding share at each checkpoint, default rates, paid by D+60."""
    return sums.with_columns(
        *[(pl.col(column) / pl.when(pl.col("base") > 0).then(pl.col("base"))).alias(f"{column}_share")
          for column, _ in CHECKPOINTS],
        (pl.col("defaulted_amount") / pl.when(pl.col("billed_amount") > 0).then(pl.col("billed_amount")))
        .alias("default_rate"),
        (pl.col("defaulted_bills") / pl.when(pl.col("bills") > 0).then(pl.col("bills"))).alias("bill_default_rate"),
        pl.when(pl.col("is_pending")).then(None).otherwise(pl.col("billed_amount") - pl.col("outstanding_d60"))
        .alias("paid"),
    )


def default_curve(months: pl.DataFrame) -> pl.DataFrame:
    """Long form of the outstanding curve: one row per due month and checkpoint (D-3 ... D+60), the share of the
    amount billed still outstanding then; pending months keep only the checkpoints every bill has reached."""
    if months.is_empty():
        return pl.DataFrame(schema={"month": pl.Date, "checkpoint": pl.String, "checkpoint_order": pl.Int32,
                                    "rate": pl.Float64, "outstanding": pl.Float64, "base": pl.Float64,
                                    "is_pending": pl.Boolean})
    parts = [
        months.select("month", pl.lit(label).alias("checkpoint"), pl.lit(order, pl.Int32).alias("checkpoint_order"),
                      pl.col(f"{column}_share").alias("rate"), pl.col(column).cast(pl.Float64).alias("outstanding"),
                      pl.col("base").cast(pl.Float64), "is_pending")
        for order, (column, label) in enumerate(CHECKPOINTS)
    ]
    return pl.concat(parts).drop_nulls("rate").sort("checkpoint_order", "month")


def by_split(db: Reader, scope: Scope, split: str) -> pl.DataFrame:
    """Per due month and value of `split` (in a column named after it, so charts colour a region or a segment as
    every page does): billed, paid by D+60 and the default rate at D+60."""
    return _with_rates(_checkpoint_sums(db, scope, split)).select(
        "month", pl.col("split").alias(split), "is_pending", "billed", "billed_amount", "pending_amount", "paid",
        "defaulted_amount", "default_rate", "bills", "pending_bills")


def actions_monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """Collection actions per month and type, over the previous period and this one."""
    return _both_periods(db, scope, "collection_actions_monthly", {
        "actions": "coalesce(sum(actions), 0)", "actions_on_bills": "coalesce(sum(actions_on_bills), 0)"},
        by=("action_type",))


def cure_by_type_monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """Actions on open bills and those that cured the bill within 14 days, per month and action type, over the
    previous period and this one."""
    return _both_periods(db, scope, "collection_cure_monthly", {
        "actions_on_open_bills": "coalesce(sum(actions_on_open_bills), 0)",
        "cured_actions": "coalesce(sum(cured_actions), 0)",
        "pending_actions": "coalesce(sum(pending_actions), 0)"}, by=("action_type",))


def actions_by_type(actions: pl.DataFrame, cure: pl.DataFrame) -> pl.DataFrame:
    """The period's actions per type, their share, and the cure rate of the actions on open bills."""
    taken = actions.group_by("action_type").agg(pl.col("actions").sum())
    cured = cure.group_by("action_type").agg(pl.col("actions_on_open_bills").sum(), pl.col("cured_actions").sum())
    return (taken.join(cured, on="action_type", how="full", coalesce=True)
            .with_columns(pl.col("actions", "actions_on_open_bills", "cured_actions").fill_null(0))
            .with_columns((pl.col("actions") / pl.col("actions").sum()).alias("share"),
                          (pl.col("cured_actions") / pl.when(pl.col("actions_on_open_bills") > 0)
                           .then(pl.col("actions_on_open_bills"))).alias("cure_rate"))
            .sort(["actions", "action_type"], descending=[True, False]))


def cure_monthly(cure: pl.DataFrame) -> pl.DataFrame:
    """Cure rate per month of action; months with actions whose 14-day window is still open are pending (their
    rate covers only the actions whose window is over)."""
    return (cure.group_by("month").agg(pl.col("actions_on_open_bills", "cured_actions", "pending_actions").sum())
            .sort("month")
            .with_columns((pl.col("cured_actions") / pl.when(pl.col("actions_on_open_bills") > 0)
                           .then(pl.col("actions_on_open_bills"))).alias("cure_rate"),
                          (pl.col("pending_actions") > 0).alias("is_pending")))


def defaulted_bills_worked(db: Reader, scope: Scope) -> pl.DataFrame:
    """Per due month: defaulted bills, how many got at least one collection action, and actions per bill; over
    the previous period and this one."""
    return _both_periods(db, scope, "defaulted_bill_actions_monthly", {
        "defaulted_bills": "coalesce(sum(defaulted_bills), 0)",
        "actioned_defaulted_bills": "coalesce(sum(actioned_defaulted_bills), 0)",
        "actions_on_defaulted_bills": "coalesce(sum(actions_on_defaulted_bills), 0)"}).with_columns(
        (pl.col("actioned_defaulted_bills") / pl.when(pl.col("defaulted_bills") > 0).then(pl.col("defaulted_bills")))
        .alias("worked_share"),
        (pl.col("actions_on_defaulted_bills") / pl.when(pl.col("defaulted_bills") > 0)
         .then(pl.col("defaulted_bills"))).alias("actions_per_bill"))


def detail(months: pl.DataFrame, actions: pl.DataFrame, cure: pl.DataFrame, worked: pl.DataFrame) -> pl.DataFrame:
    """The detail table: one row per due month with the default figures and the collection work of that month."""
    taken = actions.group_by("month").agg(pl.col("actions").sum()) if actions.height else \
        pl.DataFrame(schema={"month": pl.Date, "actions": pl.Float64})
    return (months.select("month", "is_pending", "all_bills", "pending_bills", "billed", "bills", "bill_default_rate",
                          "default_rate", "defaulted_amount", "paid", "outstanding_d0_share", "outstanding_d30_share",
                          "outstanding_d60_share")
            .join(taken, on="month", how="full", coalesce=True)
            .join(cure.select("month", "cure_rate"), on="month", how="left")
            .join(worked.select("month", "worked_share"), on="month", how="left")
            .with_columns(pl.when(pl.col("is_pending")).then(pl.lit("Pending"))
                          .when(pl.col("is_pending").is_null()).then(pl.lit("No bills due"))
                          .otherwise(pl.lit("Final")).alias("status"))
            .sort("month", descending=True))


def trends(months: pl.DataFrame, actions: pl.DataFrame, cure: pl.DataFrame) -> dict[str, list[float]]:
    """Sparklines of the cards: final months only for rates, so a pending month never looks like a drop."""
    final = months.filter(~pl.col("is_pending"))
    taken = actions.group_by("month").agg(pl.col("actions").sum()).sort("month") if actions.height else actions
    return {
        "billed": months["billed"].to_list(),
        "default_rate": final["default_rate"].to_list(),
        "defaulted_amount": final["defaulted_amount"].to_list(),
        "actions": taken["actions"].to_list() if taken.height else [],
        "cure_rate": cure.filter(~pl.col("is_pending"))["cure_rate"].to_list(),
    }


def load(db: Reader, scope: Scope, months: tuple[date, date] | None = None, metric: str = "default_rate",
         split: str = "income_band") -> dict[str, object]:
    """Everything the Collections page shows, for the due months chosen on the slider (default: the whole
    period), the metric of the split chart (default rate, billed or paid) and the split (income band, region or
    segment)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {sorted(METRICS)}")
    scope = within(scope, months)
    by_month = _with_rates(_checkpoint_sums(db, scope))
    actions_both, cure_both = actions_monthly(db, scope), cure_by_type_monthly(db, scope)
    worked_both = defaulted_bills_worked(db, scope)
    actions, cure_by_type, worked = _in(actions_both, scope), _in(cure_both, scope), _in(worked_both, scope)
    cure = cure_monthly(cure_by_type)
    return {
        "scope": scope,
        "metric": metric,
        "split": split,
        "kpis": kpis(db, scope, actions_both, cure_both, worked_both),
        "trends": trends(by_month, actions, cure),
        "by_month": by_month,
        "default_curve": default_curve(by_month),
        "pending_months": by_month.filter(pl.col("is_pending"))["month"].to_list(),
        "by_split": by_split(db, scope, split),
        "actions_monthly": actions,
        "actions_by_type": actions_by_type(actions, cure_by_type),
        "cure_monthly": cure,
        "defaulted_bills_worked": worked,
        "detail": detail(by_month, actions, cure, worked),
    }
