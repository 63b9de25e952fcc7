"""Side by side: six measures computed by DuckDB through our views, by pandas and by SQLite, checked to agree, timed.

    python bench/compare.py [--db data/warehouse.duckdb] [--raw data/raw/sf1-seed7] [--repeat 3] [--json out.json]

The measures (bench/compare_measures.py): RFM scores per customer, monthly net flows, month-end AUM, debt aging
buckets on a date, the monthly default rate at D+60 and first-contact resolution. Each is computed four ways:

  DuckDB      the headline. The product's own views (every file of sql/, nothing materialized) in an in-memory
              DuckDB loaded from the raw Parquet files with the contract's types: the measure is computed from
              the same source data as pandas and SQLite, every step included, and every step of the views
              too, even where a measure needs less (month-end AUM first groups by product, region, segment and
              tier, as aum_monthly does; pandas and SQLite only sum balances per month end).
  DuckDB app  the same query on the built warehouse (--db) as the app reads it: where the build materializes a
              view (rfm_customers, aum_monthly, receivables_position, bill_default_checkpoints,
              payment_allocations, service_contacts, resolution_funnel_monthly, ...) it reads the stored table.
  pandas      independent re-implementation from the raw Parquet files (bench/compare_pandas.py).
  SQLite      independent re-implementation in SQLite's SQL over an in-memory sqlite3 database loaded from the
              raw Parquet files (bench/compare_sqlite.py).

Loading (DuckDB and SQLite: into their in-memory databases, with SQLite's indexes; pandas: the DataFrames) is
timed once and reported apart; the measure times are medians over --repeat runs on the loaded data, result fetch
included. Every engine's result must equal DuckDB's: integers, text, dates and money (in cents) exactly, ratios
within a relative 1e-6. A disagreement names the measure, the engine and the first differing row, and makes the
command exit with status 1. The targets, SQLite/DuckDB >= 10x and pandas/DuckDB >= 3x, are meant at SF10
(--db data/sf10.duckdb --raw data/raw/sf10-seed7); they are judged on the total of the six measures.

The function `compare(db_path, raw_dir, repeat)` returns the same figures as a dict, for the overall bench runner.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import compare_pandas, compare_sqlite
from bench.compare_measures import (
    DATE,
    MEASURES,
    MONEY,
    RATIO,
    SOURCE_COLUMNS,
    TEXT,
    AnalysisDates,
    Measure,
)
from warehouse import actions, build, contract, settings
from warehouse.queries.receivables import position_source

REFERENCE = "duckdb"
ENGINES = {
    "duckdb": "DuckDB: the product's views computed from the source tables (loaded from the raw Parquet files, "
              "nothing materialized)",
    "duckdb_app": "DuckDB app: the same query on the built warehouse as the app reads it (materialized tables)",
    "pandas": "pandas: independent re-implementation over DataFrames read from the raw Parquet files",
    "sqlite": "SQLite: independent re-implementation in SQL over an in-memory sqlite3 database loaded from the raw "
              "Parquet files",
}
# slower engine's time / DuckDB's time wanted, on the total of the measures, at TARGET_SCALE
TARGETS = {"sqlite": 10.0, "pandas": 3.0}
TARGET_SCALE = 10
RATIO_TOLERANCE = 1e-6

# Called with (measure name, engine, normalised rows) and returning the rows to check: tests use it to plant a
# wrong result and see that the check catches it.
Tamper = Callable[[str, str, list[tuple]], list[tuple]]


class Disagreement(AssertionError):
    """Engines returned different results for a measure; the message names measure, engine and first row."""


@dataclasses.dataclass
class EngineRun:
    load_seconds: float | None
    seconds: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    rows: dict[str, list[tuple]] = dataclasses.field(default_factory=dict)


# ---------------------------------------------------------------- engines

def run_engine(load: Callable[[], object], compute: Callable[[object, Measure], object],
               records: Callable[[object], Iterable[tuple]], close: Callable[[object], None], repeat: int) -> EngineRun:
    """Load once (timed apart), then time each measure `repeat` times; keep its last result, normalised."""
    started = time.perf_counter()
    session = load()
    run = EngineRun(time.perf_counter() - started)
    try:
        for measure in MEASURES:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = compute(session, measure)
                times.append(time.perf_counter() - started)
            run.seconds[measure.name] = times
            run.rows[measure.name] = normalise(measure, records(result))
    finally:
        close(session)
    return run


def duckdb_query(measure: Measure, relation: str) -> str:
    return measure.duckdb_sql.format(position=relation)


def run_duckdb(con_factory: Callable[[], duckdb.DuckDBPyConnection], dates: AnalysisDates, data_as_of: date,
               repeat: int) -> EngineRun:
    # the position relation the app reads: the stored position on the data as-of date, else the macro
    relation, params = position_source(dates.aging_date, data_as_of)

    def compute(con: duckdb.DuckDBPyConnection, measure: Measure):
        reads_position = "{position}" in measure.duckdb_sql  # the only query the position's parameters belong to
        return con.sql(duckdb_query(measure, relation), params=params if reads_position and params else None
                       ).to_arrow_table()

    def records(table) -> Iterable[tuple]:
        return zip(*(column.to_pylist() for column in table.columns))

    return run_engine(con_factory, compute, records, lambda con: con.close(), repeat)


def duckdb_from_source(raw_dir: Path, as_of: date) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding the source tables the measures read, cast to the contract's types as the
    build does, and every object of sql/ created as a plain view or macro, so each query computes from source."""
    con = duckdb.connect()
    build.create_source_tables(con)
    for name in SOURCE_COLUMNS:
        table = contract.table(name)
        casts = ", ".join(f'cast("{column.name}" as {column.type})' for column in table.columns)
        con.execute(f'insert into "{name}" select {casts} from read_parquet(?)', [str(raw_dir / f"{name}.parquet")])
    build.write_metadata(con, source_kind="bench", source_detail={"raw_dir": str(raw_dir)}, as_of=as_of)
    actions.ensure_placeholder(con)
    for obj in build.load_catalog():
        computed_on_read = {key: value for key, value in obj.fields.items() if key != "materialize"}
        con.execute(dataclasses.replace(obj, fields=computed_on_read).create_sql())
    return con


