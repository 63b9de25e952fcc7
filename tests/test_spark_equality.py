"""Every view of sql/, run on Apache Spark over the exported lake, returns the same rows as in DuckDB.

Needs pyspark and Java 17: run by `make test-spark`, which CI runs, not by `make test`. Views are checked in
dependency order and each is cached in Spark once checked, so a view's own SQL runs over its inputs' results
(which were checked before it) instead of recomputing the whole stack beneath it, as DuckDB's materialized views
also spare it. Rows are compared as multisets after normalising types (decimals as floats, Spark Rows as tuples)
and sorting; floats match within a relative tolerance, since the engines sum in different orders.
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

SCALE = 0.02  # 200 customers: every view has rows, Spark still finishes in a couple of minutes
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-6
VIEWS = [o.name for o in load_catalog() if not o.is_macro]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark-equality")
    generate(root / "raw", scale=SCALE, seed=11)
    db = root / "warehouse.duckdb"
    build.build(root / "raw", db, as_of=date(2025, 12, 31))
    export_lake(db, root / "lake")
    started = time.perf_counter()
    spark = local_session()
    refused = {}  # view -> Spark's reason, reported by that view's test so one failure does not hide the others
    for statement in spark_statements(str(root / "lake")):
        if statement.startswith("--"):
            continue
        try:
            spark.sql(statement.rstrip(";"))
        except Exception as error:  # noqa: BLE001 - pyspark raises several unrelated types
            view = statement.split(" AS", 1)[0].rsplit(" ", 1)[-1]
            refused[view] = str(error).splitlines()[0][:500]
    duck = Gateway.open(db)  # as the app reads it: with the action log the collection views read
    yield duck, spark, refused
    duck.close()
    spark.stop()
    print(f"\nSpark equality over {len(VIEWS)} views: {time.perf_counter() - started:.0f} s with the JVM")


@pytest.mark.parametrize("view", VIEWS)
def test_view_returns_the_same_rows_on_spark_as_on_duckdb(engines, view):
    duck, spark, refused = engines
    assert view not in refused, f"Spark refused to create {view}: {refused[view]}"
    frame = duck.frame(f"select * from {view}")
    expected_columns = [c.lower() for c in frame.columns]
    expected = normalised(frame.rows())
    try:
        spark.catalog.cacheTable(view)  # filled by the collect below; the views after this one read it
        result = spark.sql(f"select * from {view}")
        rows = result.collect()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"{view} fails on Spark: {str(error).splitlines()[0][:500]}")
    assert [c.lower() for c in result.columns] == expected_columns, f"{view}: columns differ"
    actual = normalised([tuple(r) for r in rows])
    assert len(actual) == len(expected), f"{view}: {len(actual)} rows on Spark, {len(expected)} on DuckDB"
    for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
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
