"""The gateway opens warehouses read-only, refuses unusable files clearly, and is safe across threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import duckdb
import pytest

from warehouse import build
from warehouse.gateway import Gateway, WarehouseUnavailable


@pytest.fixture()
def warehouse_file(tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    build.build(tiny_raw, db)
    return db


@pytest.mark.parametrize("make, expected", [
    (lambda p: None, "No warehouse at"),
    (lambda p: p.write_bytes(b""), "is empty"),
    (lambda p: p.write_bytes(b"not a database at all" * 100), "cannot be opened"),
    (lambda p: duckdb.connect(str(p)).close(), "not a warehouse built by this app"),
])
def test_unusable_files_give_a_message_with_the_command_that_fixes_it(tmp_path, make, expected):
    path = tmp_path / "w.duckdb"
    make(path)
    with pytest.raises(WarehouseUnavailable, match=expected) as raised:
        Gateway.open(path)
    assert "python -m warehouse demo" in str(raised.value)


def test_an_old_format_warehouse_is_refused(warehouse_file):
    con = duckdb.connect(str(warehouse_file))
    con.execute("update meta.build set format_version = 0")
    con.close()
    with pytest.raises(WarehouseUnavailable, match="older version of this app"):
        Gateway.open(warehouse_file)


def test_values_are_bound_never_spliced(warehouse_file):
    gateway = Gateway.open(warehouse_file)
    hostile = "West' or '1'='1"
    assert gateway.rows("select count(*) from stg_customers where region = ?", [hostile]) == [(0,)]
    assert gateway.rows("select count(*) from stg_customers where region = ?", ["West"]) == [(1,)]
    frame = gateway.frame("select customer_id from stg_customers where region = $r", {"r": "Midwest"})
    assert frame["customer_id"].to_list() == ["C2"]


def test_the_app_connection_is_read_only(warehouse_file):
    gateway = Gateway.open(warehouse_file)
    with pytest.raises(duckdb.Error, match="read-only"):
        gateway.rows("delete from customers")


def test_many_threads_share_one_gateway_without_errors(warehouse_file):
    gateway = Gateway.open(warehouse_file)

    def work(i: int) -> int:
        return gateway.rows("select count(*) from stg_card_transactions where amount > ?", [i % 3])[0][0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(400)))
    assert results.count(2) + results.count(1) == 400


def test_a_rebuild_is_noticed_and_a_reopened_gateway_sees_it(tiny_raw, warehouse_file):
    gateway = Gateway.open(warehouse_file)
    assert gateway.is_current()
    build.build(tiny_raw, warehouse_file)
    assert not gateway.is_current()
    assert gateway.rows("select count(*) from customers") == [(2,)]  # the open file stays readable
    fresh = Gateway.open(warehouse_file)
    assert fresh.is_current() and fresh.version != gateway.version
