"""The build loads the contract tables, creates sql/, records metadata, and replaces the file atomically."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import write_raw
from warehouse import build, contract, creating, settings
from warehouse.gateway import Gateway

BROKEN_VIEW = """-- Answers: Nothing; it is broken on purpose.
-- Grain: one row per nothing.
-- Columns:
--   n: Never returned.

select n from stg_customers
"""


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warehouse", *args], capture_output=True, text=True,
                          cwd=settings.PROJECT_ROOT, timeout=120)


def test_build_loads_every_contract_table_and_records_what_it_built(tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    result = build.build(tiny_raw, db, source_detail={"scale": 0.001})
    assert result.row_counts["customers"] == 2 and result.row_counts["card_transactions"] == 2
    assert set(result.row_counts) == set(contract.TABLES_BY_NAME)
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select count(*) from stg_customers").fetchall() == [(2,)]
    assert con.sql("select source_detail, as_of_date::varchar from meta.build").fetchall() == [
        (f'{{"raw_dir": "{tiny_raw}", "scale": 0.001}}', "2024-06-30")]
    recorded = dict(con.sql("select table_name, row_count from meta.table_rows").fetchall())
    assert recorded == result.row_counts
    assert {r[0] for r in con.sql("select name from meta.sql_objects").fetchall()} == {o.name for o in result.objects}
    # types follow the contract, not the Parquet
    assert con.sql("select typeof(amount) from card_transactions limit 1").fetchall() == [("DECIMAL(18,2)",)]
    con.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file is left behind"


def test_a_broken_view_fails_build_and_views_and_leaves_the_warehouse_untouched(tiny_raw, tmp_path, sql_copy):
    db = tmp_path / "w.duckdb"
    ok = run_cli("build", "--raw", str(tiny_raw), "--db", str(db), "--sql", str(sql_copy))
    assert ok.returncode == 0, ok.stderr
    before = Gateway.open(db)
    build_id, rows = before.version, before.rows("select count(*) from stg_customers")
    before.close()
    snapshot = db.read_bytes()

    (sql_copy / "staging" / "zz_broken.sql").write_text(BROKEN_VIEW)
    for args in (["build", "--raw", str(tiny_raw)], ["views"]):
        failed = run_cli(*args, "--db", str(db), "--sql", str(sql_copy))
        assert failed.returncode != 0
        assert "zz_broken.sql" in failed.stderr and 'Referenced column "n" not found' in failed.stderr
        assert db.read_bytes() == snapshot
        after = Gateway.open(db)
        assert after.version == build_id and after.rows("select count(*) from stg_customers") == rows
        after.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sql", "w.duckdb"]


def test_views_reapplies_sql_without_reloading_and_drops_removed_files(tiny_raw, tmp_path, sql_copy):
    db = tmp_path / "w.duckdb"
    leaf = sql_copy / "staging" / "zz_leaf.sql"
    leaf.write_text(BROKEN_VIEW.replace("select n from stg_customers", "with final as (select 1 as n)\n"
                                        "select * from final"))
    first = build.build(tiny_raw, db, sql_dir=sql_copy)
    leaf.unlink()
    (sql_copy / "staging" / "stg_customers.sql").write_text(
        (settings.SQL_DIR / "staging" / "stg_customers.sql").read_text().replace(
            "--   customer_id: Unique customer identifier.",
            "--   customer_id: Unique customer identifier.\n--   is_new: Always true here.").replace(
            "        customer_id,\n", "        customer_id,\n        true as is_new,\n", 1))
    second = build.reapply_views(db, sql_dir=sql_copy)
    assert second.build_id != first.build_id and second.row_counts == first.row_counts
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select count(*) from stg_customers where is_new").fetchall() == [(2,)]
    views = {r[0] for r in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
    assert "zz_leaf" not in views and "stg_card_transactions" in views
    assert con.sql("select count(*) from card_transactions").fetchall() == [(2,)]
    con.close()


def _row_groups(db, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(distinct row_group_id) from pragma_storage_info(?)", [table]).fetchall()[0][0]


def test_little_data_is_stored_in_smaller_row_groups_than_duckdbs_default(tmp_path, monkeypatch):
    raw = write_raw(tmp_path / "raw", {})
    rows = 40_000  # one row group of DuckDB's default 122,880 rows, two of SMALL_DATA_ROW_GROUP_SIZE
    duckdb.connect().execute(
        f"copy (select 'T' || i as transaction_id, 'C1' as customer_id, timestamp '2024-06-01' as transaction_at, "
        f"1.5 as amount, 'Travel' as merchant_category, 'Online' as channel, 'Approved' as status "
        f"from range({rows}) t(i)) to '{raw / 'card_transactions.parquet'}' (format parquet)")
    build.build(raw, tmp_path / "small.duckdb")
    assert _row_groups(tmp_path / "small.duckdb", "card_transactions") == 2
    monkeypatch.setattr(creating, "SMALL_DATA_ROWS", rows - 1)
    build.build(raw, tmp_path / "large.duckdb")
    assert _row_groups(tmp_path / "large.duckdb", "card_transactions") == 1


def test_views_sizes_the_row_groups_of_new_tables_by_the_rows_the_warehouse_holds(tiny_raw, tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    built = build.build(tiny_raw, db)
    sized_for = []
    attach = build._attach_new
    monkeypatch.setattr(build, "_attach_new", lambda con, path, rows: (sized_for.append(rows), attach(con, path, rows)))
    build.reapply_views(db)
    assert sized_for == [sum(built.row_counts.values())] and sized_for[0] > 0


def test_the_new_file_is_synced_once_by_the_build_just_before_it_replaces_the_warehouse(tiny_raw, tmp_path,
                                                                                         monkeypatch):
    db = tmp_path / "w.duckdb"
    steps, replace = [], os.replace
    monkeypatch.setattr(build, "fsync", lambda path: steps.append(("fsync", path.name)))
    monkeypatch.setattr(build.os, "replace", lambda src, dst: (steps.append(("replace", src.name)), replace(src, dst)))
    sync_modes = []
    build.build(tiny_raw, db, record=lambda con: sync_modes.extend(
        con.sql("select current_setting('fsync_mode')").fetchall()[0]))
    assert sync_modes == ["none"]  # DuckDB's own syncs, at each commit and checkpoint, are off while it builds
    new_file = steps[0][1]
    assert new_file.endswith(".building")
    assert steps == [("fsync", new_file), ("replace", new_file), ("fsync", tmp_path.name)]
    assert duckdb.connect(str(db), read_only=True).sql("select count(*) from customers").fetchall()[0][0] > 0


def test_a_source_file_missing_a_contract_column_names_file_and_column(tmp_path):
    raw = write_raw(tmp_path / "raw", {})
    duckdb.connect().execute(f"copy (select 'C1' as customer_id) to '{raw / 'customers.parquet'}' (format parquet)")
    with pytest.raises(build.BuildError, match=r"customers\.parquet: missing column\(s\) first_name, last_name"):
        build.build(raw, tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()


def test_a_folder_without_parquet_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("build", "--raw", str(tmp_path / "empty"), "--db", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert "holds no .parquet files" in result.stderr and "Traceback" not in result.stderr


def test_temporaries_of_killed_builds_are_removed_by_the_next_build(tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    abandoned = tmp_path / f".w.duckdb.{2**22 + 12345}.deadbeef.building"  # a pid no process has
    abandoned.write_bytes(b"half a database")
    build.build(tiny_raw, db)
    assert not abandoned.exists()


def test_an_in_memory_fixture_is_built_by_the_same_steps(tmp_path):
    con = build.build_in_memory({"customers": [
        {"customer_id": "C9", "first_name": "Cy", "last_name": "Ng", "region": "West", "segment": "Retail",
         "wealth_tier": "Affluent", "enrollment_date": "2025-01-31"}]})
    assert con.sql("select full_name, enrollment_month::varchar from stg_customers").fetchall() == [
        ("Cy Ng", "2025-01-01")]
    assert con.sql("select count(*) from meta.sql_objects").fetchall()[0][0] == len(build.load_catalog())
    with pytest.raises(build.BuildError, match="customers has no column"):
        build.build_in_memory({"customers": [{"nickname": "x"}]})


def test_the_status_command_reports_the_build(tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    build.build(tiny_raw, db)
    result = run_cli("status", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "data as of  2024-06-30" in result.stdout
    assert "customers" in result.stdout and os.fspath(db) in result.stdout
