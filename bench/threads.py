"""Every page's data-access call from many threads sharing ONE gateway, as the app's sessions share one.

    python bench/threads.py [--db data/warehouse.duckdb] [--threads 16] [--seconds 60]

Each thread takes the next (page, filters) pair of a shared round and runs that page's `load()`: every page with
the filter combinations of bench/run.py (the default filters, one region, a segment and a wealth tier, the last
quarter in two regions) and a viewer restricted to two regions. The app's result cache is left out on purpose, so every call
reaches DuckDB. Every result is compared with the same call's single-threaded result. Prints the queries and loads
run, the errors and differing results (both must be 0), and the median and 95th percentile latency of a query and
of a page load. Exits with status 1 when anything failed or differed.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import math
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measuring import TimedReader, filter_combinations, percentile
from warehouse import settings
from warehouse.gateway import Gateway
from warehouse.queries import PAGES
from warehouse.queries.common import Reader
from warehouse.queries.options import filter_options
from warehouse.scope import Scope


@dataclass(frozen=True)
class Task:
    page: str  # the query module
    filters: str  # what the scope is, for reports
    scope: Scope

    def run(self, db: Reader) -> dict[str, object]:
        return importlib.import_module(f"warehouse.queries.{self.page}").load(db, self.scope)

    def __str__(self) -> str:
        return f"{self.page} ({self.filters})"


def tasks(gateway: Gateway) -> list[Task]:
    """Every page with each of a few filter combinations, drawn from the groups the warehouse holds."""
    options = filter_options(gateway)
    scopes = filter_combinations(options)
    scopes["viewer restricted to two regions"] = replace(scopes["default"], allowed_regions=options.regions[1:3])
    return [Task(page, filters, scope) for page in PAGES for filters, scope in scopes.items()]


@dataclass
class Report:
    threads: int
    seconds: float = 0.0
    runs: dict[str, int] = field(default_factory=dict)  # task -> loads completed
    query_seconds: list[float] = field(default_factory=list)
    load_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)  # tasks whose result differed from the expected one

    @property
    def ok(self) -> bool:
        return not self.errors and not self.differences

    def add(self, part: Report) -> None:
        for task, runs in part.runs.items():
            self.runs[task] += runs
        self.query_seconds += part.query_seconds
        self.load_seconds += part.load_seconds
        self.errors += part.errors
        self.differences += part.differences


def single_threaded(gateway: Gateway, work: Sequence[Task]) -> list[dict[str, object]]:
    return [task.run(gateway) for task in work]


def hammer(gateway: Gateway, work: Sequence[Task], *, threads: int, seconds: float,
           expected: Sequence[dict[str, object]] | None = None) -> Report:
    """Run `work` round-robin from `threads` threads sharing `gateway`, for `seconds` and at least until each task
    has been handed out once (so a short run still covers every task); compare results with `expected`."""
    report = Report(threads, runs={str(task): 0 for task in work})
    turns, turns_lock, report_lock = itertools.count(), threading.Lock(), threading.Lock()
    deadline = time.perf_counter() + seconds

    def next_turn() -> int | None:
        with turns_lock:
            turn = next(turns)
        return turn if turn < len(work) or time.perf_counter() < deadline else None

    def worker() -> None:
        reader, mine = TimedReader(gateway), Report(threads, runs={str(task): 0 for task in work})
        while (turn := next_turn()) is not None:
            index = turn % len(work)
            _run_one(work[index], reader, mine, expected[index] if expected is not None else None)
        mine.query_seconds = [spent for _, spent in reader.queries]
        with report_lock:
            report.add(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, name=f"bench-{i}") for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    report.seconds = time.perf_counter() - started
    return report


def _run_one(task: Task, reader: TimedReader, report: Report, expected: dict[str, object] | None) -> None:
    started = time.perf_counter()
    try:
        result = task.run(reader)
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported, none may stop the others
        report.errors.append(f"{task}: {type(error).__name__}: {error}")
        return
    report.load_seconds.append(time.perf_counter() - started)
    report.runs[str(task)] += 1
    if expected is not None and not same(result, expected):
        report.differences.append(str(task))


def same(actual: object, expected: object) -> bool:
    """Equal results of a page's `load()`: frames equal as sets of rows (DuckDB does not fix the order of rows
    that tie on the ORDER BY), floats equal to 1e-9 relative (a parallel sum may add in another order)."""
    if isinstance(expected, pl.DataFrame):
        return (isinstance(actual, pl.DataFrame) and actual.schema == expected.schema
                and same(_sorted_rows(actual), _sorted_rows(expected)))
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and actual.keys() == expected.keys()
                and all(same(actual[key], expected[key]) for key in expected))
    if isinstance(expected, list | tuple):
        return (type(actual) is type(expected) and len(actual) == len(expected)
                and all(same(a, e) for a, e in zip(actual, expected, strict=True)))
    if hasattr(expected, "__dataclass_fields__"):
        return type(actual) is type(expected) and same(vars(actual), vars(expected))
    if isinstance(expected, float) and isinstance(actual, float):
        return math.isclose(actual, expected, rel_tol=1e-9) or (math.isnan(actual) and math.isnan(expected))
    return actual == expected


def _sorted_rows(frame: pl.DataFrame) -> list[tuple]:
    return sorted(frame.rows(), key=_sort_key)


def _sort_key(row: tuple) -> str:
    # Rounded so that floats differing in the last bits sort alike.
    return repr(tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row))


def milliseconds(values: Sequence[float]) -> str:
    if not values:
        return "no runs"
    return f"p50 {statistics.median(values) * 1000:.1f} ms, p95 {percentile(values, 0.95) * 1000:.1f} ms"


def printed(report: Report, say: Callable[[str], None] = print) -> None:
    say(f"{report.threads} threads, one gateway, {report.seconds:.1f} s")
    say(f"queries run     {len(report.query_seconds):,} ({len(report.query_seconds) / report.seconds:,.1f}/s); "
        f"query latency {milliseconds(report.query_seconds)}")
    say(f"page loads      {len(report.load_seconds):,} over {len(report.runs)} page x filter pairs "
        f"(each run {min(report.runs.values())} to {max(report.runs.values())} times); "
        f"load latency {milliseconds(report.load_seconds)}")
    say(f"errors          {len(report.errors)}")
    say(f"differing       {len(report.differences)}")
    for problem in (report.errors + [f"{task}: result differs from the single-threaded one"
                                     for task in report.differences])[:20]:
        say(f"  {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[3:]))
    parser.add_argument("--db", default=str(settings.DEFAULT_DB_PATH), help="warehouse file (default %(default)s)")
    parser.add_argument("--threads", type=int, default=16, help="threads sharing the gateway (default 16)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default 60)")
    args = parser.parse_args()
    gateway = Gateway.open(Path(args.db))
    work = tasks(gateway)
    print(f"{args.db}: single-threaded reference results for {len(work)} page x filter pairs ...", flush=True)
    started = time.perf_counter()
    expected = single_threaded(gateway, work)
    print(f"one thread      {len(work)} page loads in {time.perf_counter() - started:.1f} s", flush=True)
    report = hammer(gateway, work, threads=args.threads, seconds=args.seconds, expected=expected)
    printed(report)
    gateway.close()
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
