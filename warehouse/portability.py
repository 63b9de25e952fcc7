"""A lint for the measure layer: constructs of DuckDB SQL that sqlglot does not carry over to Spark SQL faithfully.

The views must run unchanged on Apache Spark once a bank outgrows one machine. Transpiling is best effort, and
many failures are silent (the query runs on Spark and returns other rows), so these constructs are refused up
front, each with the portable way to write it. Dates: only DATE +/- INTERVAL and date_diff('day', ...) are safe.

    python -c "from warehouse.portability import lint_folder; print(lint_folder())"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

from warehouse import settings

_DATE_SUFFIXES = ("date", "_on", "month", "month_end", "_at", "_day")
# DuckDB counts unit boundaries crossed, Spark whole units elapsed: they agree only for days between DATEs and for
# microseconds (no smaller part to drop)
_SAFE_DATE_DIFF_UNITS = {"DAY", "MICROSECOND"}
_NAME_FORMATS = ("%a", "%A", "%b", "%B", "%u", "%w")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    construct: str
    advice: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.construct}. {self.advice}"


def lint_sql(sql: str, path: str = "<sql>") -> list[Finding]:
    """Every non-portable construct in one SQL text."""
    findings: list[Finding] = []
    for node in sqlglot.parse_one(sql, read="duckdb").walk():
        problem = _problem(node)
        if problem:
            findings.append(Finding(path, _line(node), *problem))
    return sorted(findings, key=lambda f: f.line)


def lint_folder(folder: Path = settings.SQL_DIR) -> list[Finding]:
    return [finding for path in sorted(folder.rglob("*.sql"))
            for finding in lint_sql(path.read_text(), str(path.relative_to(folder)))]


def _problem(node: exp.Expression) -> tuple[str, str] | None:
    if isinstance(node, (exp.ArrayAgg, exp.GroupConcat)) and node.find(exp.Order):
        return ("ORDER BY inside an aggregate (list / string_agg)",
                "Spark drops it; aggregate without ORDER BY and sort in the reader, or pick values with a window "
                "function with a full tie-breaker.")
    if isinstance(node, exp.DateDiff):
        unit = (node.text("unit") or "DAY").upper()
        if unit not in _SAFE_DATE_DIFF_UNITS:
            return (f"date_diff in {unit.lower()} units",
                    "Spark counts whole units elapsed where DuckDB counts boundaries crossed; compare 12 * year + "
                    "month numbers, use date_diff('day', ...) between dates, or date_diff('microsecond', ...) for "
                    "durations.")
    if isinstance(node, exp.Sub) and _is_date(node.this) and not isinstance(_bare(node.expression), exp.Interval) \
            and not _is_interval_product(node.expression):
        return ("subtracting from a date without an INTERVAL (date - date or date - number)",
                "DuckDB gives a number of days, Spark an interval or an error; use date_diff('day', earlier, later) "
                "or date - INTERVAL 'n' DAY.")
    if isinstance(node, (exp.DayOfWeek, exp.DayOfWeekIso, exp.Dayname, exp.Monthname)):
        return ("day-of-week or month-name function",
                "numbering and names differ between engines; derive them from date_diff('day', a known Monday, d) "
                "or a small lookup table.")
    if isinstance(node, exp.TimeToStr) and any(code in node.text("format") for code in _NAME_FORMATS):
        return ("strftime with day or month names or weekday numbers",
                "format codes differ between engines; format dates in the app, or use a lookup table.")
    if isinstance(node, (exp.PercentileCont, exp.PercentileDisc, exp.Quantile, exp.ApproxQuantile)):
        return ("percentile / quantile", "Spark computes an approximation; use median() or a rank-based bucket.")
    if isinstance(node, exp.Qualify) and isinstance(node.parent, exp.Select) and node.parent.find(exp.Star):
        return ("QUALIFY with select *",
                "Spark leaks the helper column into the result; list the columns, or filter a ranked CTE.")
    if isinstance(node, (exp.ArgMax, exp.ArgMin)):
        return ("arg_max / arg_min / max_by / min_by",
                "ties are broken differently; rank with row_number() over a full tie-breaker and keep rank 1.")
    if isinstance(node, (exp.Unnest, exp.Explode)) and not isinstance(
            node.parent, (exp.Alias, exp.Select, exp.From, exp.Join, exp.Table, exp.Lateral)):
        return ("unnest inside an expression",
                "Spark refuses a generator nested in an expression; select unnest(...) as a column, and cast or "
                "compute with it in the next CTE.")
    if isinstance(node, exp.GenerateSeries) and not _bounds_checked(node):
        return ("generate_series / range without a guard that its start is not after its end",
                "DuckDB returns no rows for reversed bounds, Spark's sequence() raises; add WHERE start <= stop "
                "to the SELECT that expands it.")
    if isinstance(node, exp.Slice):
        return ("list slice", "slices index differently in Spark; unnest and filter, or use a window function.")
    if isinstance(node, exp.Div) and isinstance(node.expression.unnest(), exp.Literal) \
            and "." in node.expression.unnest().this:
        return ("division by a decimal literal (x / 3600.0)",
                "Spark divides decimals and rounds to 6 decimal places where DuckDB gives a double; divide by an "
                "integer (x / 3600) or cast to double first.")
    if isinstance(node, exp.Div) and not _safe_denominator(node.expression):
        return ("division by a value that may be zero",
                "Spark 4 (ANSI mode) raises on division by zero where DuckDB returns NULL; divide by "
                "nullif(denominator, 0).")
    return None


def _bounds_checked(series: exp.GenerateSeries) -> bool:
    """Whether the SELECT expanding the series keeps only rows whose start is not after its end."""
    start, end = series.args["start"], series.args["end"]
    if isinstance(start, exp.Literal) and isinstance(end, exp.Literal) and start.is_int and end.is_int:
        return int(start.this) <= int(end.this)
    select = series.find_ancestor(exp.Select)
    where = select and select.args.get("where")
    if not where:
        return False
    start, end = start.sql(), end.sql()
    return any((isinstance(c, exp.LTE) and (c.this.sql(), c.expression.sql()) == (start, end))
               or (isinstance(c, exp.GTE) and (c.this.sql(), c.expression.sql()) == (end, start))
               for c in where.find_all(exp.LTE, exp.GTE))


def _bare(node: exp.Expression) -> exp.Expression:
    while isinstance(node, (exp.Paren, exp.Cast, exp.TryCast)) and not _is_date_cast(node):
        node = node.this
    return node


def _is_date_cast(node: exp.Expression) -> bool:
    return isinstance(node, (exp.Cast, exp.TryCast)) and node.to.is_type(exp.DataType.Type.DATE)


def _is_date(node: exp.Expression) -> bool:
    """Whether an expression is (by name or type) a date: date columns, casts to DATE, CURRENT_DATE, DATE '...'."""
    if _is_date_cast(node) or isinstance(node, (exp.CurrentDate, exp.DateTrunc, exp.TimestampTrunc)):
        return True
    if isinstance(node, exp.Paren):
        return _is_date(node.this)
    if isinstance(node, exp.Column):
        return node.name.lower().endswith(_DATE_SUFFIXES)
    return False


def _is_interval_product(node: exp.Expression) -> bool:
    node = _bare(node)
    return isinstance(node, exp.Mul) and any(isinstance(_bare(side), exp.Interval)
                                             for side in (node.this, node.expression))


def _safe_denominator(node: exp.Expression) -> bool:
    node = _bare(node)
    if isinstance(node, exp.Nullif):
        return True
    return isinstance(node, exp.Literal) and node.is_number and float(node.this) != 0


def _line(node: exp.Expression) -> int:
    for child in node.walk():
        line = child.meta.get("line") if child.meta else None
        if line:
            return line
    return 0


def report(findings: Iterable[Finding]) -> str:
    return "\n".join(str(f) for f in findings)
