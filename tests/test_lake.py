"""The Parquet lake export: what DuckDB writes, DuckDB and Spark read back, and the other way round."""

from __future__ import annotations

import json
import os
from datetime import date

import duckdb
import pytest

from tests.factories import row
from tests.pages.conftest import fixture_warehouse
from warehouse.lake import MANIFEST, export_lake, read_table

BILLS = [row("bills", bill_id=f"B{i}", due_date=date(2024, month, 28), issue_date=date(2024, month, 1), amount=10 * i)
         for i, month in enumerate([1, 1, 2, 3], start=1)]


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("lake")
    db = fixture_warehouse(root, {"customers": [row("customers")], "bills": BILLS}, as_of=date(2024, 3, 31))
    manifest = export_lake(db, root / "lake")
    return root / "lake", manifest, db


def test_every_contract_table_is_exported_with_its_row_count(lake):
    folder, manifest, _ = lake
    assert json.loads((folder / MANIFEST).read_text()) == manifest
    assert manifest["as_of_date"] == "2024-03-31" and manifest["currency"] == "USD"
    assert manifest["tables"]["bills"]["rows"] == 4 and manifest["tables"]["customers"]["rows"] == 1
    assert manifest["tables"]["payments"]["rows"] == 0 and (folder / "payments").is_dir(), "empty tables too"


def test_fact_tables_are_partitioned_by_month_and_read_back_whole(lake):
    folder, manifest, db = lake
    assert manifest["tables"]["bills"]["partitioned_by"] == "month"
    assert sorted(p.name for p in (folder / "bills").iterdir()) == ["month=2024-01", "month=2024-02", "month=2024-03"]
    con = duckdb.connect()
    back = read_table(con, folder, "bills").order("bill_id").fetchall()
    original = duckdb.connect(str(db), read_only=True).sql("select * from bills order by bill_id").fetchall()
    assert back == original


def test_an_export_replaces_the_previous_lake_whole(lake, tmp_path):
    folder, _, db = lake
    target = tmp_path / "lake"
    (target / "stale_table").mkdir(parents=True)
    export_lake(db, target)
    assert not (target / "stale_table").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".exporting")], "no temporary folder left"


spark_needed = pytest.mark.skipif(
    os.environ.get("CFI_REQUIRE_SPARK") != "1" and not __import__("importlib").util.find_spec("pyspark"),
    reason="pyspark not installed (pip install -r requirements-spark.txt)")


@pytest.mark.spark
@spark_needed
def test_spark_reads_the_lake_and_duckdb_reads_what_spark_writes(lake, tmp_path):
    from warehouse.spark import local_session

    folder, _, _ = lake
    spark = local_session()
    try:
        bills = spark.read.parquet(str(folder / "bills"))
        assert bills.count() == 4
        assert bills.where("month = '2024-01'").count() == 2, "Spark prunes DuckDB's partitions"
        bills.where("month >= '2024-02'").write.partitionBy("month").parquet(str(tmp_path / "bills"))
    finally:
        spark.stop()
    con = duckdb.connect()
    back = con.sql(f"select bill_id, month from read_parquet('{tmp_path / 'bills'}/**/*.parquet', "
                   f"hive_partitioning = true) order by bill_id").fetchall()
    assert back == [("B3", "2024-02"), ("B4", "2024-03")]
