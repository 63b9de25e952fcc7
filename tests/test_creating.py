"""Objects of sql/ are created side by side with little data (in one transaction on a single core) and in turn
with much, with the same result, each after what it reads; a failure names the file and creates nothing that
reads it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import TINY_ROWS
from warehouse import build, catalog, creating

HEADER = """-- Answers: A test object.
-- Grain: one row.
-- Columns:
--   n: A number.
"""


def write(sql: Path, name: str, query: str, materialize: bool = False) -> None:
    (sql / "x").mkdir(parents=True, exist_ok=True)
    header = HEADER + ("-- Materialize: table\n" if materialize else "")
    (sql / "x" / f"{name}.sql").write_text(f"{header}\n{query}\n")


@pytest.mark.parametrize(("rows", "cpus", "way"), [
    (1_000_000, 2, "side by side, 2"), (creating.SMALL_DATA_ROWS, 16, f"side by side, {creating.MAX_WORKERS}"),
    (creating.SMALL_DATA_ROWS + 1, 16, "in turn"), (10, 1, "in turn, one transaction"),
])
def test_the_way_objects_are_created_follows_the_amount_of_data_and_the_cores(monkeypatch, rows, cpus, way):
    chosen = []
    monkeypatch.setattr(creating, "_side_by_side", lambda con, objects, progress, workers: chosen.append(
        f"side by side, {workers}"))
    monkeypatch.setattr(creating, "_in_turn", lambda con, objects, progress: chosen.append(
        "in turn, one transaction" if _in_transaction(con) else "in turn"))
    creating.create_objects(duckdb.connect(), [], lambda _: None, source_rows=rows, cpus=cpus)
    assert chosen == [way]


def _in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("begin transaction")
    except duckdb.TransactionException:
        return True
    con.execute("rollback")
    return False


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Every object of the catalog with its kind and, for relations, its rows in a fixed order."""
    found = {}
    for name, kind in con.sql("select name, kind from meta.sql_objects").fetchall():
        found[name] = (kind, con.sql(f"select * from {name} order by all").fetchall() if kind != "macro" else None)
    return found


def test_side_by_side_and_in_turn_give_the_same_warehouse(monkeypatch):
    monkeypatch.setattr(creating.os, "cpu_count", lambda: 2)
    side_by_side = snapshot(build.build_in_memory(TINY_ROWS))
    monkeypatch.setattr(creating, "SMALL_DATA_ROWS", -1)
    in_turn = snapshot(build.build_in_memory(TINY_ROWS))
    assert len(side_by_side) == len(build.load_catalog())
    assert side_by_side == in_turn
    assert any(rows for kind, rows in side_by_side.values() if kind == "table"), "the fixture fills some tables"


@pytest.mark.parametrize(("rows", "cpus", "left"), [(10, 1, set()), (10**9, 1, {"base", "also_base"}),
                                                    (10, 2, None), (10, 3, None)])
def test_a_failure_names_the_file_and_nothing_reading_it_is_created(tmp_path, rows, cpus, left):
    sql = tmp_path / "sql"
    write(sql, "base", "select 1 as n", materialize=True)
    write(sql, "broken", "select no_such_column as n from base")
    write(sql, "reads_broken", "select n from broken")
    write(sql, "also_base", "select n + 1 as n from base")
    objects = catalog.load(sql)
    con = duckdb.connect()
    with pytest.raises(creating.CreateError, match=r"x/broken\.sql: broken could not be created: .*") as failed:
        creating.create_objects(con, objects, lambda _: None, source_rows=rows, cpus=cpus)
    assert failed.value.obj.name == "broken"
    existing = {name for name, in con.sql("select table_name from information_schema.tables").fetchall()}
    assert "reads_broken" not in existing and "broken" not in existing
    if left is not None:  # one transaction leaves nothing; in turn, what came before the failure stays
        assert existing == left


def test_side_by_side_objects_start_after_everything_they_read(tmp_path):
    sql = tmp_path / "sql"
    write(sql, "a_last", "select n from c_middle join d_other using (n)", materialize=True)
    write(sql, "c_middle", "select n from e_first", materialize=True)
    write(sql, "d_other", "select n from e_first")
    write(sql, "e_first", "select 7 as n", materialize=True)
    objects = catalog.load(sql)
    order: list[str] = []
    con = duckdb.connect()
    creating.create_objects(con, objects, lambda step: order.append(step.split()[-1]), source_rows=10, cpus=3)
    assert order.index("e_first") < order.index("c_middle") < order.index("a_last")
    assert order.index("d_other") < order.index("a_last") and len(order) == 4
    assert con.sql("select n from a_last").fetchall() == [(7,)]


def test_side_by_side_works_on_an_attached_database_made_the_default(tmp_path):
    """As an import builds: the new file is attached to a connection whose own database is another."""
    sql = tmp_path / "sql"
    write(sql, "first", "select 1 as n", materialize=True)
    write(sql, "second", "select n + 1 as n from first")
    con = duckdb.connect()
    con.execute("attach ? as warehouse", [str(tmp_path / "w.duckdb")])
    con.execute("use warehouse")
    creating.create_objects(con, catalog.load(sql), lambda _: None, source_rows=10, cpus=2)
    assert con.sql("select n from warehouse.main.second").fetchall() == [(2,)]
    assert con.sql("select count(*) from duckdb_tables() where database_name = 'memory'").fetchall() == [(0,)]
    assert con.sql("select count(*) from duckdb_views() where database_name = 'memory' "
                   "and not internal").fetchall() == [(0,)]
