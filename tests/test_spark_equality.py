"""Every view of sql/, run on Apache Spark over the exported lake, returns the same rows as in DuckDB.

Needs pyspark and Java 17: run by `make test-spark`, which CI runs, not by `make test`. The Spark DDL is run
statement by statement, in its dependency order; each view's rows are collected right after it is created and
then written to Parquet, and the view is redefined over that file. So every view's own SQL runs on Spark over
its inputs' results (each checked against DuckDB in its turn) instead of re-analysing and recomputing the whole
stack beneath it, much as DuckDB's materialized views spare it. Rows are compared as multisets after normalising
types (decimals as floats, Spark Rows as tuples) and sorting; floats match within a relative tolerance, since the
engines sum in different orders.
"""

from __future__ import annotations

import math
import os
import time
from datetime import date
from decimal import Decimal

import pytest

from generate import generate
from warehouse import build
from warehouse.build import load_catalog
from warehouse.gateway import Gateway
from warehouse.lake import export_lake
from warehouse.spark import local_session, spark_statements

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(os.environ.get("CFI_REQUIRE_SPARK") != "1"
                       and not __import__("importlib").util.find_spec("pyspark"),
                       reason="pyspark not installed (pip install -r requirements-spark.txt)"),
]

SCALE = 0.02  # 200 customers: every view has rows
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-6
VIEWS = [o.name for o in load_catalog() if not o.is_macro]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Per view: DuckDB's (columns, rows), and Spark's (columns, rows) or why Spark could not give them."""
    root = tmp_path_factory.mktemp("spark-equality")
    generate(root / "raw", scale=SCALE, seed=11)
    db = root / "warehouse.duckdb"
    build.build(root / "raw", db, as_of=date(2025, 12, 31))
    export_lake(db, root / "lake")
    duck = Gateway.open(db)  # as the app reads it: with the action log the collection views read
    expected = {}
    for view in VIEWS:
        frame = duck.frame(f"select * from {view}")
        expected[view] = ([c.lower() for c in frame.columns], normalised(frame.rows()))
    duck.close()

    started = time.perf_counter()
    spark = local_session()
    try:
        actual = run_on_spark(spark, spark_statements(str(root / "lake")), root / "checked")
    finally:
        spark.stop()
    print(f"\nSpark equality over {len(VIEWS)} views: {time.perf_counter() - started:.0f} s with the JVM")
    return expected, actual


def run_on_spark(spark, statements: list[str], scratch) -> dict[str, tuple | str]:
    actual: dict[str, tuple | str] = {}
    for statement in statements:
        if statement.startswith("--"):
            continue
        name = statement.split(" AS", 1)[0].rsplit(" ", 1)[-1]
        try:
            spark.sql(statement.rstrip(";"))
        except Exception as error:  # noqa: BLE001 - pyspark raises several unrelated types
            actual[name] = f"Spark refused to create {name}: {_first_line(error)}"
            continue
        if name not in VIEWS:
            continue
        try:
            checked = str(scratch / name)
            spark.table(name).write.parquet(checked)
            frame = spark.read.parquet(checked)
            actual[name] = ([c.lower() for c in frame.columns], normalised([tuple(r) for r in frame.collect()]))
            spark.sql(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM parquet.`{checked}`")
        except Exception as error:  # noqa: BLE001
            actual[name] = f"{name} fails on Spark: {_first_line(error)}"
    return actual


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:500]


@pytest.mark.parametrize("view", VIEWS)
def test_view_returns_the_same_rows_on_spark_as_on_duckdb(results, view):
    expected, actual = results
    assert view in actual, f"{view} was not created on Spark"
    assert not isinstance(actual[view], str), actual[view]
    (columns, rows), (expected_columns, expected_rows) = actual[view], expected[view]
    assert columns == expected_columns, f"{view}: columns differ"
    assert len(rows) == len(expected_rows), f"{view}: {len(rows)} rows on Spark, {len(expected_rows)} on DuckDB"
    for index, (got, want) in enumerate(zip(rows, expected_rows, strict=True)):
        assert same_row(got, want), f"{view}, row {index} of the sorted rows: Spark {got} != DuckDB {want}"


def test_the_comparison_sees_a_difference_in_a_float_and_in_a_row():
    assert same_row((1, 0.1 + 0.2), (1, 0.3))
    assert not same_row((1, 0.31), (1, 0.3))
    assert normalised([(2, None), (1, Decimal("1.50"))]) == [(1, 1.5), (2, None)]


def normalised(rows: list[tuple]) -> list[tuple]:
    values = [tuple(_value(v) for v in row) for row in rows]
    return sorted(values, key=lambda row: tuple(_sort_key(v) for v in row))


def same_row(got: tuple, want: tuple) -> bool:
    return len(got) == len(want) and all(_same(a, b) for a, b in zip(got, want))


def _value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    return value


def _sort_key(value):
    # None first, then by type name so mixed columns still sort; floats rounded so tiny differences tie
    if value is None:
        return (0, "", 0)
    if isinstance(value, float):
        return (1, "number", round(value, 6))
    if isinstance(value, int | bool):
        return (1, "number", value)
    if isinstance(value, tuple):
        return (1, "tuple", tuple(_sort_key(v) for v in value))
    return (1, type(value).__name__, value)


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (a is not None and b is not None
                and math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return same_row(a, b)
    return a == b
