"""Query shapes every page uses: a measure this period against the previous one, and a monthly trend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

import polars as pl

from warehouse.scope import Params, Scope


class Reader(Protocol):
    def frame(self, sql: str, params: Params | None = None) -> pl.DataFrame: ...


@dataclass(frozen=True)
class Compared:
    """A measure in the chosen period and in the equal-length period before it (None where there is no data)."""

    current: float | None
    previous: float | None


def compare_periods(
    db: Reader,
    scope: Scope,
    view: str,
    measures: Mapping[str, str],
    *,
    month: str | None = "month",
    day: str | None = None,
    **group_columns: str | None,
) -> dict[str, Compared]:
    """Aggregate flows (`measures`: name -> SQL aggregate over `view`) over this period and the previous one.

    Ratios belong here as ratios of sums, e.g. "sum(resolved) / nullif(sum(contacts), 0)"; counts and amounts
    as "coalesce(sum(x), 0)" so a period without rows reads 0 rather than no value.
    """
    return _compare(db, scope, scope.previous(), view, measures, month=month, day=day, **group_columns)


def compare_stock(
    db: Reader,
    scope: Scope,
    view: str,
    measures: Mapping[str, str],
    *,
    month: str = "month",
    **group_columns: str | None,
) -> dict[str, Compared]:
    """Aggregate stocks (AUM, active customers) in the last month of this period and of the previous one."""
    previous = scope.previous()
    return _compare(db, replace(scope, start=scope.last_month), replace(previous, start=previous.last_month),
                    view, measures, month=month, **group_columns)


def _compare(db: Reader, current_scope: Scope, previous_scope: Scope, view: str, measures: Mapping[str, str],
             *, month: str | None, day: str | None = None, **group_columns: str | None) -> dict[str, Compared]:
    current = current_scope.where(month=month, day=day, prefix="cur_", **group_columns)
    previous = previous_scope.where(month=month, day=day, prefix="prev_", **group_columns)
    selects = ", ".join(f"{expression} as {name}" for name, expression in measures.items())
    # both periods always get a row, so coalesce(sum(x), 0) reads 0 for a period without data
    result = db.frame(
        f"select periods.is_current, {selects} "
        f"from (values (true), (false)) as periods(is_current) "
        f"left join {view} on ({current.sql}) = periods.is_current and (({current.sql}) or ({previous.sql})) "
        f"group by periods.is_current",
        {**current.params, **previous.params},
    )
    by_period = {row["is_current"]: row for row in result.iter_rows(named=True)}
    return {
        name: Compared(_number(by_period.get(True, {}).get(name)), _number(by_period.get(False, {}).get(name)))
        for name in measures
    }


def monthly(
    db: Reader,
    scope: Scope,
    view: str,
    measures: Mapping[str, str],
    *,
    month: str = "month",
    by: tuple[str, ...] = (),
    **group_columns: str | None,
) -> pl.DataFrame:
    """One row per month of the period (and per `by` column), with `measures` aggregated; months in order."""
    clause = scope.where(month=month, **group_columns)
    keys = ", ".join((f"cast({month} as date) as month", *by))
    selects = ", ".join(f"{expression} as {name}" for name, expression in measures.items())
    return db.frame(
        f"select {keys}, {selects} from {view} where {clause.sql} group by all order by all", clause.params
    )


def has_rows(db: Reader, *relations: str) -> bool:
    """Whether any of these views holds a row: a page whose area was not loaded says so instead of showing zeros."""
    checks = " or ".join(f"exists (select 1 from {relation})" for relation in relations)
    return bool(db.frame(f"select {checks} as has_rows")["has_rows"][0])


def _number(value: object) -> float | None:
    return None if value is None else float(value)
