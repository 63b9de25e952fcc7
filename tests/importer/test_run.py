"""All or nothing: an accepted import replaces the warehouse in one step, with its report inside; the build's
hook that stores the report runs before the swap, so a failure there leaves the old warehouse too."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from tests.conftest import write_raw
from tests.importer.conftest import write_files, write_mapping
from tests.pages.conftest import metrics
from warehouse import actions, build
from warehouse.gateway import Gateway
from warehouse.importer import run_import
from warehouse.queries import catalog
from warehouse.scope import Scope

SOURCE = {
    "clients.csv": """
        Client;Given;Family;Area;Since
        K1;Ada;Moss;West;2023-02-10
        K2;Ben;Ray;West;2023-03-01
        K3;Cy;Lee;East;2024-01-15
    """,
    "contacts.csv": """
        Ticket;Client;Opened;Minutes;Score;Outcome
        S1;K1;2024-05-03 09:00;12;4;done
        S2;K2;2024-05-04 10:00;30;2;open
        S2;K2;2024-05-04 10:00;30;2;open
    """,
}
MAPPING = """
    currency = "GBP"
    delimiter = ";"
    drop_duplicates = true

    [[files]]
    file = "clients.csv"
    table = "customers"

    [files.columns]
    customer_id = "Client"
    first_name = "Given"
    last_name = "Family"
    region = "Area"
    segment = { constant = "Retail" }
    wealth_tier = { constant = "Mass Market" }
    enrollment_date = "Since"

    [[files]]
    file = "contacts.csv"
    table = "service_interactions"

    [files.columns]
    interaction_id = "Ticket"
    customer_id = "Client"
    opened_at = { column = "Opened", format = "%Y-%m-%d %H:%M" }
    duration_minutes = "Minutes"
    satisfaction = "Score"
    resolution_status = { column = "Outcome", values = { "done" = "Resolved", "open" = "Unresolved" } }
    channel = { constant = "Phone" }
    reason = { constant = "Account Inquiry" }
