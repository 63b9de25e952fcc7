"""Shared fixtures: tiny source data and warehouses built by the same code as the real ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from app import specs
from warehouse import build, contract, settings

TINY_ROWS = {
    "customers": [
        {"customer_id": "C1", "first_name": "Ada", "last_name": "Moss", "region": "West", "segment": "Retail",
         "wealth_tier": "Affluent", "enrollment_date": "2023-02-10"},
        {"customer_id": "C2", "first_name": "Ben", "last_name": "Ray", "region": "Midwest", "segment": "Corporate",
         "wealth_tier": "Mass Market", "enrollment_date": "2024-07-01"},
    ],
    "card_transactions": [
        {"transaction_id": "T1", "customer_id": "C1", "transaction_at": "2024-05-03 10:00:00", "amount": 12.5,
         "merchant_category": "Dining", "channel": "Online", "status": "Approved"},
        {"transaction_id": "T2", "customer_id": "C2", "transaction_at": "2024-06-30 23:59:00", "amount": 80,
         "merchant_category": "Travel", "channel": "In-store", "status": "Approved"},
    ],
}


@pytest.fixture(autouse=True)
def charts_built_in_this_process(monkeypatch):
    """Pages run by AppTest build their chart specs in the test's own process, where tests/pages/conftest.py checks
    each against the schema. Servers that tests start build them in a chart process, as in production."""
    monkeypatch.setattr(specs, "chart_processes", lambda: 0)


def write_raw(directory: Path, rows: dict[str, list[dict]]) -> Path:
    """Write every contract table as Parquet (empty where no rows are given), like the generator does."""
    directory.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    build.create_source_tables(con)
    for name, table_rows in rows.items():
        for row in table_rows:
            names = ", ".join(f'"{n}"' for n in row)
            con.execute(f'insert into "{name}" ({names}) values ({", ".join("?" for _ in row)})', list(row.values()))
    for table in contract.TABLES:
        con.execute(f"copy \"{table.name}\" to '{directory / (table.name + '.parquet')}' (format parquet)")
    con.close()
    return directory


@pytest.fixture(scope="session")
def tiny_raw(tmp_path_factory) -> Path:
    return write_raw(tmp_path_factory.mktemp("raw"), TINY_ROWS)


@pytest.fixture()
def sql_copy(tmp_path) -> Path:
    """A private copy of sql/ that a test may break without touching the project's."""
    target = tmp_path / "sql"
    shutil.copytree(settings.SQL_DIR, target)
    return target


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Path:
    """The SF1 demo warehouse (10,000 customers), generated and built by the real code paths."""
    from generate import generate

    root = tmp_path_factory.mktemp("generated")
    generate(root / "raw", scale=1, seed=settings.DEFAULT_SEED)
    db = root / "warehouse.duckdb"
    build.build(root / "raw", db, as_of=settings.END_DATE)
    return db
