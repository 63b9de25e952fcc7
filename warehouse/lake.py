"""Export the warehouse's source tables as a Parquet lake that Spark (or DuckDB) can read: the way out when a bank
outgrows one machine.

Layout (hive-style, read by DuckDB `read_parquet('<dir>/<table>/**/*.parquet', hive_partitioning = true)` and by
Spark `spark.read.parquet('<dir>/<table>')`):

    <out>/manifest.json                        what was exported, from which build, with columns and row counts
    <out>/<table>/data_0.parquet               small tables: one file
    <out>/<table>/month=2024-01/data_0.parquet big fact tables: one folder per month of their date column
    <out>/meta_build/data_0.parquet            the build record (as-of date, currency) the staging views read
    <out>/recorded_collection_actions/...      collection actions recorded in the app (kept outside the warehouse)

The partition column `month` is not a contract column: readers select the contract columns by name.
The lake is written to a temporary folder and renamed into place, so a reader never sees half an export.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import duckdb

from warehouse import contract
from warehouse.gateway import Gateway

PARTITION_COLUMN = "month"
PARTITIONED_TABLES = frozenset({"account_balances", "card_transactions", "engagement_events", "service_interactions",
                                "bills", "payments", "collection_actions"})
MANIFEST = "manifest.json"
RECORDED_ACTIONS = "recorded_collection_actions"


def export_lake(db_path: Path, out_dir: Path) -> dict:
    """Write every contract table of the warehouse at `db_path` to `out_dir`; return the manifest."""
    gateway = Gateway.open(db_path)
    out_dir = Path(out_dir)
    staging = out_dir.parent / f".{out_dir.name}.{uuid.uuid4().hex}.exporting"
    staging.mkdir(parents=True)
    try:
        tables = {}
        for table in contract.TABLES:
            tables[table.name] = _export_table(gateway, table, staging / table.name)
        _copy(gateway, "select * from meta.build", staging / "meta_build", partition=None)
        # actions users recorded in the app live beside the warehouse, not in it: the lake carries them too
        recorded = _copy(gateway, "select * from recorded_collection_actions", staging / RECORDED_ACTIONS,
                         partition=None)
        info = gateway.build_info
        manifest = {
            "format": "hive-partitioned parquet",
            "build_id": info.build_id,
            "as_of_date": info.as_of_date.isoformat() if info.as_of_date else None,
            "currency": info.currency,
            "partition_column": PARTITION_COLUMN,
            "tables": tables,
            "recorded_collection_actions": {"path": RECORDED_ACTIONS, "rows": recorded},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
        return manifest
    finally:
        gateway.close()
        shutil.rmtree(staging, ignore_errors=True)


def _export_table(gateway: Gateway, table: contract.Table, target: Path) -> dict:
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    partition = table.date_column if table.name in PARTITIONED_TABLES else None
    if partition:
        query = (f"select {columns}, strftime(\"{partition}\", '%Y-%m') as {PARTITION_COLUMN} "
                 f'from "{table.name}"')
    else:
        query = f'select {columns} from "{table.name}"'
    rows = _copy(gateway, query, target, partition=PARTITION_COLUMN if partition else None)
    return {
        "path": table.name,
        "rows": rows,
        "partitioned_by": PARTITION_COLUMN if partition else None,
        "partition_source": partition,
        "columns": [{"name": c.name, "type": c.type} for c in table.columns],
    }


def _copy(gateway: Gateway, query: str, target: Path, *, partition: str | None) -> int:
    """COPY one query to Parquet under `target` (made even when empty, so readers find every table)."""
    target.mkdir(parents=True, exist_ok=True)
    rows = gateway.rows(f"select count(*) from ({query})")[0][0]
    if rows == 0:
        empty = f"select * from ({query}) limit 0"
        gateway.rows(f"copy ({empty}) to '{_literal(target / 'data_0.parquet')}' (format parquet)")
        return 0
    options = f", partition_by ({partition}), overwrite_or_ignore" if partition else ""
    destination = target if partition else target / "data_0.parquet"
    gateway.rows(f"copy ({query}) to '{_literal(destination)}' (format parquet{options})")
    return rows


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def read_table(con: duckdb.DuckDBPyConnection, lake: Path, table: str) -> duckdb.DuckDBPyRelation:
    """One lake table in DuckDB, contract columns only (the partition column dropped)."""
    columns = ", ".join(f'"{c.name}"' for c in contract.table(table).columns)
    pattern = _literal(Path(lake) / table / "**" / "*.parquet")
    return con.sql(f"select {columns} from read_parquet('{pattern}', hive_partitioning = true)")
