"""What the benchmark scripts share: the filter combinations they time, a reader that times each query, and
percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import replace

import polars as pl

from warehouse.gateway import Gateway
from warehouse.queries.options import FilterOptions, default_scope
from warehouse.scope import Params, Scope, add_months, month_start


def filter_combinations(options: FilterOptions) -> dict[str, Scope]:
    """The default filters and three other combinations a user often picks, from the groups the data holds."""
    default = default_scope(options)
    last_quarter = add_months(month_start(default.end), -2)
    return {
        "default": default,
        "one region": replace(default, regions=options.regions[:1]),
        "segment and tier": replace(default, segments=options.segments[-1:], wealth_tiers=options.wealth_tiers[:1]),
        "last quarter, two regions": replace(default, start=last_quarter, regions=options.regions[:2]),
    }


class TimedReader:
    """A gateway's `frame`, noting each query and its time: what a page spends its time on."""

    def __init__(self, gateway: Gateway):
        self.gateway = gateway
        self.queries: list[tuple[str, float]] = []

    def frame(self, sql: str, params: Params | None = None) -> pl.DataFrame:
        started = time.perf_counter()
        try:
            return self.gateway.frame(sql, params)
        finally:
            self.queries.append((sql, time.perf_counter() - started))


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(seconds: Sequence[float]) -> dict:
    """p50 and p95 in milliseconds, and how many runs they rest on."""
    return {"p50_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(percentile(seconds, 0.95) * 1000, 1), "runs": len(seconds)}
