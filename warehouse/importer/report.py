"""What an import tells its user: a printed summary, the full report as CSV, and the tables the app shows.

    printed   the outcome, counts per rule, the first N problems
    CSV       every problem: severity, rule, file, row, column, target, value, message
    meta.import_report / meta.import_summary   the same report and the rows read and loaded per file, written
              into the new warehouse so the Data & measures page can show the last import
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from warehouse.importer.problems import COLUMNS, DROPPED, ERROR, NOTE

SUMMARY_COLUMNS = ("file", "table_name", "rows_read", "rows_loaded", "duplicates_dropped")


@dataclass(frozen=True)
class FileSummary:
    file: str
    table_name: str
    rows_read: int | None  # None: the file could not be read
    rows_loaded: int
    duplicates_dropped: int


def problems_frame(con: duckdb.DuckDBPyConnection, ordered_sql: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(ordered_sql).to_arrow_table())


def summary_frame(files: list[FileSummary]) -> pl.DataFrame:
    return pl.DataFrame([[getattr(f, c) for c in SUMMARY_COLUMNS] for f in files],
                        schema={"file": pl.String, "table_name": pl.String, "rows_read": pl.Int64,
                                "rows_loaded": pl.Int64, "duplicates_dropped": pl.Int64}, orient="row")


def write_csv(problems: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    problems.select(COLUMNS).write_csv(path)


def record_in_warehouse(con: duckdb.DuckDBPyConnection, problems: pl.DataFrame, files: pl.DataFrame) -> None:
    """meta.import_report and meta.import_summary in the warehouse being built (called by the build's hook)."""
    con.execute("create schema if not exists meta")
    for name, frame in (("import_report", problems.select(COLUMNS)), ("import_summary", files)):
        con.register(f"{name}_frame", frame.to_arrow())
        try:
            con.execute(f"create or replace table meta.{name} as select * from {name}_frame")
        finally:
            con.unregister(f"{name}_frame")


def counts_by_rule(problems: pl.DataFrame) -> list[tuple[str, str, int]]:
    """(severity, rule, count), errors first, then the most frequent."""
    if problems.is_empty():
        return []
    counted = problems.group_by("severity", "rule").len()
    order = {ERROR: 0, DROPPED: 1, NOTE: 2}
    return sorted(counted.iter_rows(), key=lambda r: (order.get(r[0], 3), -r[2], r[1]))


def printed(*, accepted: bool, source: Path, mapping: Path, db_path: Path, problems: pl.DataFrame,
            files: list[FileSummary], report_path: Path | None, max_problems: int, as_of: date | None = None,
            currency: str = "") -> str:
    """The summary the command prints."""
    lines = []
    errors = problems.filter(pl.col("severity") == ERROR).height
    if accepted:
        lines.append(f"Imported {source} with {mapping.name} into {db_path}"
                     + (f" (data as of {as_of}, amounts in {currency})" if as_of else f" (amounts in {currency})"))
        for f in files:
            dropped = f", {f.duplicates_dropped:,} duplicates dropped" if f.duplicates_dropped else ""
            lines.append(f"  {f.file} -> {f.table_name}: {f.rows_read or 0:,} rows read, {f.rows_loaded:,} "
                         f"loaded{dropped}")
    else:
        lines.append(f"Import of {source} with {mapping.name} REJECTED: {errors:,} problem(s). Nothing was "
                     f"changed; {db_path} is as it was.")
    counts = counts_by_rule(problems)
    if counts:
        lines.append("Problems by rule:" if not accepted else "Reported by rule (nothing rejected):")
        lines.extend(f"  {severity:<8} {rule:<20} {n:>10,}" for severity, rule, n in counts)
    shown = problems.filter(pl.col("severity") != NOTE).head(max_problems) if accepted else \
        problems.head(max_problems)
    if not shown.is_empty():
        lines.append(f"First {shown.height} of {problems.height:,}:" if shown.height < problems.height else
                     "Problems:")
        lines.extend(f"  {_line(r)}" for r in shown.iter_rows(named=True))
    if report_path is not None:
        lines.append(f"Full report: {report_path}")
    return "\n".join(lines)


def _line(problem: dict) -> str:
    where = problem["file"] or "(mapping)"
    if problem["row"] is not None:
        where += f", row {problem['row']}"
    if problem["column"]:
        where += f", column {problem['column']}"
    value = f" value {problem['value']!r}" if problem["value"] is not None else ""
    return f"{where}:{value} [{problem['rule']}] {problem['message']}"