def run_pandas(raw_dir: Path, dates: AnalysisDates, repeat: int) -> EngineRun:
    def records(frame: pd.DataFrame) -> Iterable[tuple]:
        return frame.itertuples(index=False, name=None)

    return run_engine(lambda: compare_pandas.load(raw_dir),
                      lambda frames, measure: compare_pandas.compute(measure.name, frames, dates),
                      records, lambda frames: frames.clear(), repeat)


def run_sqlite(raw_dir: Path, dates: AnalysisDates, repeat: int) -> EngineRun:
    return run_engine(lambda: compare_sqlite.load(raw_dir),
                      lambda con, measure: compare_sqlite.run(con, measure.name, dates),
                      lambda rows: rows, lambda con: con.close(), repeat)


# ---------------------------------------------------------------- agreement

def canonical(kind: str, value: object) -> object:
    """One representation per kind whatever the engine returned: money as integer cents, dates as date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == TEXT:
        return str(value)
    if kind == DATE:
        if isinstance(value, datetime):  # pandas Timestamps are datetimes too
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == RATIO:
        return float(value)
    if kind == MONEY:
        if isinstance(value, float):  # rounding would hide a re-implementation that does not hold cents
            raise TypeError(f"money value {value!r} is a float; hold money in integer cents or as DECIMAL")
        if isinstance(value, Decimal):  # DuckDB's DECIMAL(18,2)
            value = value * 100
    whole = int(value)  # INTEGER, or MONEY in cents
    return whole if whole == value else value  # a fraction left over is kept, so the comparison fails on it


def normalise(measure: Measure, records: Iterable[tuple]) -> list[tuple]:
    kinds = list(measure.columns.values())
    rows = [tuple(canonical(kind, value) for kind, value in zip(kinds, record, strict=True)) for record in records]
    keys = [list(measure.columns).index(key) for key in measure.keys]
    return sorted(rows, key=lambda row: [(row[i] is None, row[i] if row[i] is not None else 0) for i in keys])


def values_agree(kind: str, expected: object, actual: object) -> bool:
    if kind == RATIO and expected is not None and actual is not None:
        return math.isclose(expected, actual, rel_tol=RATIO_TOLERANCE, abs_tol=1e-12)
    return expected == actual and type(expected) is type(actual)


def first_difference(measure: Measure, expected: list[tuple], actual: list[tuple]) -> str | None:
    """Where `actual` first departs from `expected`, in words; None when they agree."""
    names, kinds = list(measure.columns), list(measure.columns.values())
    for index, (want, got) in enumerate(zip(expected, actual)):
        differing = [name for name, kind, a, b in zip(names, kinds, want, got) if not values_agree(kind, a, b)]
        if differing:
            return (f"row {index} differs in {', '.join(differing)}: "
                    f"expected {dict(zip(names, want))}, got {dict(zip(names, got))}")
    if len(expected) != len(actual):
        longer, which = (expected, "missing") if len(expected) > len(actual) else (actual, "extra")
        shorter = min(len(expected), len(actual))
        return (f"{len(actual)} rows instead of {len(expected)}; first {which} row {shorter}: "
                f"{dict(zip(names, longer[shorter]))}")
    return None


def disagreements(runs: dict[str, EngineRun], tamper: Tamper | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for measure in MEASURES:
        expected = runs[REFERENCE].rows[measure.name]
        found[measure.name] = []
        for engine, run in runs.items():
            if engine == REFERENCE:
                continue
            actual = run.rows[measure.name]
            if tamper is not None:
                actual = tamper(measure.name, engine, actual)
            difference = first_difference(measure, expected, actual)
            if difference:
                found[measure.name].append(f"{measure.name} ({measure.title}): {engine} disagrees with {REFERENCE}: "
                                           f"{difference}")
    return found


# ---------------------------------------------------------------- the comparison

def warehouse_facts(db_path: Path) -> dict[str, object]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        as_of, detail = con.sql("select as_of_date, source_detail from meta.build").fetchall()[0]
        customers = con.sql("select row_count from meta.table_rows where table_name = 'customers'").fetchall()[0][0]
        threads = con.sql("select current_setting('threads')").fetchall()[0][0]
    finally:
        con.close()
    detail = json.loads(detail or "{}")
    return {"as_of": as_of, "raw_dir": detail.get("raw_dir"), "customers": customers, "threads": threads,
            "scale": detail.get("scale", customers / settings.CUSTOMERS_PER_SCALE)}


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def ratio(slower_ms: float, duckdb_ms: float) -> float:
    return round(slower_ms / duckdb_ms, 2) if duckdb_ms > 0 else math.inf


def compare(db_path: Path, raw_dir: Path | None = None, repeat: int = 3, *, aging_date: date | None = None,
            strict: bool = True, tamper: Tamper | None = None) -> dict:
    """Compute every measure with every engine, check they agree, and return the figures.

    raw_dir defaults to the folder the warehouse was built from; aging_date to the data as-of date. With strict
    (the default) a disagreement raises Disagreement after all measures ran; otherwise it is reported in the
    result (agree False, with the messages). Returns {scale, as_of, aging_date, repeat, duckdb_threads, engines,
    load_ms, measures: {name: {title, rows, duckdb_ms, duckdb_app_ms, pandas_ms, sqlite_ms, ratios, agree,
    disagreements}}, total, targets}; ratios are each engine's time over DuckDB's (the headline).
    """
    db_path = Path(db_path)
    load_average_before = os.getloadavg()[0]  # other work on the machine skews the times: say how much there was
    facts = warehouse_facts(db_path)
    raw_dir = Path(raw_dir or facts["raw_dir"])
    dates = AnalysisDates(facts["as_of"], aging_date or facts["as_of"])

    # one engine at a time, each freeing its data before the next loads, so the peak memory is one copy
    runs = {"duckdb": run_duckdb(lambda: duckdb_from_source(raw_dir, dates.as_of), dates, facts["as_of"], repeat)}
    runs["duckdb_app"] = run_duckdb(lambda: duckdb.connect(str(db_path), read_only=True), dates, facts["as_of"],
                                    repeat)
    runs["duckdb_app"].load_seconds = None  # opening the built warehouse loads nothing: its build did
    gc.collect()
    runs["pandas"] = run_pandas(raw_dir, dates, repeat)
    gc.collect()
    runs["sqlite"] = run_sqlite(raw_dir, dates, repeat)

    found = disagreements(runs, tamper)
    measures = {}
    for measure in MEASURES:
        timings = {f"{engine}_ms": median_ms(run.seconds[measure.name]) for engine, run in runs.items()}
        measures[measure.name] = {
            "title": measure.title,
            "rows": len(runs[REFERENCE].rows[measure.name]),
            **timings,
            "ratios": {engine: ratio(timings[f"{engine}_ms"], timings["duckdb_ms"]) for engine in runs
                       if engine != REFERENCE},
            "agree": not found[measure.name],
            "disagreements": found[measure.name],
        }
    total = {f"{engine}_ms": round(sum(m[f"{engine}_ms"] for m in measures.values()), 2) for engine in runs}
    total["ratios"] = {engine: ratio(total[f"{engine}_ms"], total["duckdb_ms"]) for engine in runs
                       if engine != REFERENCE}
    targets = {
        engine: {
            "wanted": wanted,
            "ratio": total["ratios"][engine],
            "met": total["ratios"][engine] >= wanted,
            "measures_met": sum(m["ratios"][engine] >= wanted for m in measures.values()),
        }
        for engine, wanted in TARGETS.items()
    }
    result = {
        "scale": facts["scale"],
        "customers": facts["customers"],
        "as_of": dates.as_of.isoformat(),
        "aging_date": dates.aging_date.isoformat(),
        "db": str(db_path),
        "raw_dir": str(raw_dir),
        "repeat": repeat,
        "duckdb_version": duckdb.__version__,
        "duckdb_threads": facts["threads"],
        "cores": os.cpu_count(),
        "load_average": [round(load_average_before, 1), round(os.getloadavg()[0], 1)],
        "engines": ENGINES,
        "load_ms": {engine: round(run.load_seconds * 1000, 1) for engine, run in runs.items()
                    if run.load_seconds is not None},
        "measures": measures,
        "total": total,
        "targets": targets,
        "target_scale": TARGET_SCALE,
    }
    problems = [message for messages in found.values() for message in messages]
    if strict and problems:
        raise Disagreement("\n".join(problems))
    return result


# ---------------------------------------------------------------- report

def report(result: dict) -> str:
    columns = ("duckdb", "duckdb_app", "pandas", "sqlite")
    headers = ("DuckDB", "DuckDB app", "pandas", "SQLite")
    lines = [
        (f"Side by side at SF{result['scale']:g} ({result['customers']:,} customers), data as of {result['as_of']}, "
         f"aging on {result['aging_date']}; median of {result['repeat']} run(s) in ms; "
         f"DuckDB {result['duckdb_version']} on {result['duckdb_threads']} thread(s), pandas and SQLite on one; "
         f"machine load average {result['load_average'][0]:g} before, {result['load_average'][1]:g} after, "
         f"on {result['cores']} cores"),
        "",
        f"{'measure':<26}{'rows':>8}" + "".join(f"{h:>12}" for h in headers)
        + f"{'pandas/DuckDB':>15}{'SQLite/DuckDB':>15}  agree",
    ]
    rows = [(name, m) for name, m in result["measures"].items()] + [("total", result["total"])]
    for name, figures in rows:
        count = f"{figures['rows']:,}" if "rows" in figures else ""
        agree = ("yes" if figures["agree"] else "NO") if "agree" in figures else ""
        lines.append(
            f"{name:<26}{count:>8}" + "".join(f"{figures[f'{c}_ms']:>12,.1f}" for c in columns)
            + f"{figures['ratios']['pandas']:>14.1f}x{figures['ratios']['sqlite']:>14.1f}x  {agree}")
    load = result["load_ms"]
    lines += [
        "",
        "Loading, not in the times above: " + ", ".join(
            f"{label} {load[engine] / 1000:,.1f} s" for engine, label in
            (("duckdb", "DuckDB (Parquet into memory, contract casts)"), ("pandas", "pandas (Parquet to DataFrames)"),
             ("sqlite", "SQLite (Parquet into memory, with indexes)"))),
        "",
    ]
    lines += [f"  {description}" for description in result["engines"].values()]
    lines.append("  DuckDB runs each measure through the product's whole view stack (month-end AUM, for one, first "
                 "groups by product, region, segment and tier); pandas and SQLite compute only what the measure "
                 "needs.")
    scale_note = ("" if result["scale"] == result["target_scale"]
                  else f" (the targets apply at SF{result['target_scale']}; this run is SF{result['scale']:g})")
    lines += ["", f"Targets on the total{scale_note}:"]
    for engine, target in result["targets"].items():
        label = {"sqlite": "SQLite", "pandas": "pandas"}[engine]
        lines.append(f"  {label}/DuckDB >= {target['wanted']:g}x: {'met' if target['met'] else 'not met'} "
                     f"({target['ratio']:.1f}x; {target['measures_met']} of {len(result['measures'])} measures "
                     f"reach it on their own)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--db", type=Path, default=settings.DEFAULT_DB_PATH,
                        help="built warehouse (default: %(default)s)")
    parser.add_argument("--raw", type=Path, default=None,
                        help="folder of the raw Parquet files (default: the one the warehouse was built from)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measure and engine (default: 3)")
    parser.add_argument("--aging-date", type=date.fromisoformat, default=None,
                        help="date of the debt aging position, YYYY-MM-DD (default: the data as-of date)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    result = compare(args.db, args.raw, args.repeat, aging_date=args.aging_date, strict=False)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    problems = [message for m in result["measures"].values() for message in m["disagreements"]]
    for message in problems:
        print(f"DISAGREEMENT {message}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