"""


@pytest.fixture()
def imported(tmp_path):
    source = write_files(tmp_path / "source", SOURCE)
    mapping = write_mapping(tmp_path / "bank.toml", MAPPING)
    db = tmp_path / "warehouse.duckdb"
    result = run_import(source, mapping, db)
    assert result.accepted, result.summary()
    return db, source, mapping


def test_the_rows_imported_size_the_new_warehouses_row_groups(tmp_path, monkeypatch):
    sized_for = []
    attach = build._attach_new
    monkeypatch.setattr(build, "_attach_new", lambda con, path, rows: (sized_for.append(rows), attach(con, path, rows)))
    result = run_import(write_files(tmp_path / "source", SOURCE), write_mapping(tmp_path / "bank.toml", MAPPING),
                        tmp_path / "warehouse.duckdb")
    assert result.accepted, result.summary()
    assert sized_for == [5]  # 3 customers and 2 contacts: the repeated contact is dropped


def test_an_accepted_import_replaces_the_warehouse_and_records_where_it_came_from(imported, tmp_path):
    db, source, mapping = imported
    gateway = Gateway.open(db)
    info = gateway.build_info
    assert (info.source_kind, info.currency, str(info.as_of_date)) == ("import", "GBP", "2024-05-04")
    assert gateway.rows("select count(*) from stg_service_interactions") == [(2,)]
    gateway.close()
    first = db.read_bytes()
    (source / "contacts.csv").write_text((source / "contacts.csv").read_text() + "S4;K3;2024-05-05 11:00;5;5;done\n")
    assert run_import(source, mapping, db).accepted
    assert db.read_bytes() != first
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from service_interactions").fetchall() == [(3,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.toml", "source", "warehouse.duckdb"]


def test_the_build_hook_runs_inside_the_new_file_before_the_swap(tmp_path):
    raw = write_raw(tmp_path / "raw", {})
    db = tmp_path / "w.duckdb"
    build.build(raw, db, record=lambda con: con.execute("create table meta.note as select 42 as answer"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select answer from meta.note").fetchall() == [(42,)]
    before = db.read_bytes()

    def broken(con):
        raise RuntimeError("the report could not be written")

    with pytest.raises(RuntimeError, match="could not be written"):
        build.build(raw, db, record=broken)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw", "w.duckdb"]


def test_a_rejected_import_never_builds_and_leaves_the_warehouse_byte_for_byte(imported, tmp_path, monkeypatch):
    db, source, mapping = imported
    before = db.read_bytes()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))

    def no_build(*args, **kwargs):
        raise AssertionError("a rejected import started a build")

    monkeypatch.setattr(build, "build_on", no_build)
    (source / "contacts.csv").write_text((source / "contacts.csv").read_text() + "S5;K9;2024-05-05 11:00;5;5;done\n")
    result = run_import(source, mapping, db)
    assert not result.accepted and result.errors == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.toml", "source", "tmp", "warehouse.duckdb"]
    assert list(scratch.iterdir()) == [], "the scratch folder is removed"


def test_the_views_of_an_imported_warehouse_name_no_database(imported, tmp_path):
    """The import builds with the new file attached under a name of its own: nothing it creates may depend on
    that name, so the file works opened directly under any other."""
    db, _, _ = imported
    elsewhere = shutil.copyfile(db, tmp_path / "elsewhere.duckdb")
    with duckdb.connect(str(elsewhere), read_only=True) as con:
        actions.ensure_placeholder(con)
        views = con.execute("select view_name from duckdb_views() where not internal "
                            "and database_name = current_database() order by all").fetchall()
        assert views == con.execute("select name from meta.sql_objects where kind = 'view' order by all").fetchall()
        for name, in views:
            con.execute(f"select * from {name} limit 1").fetchall()


def test_the_data_page_shows_the_last_import(imported, open_page):
    db, _, _ = imported
    app = open_page(db, "pages/data_and_measures.py")
    assert not app.exception
    assert metrics(app)["Built from"] == "Imported files"
    assert app.subheader[0].value == "Last import"
    assert any(c.value.startswith("Imported from ") and "with the mapping bank.toml" in c.value for c in app.caption)
    files, report = app.dataframe[0].value, app.dataframe[1].value
    assert files[["file", "rows_read", "rows_loaded", "duplicates_dropped"]].values.tolist() == [
        ["clients.csv", 3, 3, 0], ["contacts.csv", 3, 2, 1]]
    assert report[["severity", "rule", "file", "row"]].values.tolist() == [["dropped", "duplicate row",
                                                                          "contacts.csv", 4]]
    # and the service page, the only other area imported, shows its data
    service = open_page(db, "pages/service.py", query_params={"period": ["2024-05-01", "2024-05-04"]})
    assert not service.exception
    assert metrics(service)["Contacts"] == "2"


def test_the_row_by_row_import_report_is_withheld_from_a_viewer_limited_to_some_regions(imported):
    db, _, _ = imported
    gateway = Gateway.open(db)
    year = (date(2024, 1, 1), date(2024, 12, 31))
    limited = catalog.last_import(gateway, Scope(*year, allowed_regions=("West",)))
    whole = catalog.last_import(gateway, Scope(*year))
    gateway.close()
    assert limited["report"] is None, "its values may come from any region"
    assert whole["report"].height == 1
    assert limited["files"].equals(whole["files"]), "files and row counts are shown to everyone"


def test_a_warehouse_not_built_by_an_import_has_no_import_section(tmp_path, open_page):
    db = tmp_path / "w.duckdb"
    build.build(write_raw(tmp_path / "raw", {}), db)
    app = open_page(db, "pages/data_and_measures.py")
    assert not app.exception
    assert "Last import" not in [s.value for s in app.subheader]
