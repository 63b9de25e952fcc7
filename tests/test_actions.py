"""The action log: recorded actions survive rebuilds and restarts, land from concurrent sessions, are all-or-nothing
and validated, and reach every view that reads collection actions without a rebuild (tests/worklist_fixture.py)."""

from __future__ import annotations

import errno
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from app.data import CachedReader
from tests.factories import row
from tests.pages.conftest import fixture_warehouse
from tests.worklist_fixture import AS_OF, ROWS
from warehouse import actions, build
from warehouse.actions import ActionLog, InvalidAction, NotRecorded
from warehouse.gateway import Gateway

RECORDED = "select count(*), count(distinct action_id) from stg_collection_actions where source = 'recorded in app'"
# every view showing collection actions: each adds the recorded ones to a part the build stored from the source data
COLLECTION_VIEWS = ("customer_last_collection_action", "billing_worklist", "collection_actions_monthly",
                    "collection_cure_monthly", "defaulted_bill_actions_monthly")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return fixture_warehouse(tmp_path_factory.mktemp("ledger"), ROWS, AS_OF)


@pytest.fixture()
def db(built, tmp_path) -> Path:
    """A private copy of the warehouse per test, so each has its own action log (beside the copy)."""
    return Path(shutil.copy(built, tmp_path / "warehouse.duckdb"))


@pytest.fixture()
def gateway(db):
    opened = Gateway.open(db)
    yield opened
    opened.close()


def everything_in(folder: Path) -> list[str]:
    """Every entry of the folder, hidden temporaries included."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def call(log: ActionLog, reader, who: str = "Tom Kay", **overrides):
    return log.record(reader, **{"action_type": "Call", "performed_by": who, "bills": ["BL1"],
                                 "outcome": "No answer", **overrides})


def test_the_log_lives_beside_the_warehouse_and_is_configurable(db, monkeypatch):
    assert actions.folder_for(db) == db.parent / "warehouse-actions"
    from warehouse import settings
    assert actions.folder_for(settings.DEFAULT_DB_PATH) == settings.DATA_DIR / "user-actions"
    monkeypatch.setenv("CFI_ACTIONS_DIR", "/srv/actions")
    assert actions.folder_for(db) == Path("/srv/actions")


def test_actions_survive_a_rebuild_new_views_and_a_restart_and_are_never_duplicated(built, db, gateway):
    log = gateway.action_log
    first = [call(log, gateway), call(log, gateway, bills=["BL1", "BL3"], action_type="Letter", outcome="Sent"),
             call(log, gateway, customers=["C2"], bills=[], action_type="SMS", outcome=None)]
    assert gateway.rows(RECORDED) == [(4, 4)]

    build.build(built.parent / "raw", db)  # a full rebuild replaces the warehouse file...
    assert not gateway.is_current()
    rebuilt = Gateway.open(db)  # ...and the app reopens it
    assert rebuilt.rows(RECORDED) == [(4, 4)]
    call(rebuilt.action_log, rebuilt, who="Ann Lee")
    build.reapply_views(db)
    rebuilt.action_log.write(first[0])  # a retried write of an action already in the log changes nothing
    duplicate = rebuilt.action_log.files()[0]
    shutil.copy(duplicate, duplicate.with_name("20991231T000000000000-copy.parquet"))  # e.g. mid-compaction

    restarted = Gateway.open(db)  # a server restart: a new process opens the same files
    assert restarted.rows(RECORDED) == [(5, 5)]
    assert restarted.rows("select performed_by, action_type, bill_id, customer_id from stg_collection_actions "
                          "where source = 'recorded in app' order by performed_by, action_type, bill_id") == [
        ("Ann Lee", "Call", "BL1", "C1"),
        ("Tom Kay", "Call", "BL1", "C1"),
        ("Tom Kay", "Letter", "BL1", "C1"),
        ("Tom Kay", "Letter", "BL3", "C2"),
        ("Tom Kay", "SMS", None, "C2"),
    ]
    assert restarted.rows("select count(*) from stg_collection_actions where source = 'source data'") == [(1,)]


def test_two_sessions_recording_at_once_both_land(gateway):
    log = gateway.action_log

    def session(who: str) -> list[str]:
        return [call(log, gateway, who=who, bills=["BL1", "BL2"] if i % 2 else ["BL3"]).entry_id for i in range(100)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        entries = [entry for done in pool.map(session, ["Ann Lee", "Tom Kay"]) for entry in done]
    assert len(set(entries)) == 200 and len(log.files()) == 200
    assert gateway.rows("select performed_by, count(distinct entry_id), count(*) from recorded_collection_actions "
                        "group by all order by 1") == [("Ann Lee", 100, 150), ("Tom Kay", 100, 150)]
    assert gateway.rows(RECORDED) == [(300, 300)]
    assert not [name for name in everything_in(log.folder) if not name.endswith(".parquet")], "no temporaries left"


@pytest.mark.parametrize("change, message", [
    (dict(bills=["BL1", "NOPE"]), "Unknown bill id(s) 'NOPE'"),
    (dict(bills=[], customers=["C9"]), "Unknown customer id(s) 'C9'"),
    (dict(bills=[]), "Nothing selected"),
    (dict(note="x" * 501), "The note has 501 characters; at most 500 are allowed."),
    (dict(note="a\x00b"), "control characters"),
    (dict(who="  "), "Say who took the action"),
    (dict(who="Tom\nKay"), "one line"),
    (dict(action_type="Fax"), "Unknown action type 'Fax'"),
    (dict(outcome="Sent"), "'Sent' is not an outcome of 'Call'"),
    (dict(at=datetime(2099, 1, 1)), "in the future"),
])
def test_bad_input_is_refused_clearly_and_records_nothing(gateway, change, message):
    log = gateway.action_log
    with pytest.raises(InvalidAction, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(log, gateway, **change)
    assert everything_in(log.folder) == []
    assert gateway.rows(RECORDED) == [(0, 0)]


def test_a_failing_disk_leaves_no_file_and_no_row(gateway, monkeypatch):
    log = gateway.action_log
    call(log, gateway)  # one action already in the log must stay untouched

    def disk_full(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(actions.os, "replace", disk_full)
        with pytest.raises(NotRecorded, match="No space left on device.*nothing was recorded"):
            call(log, gateway, bills=["BL1", "BL2", "BL3"])
    with monkeypatch.context() as patched:
        patched.setattr(actions.pq, "write_table", disk_full)
        with pytest.raises(NotRecorded, match="No space left on device"):
            call(log, gateway, bills=["BL2"])
    assert len(everything_in(log.folder)) == 1, "the failed temporaries were removed"
    assert gateway.rows(RECORDED) == [(1, 1)]


def test_an_unusable_folder_is_reported_and_nothing_is_written(db, gateway, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    log = ActionLog(blocked / "actions")
    with pytest.raises(NotRecorded, match="cannot be created.*nothing was recorded"):
        call(log, gateway)
    assert blocked.read_text() == "not a folder"


def test_one_action_on_several_bills_is_one_file_holding_all_its_rows(gateway):
    action = call(gateway.action_log, gateway, bills=["BL3", "BL1"], note="Left a message")
    [written] = gateway.action_log.files()
    table = pq.read_table(written).to_pylist()
    assert [(r["action_id"], r["customer_id"], r["bill_id"], r["note"]) for r in table] == [
        (f"{action.entry_id}-1", "C2", "BL3", "Left a message"),
        (f"{action.entry_id}-2", "C1", "BL1", "Left a message")]


def test_recorded_actions_reach_every_view_at_once(gateway):
    assert gateway.rows("select bill_id, last_action_by from billing_worklist order by bill_id") == [
        ("BL1", "Eve Stone"), ("BL2", "Eve Stone"), ("BL3", None)]
    call(gateway.action_log, gateway, bills=["BL3"], who="Tom Kay", outcome="Promised to pay")
    assert gateway.rows("select bill_id, last_action_type, last_action_by from billing_worklist order by bill_id") == [
        ("BL1", "Reminder e-mail", "Eve Stone"), ("BL2", "Reminder e-mail", "Eve Stone"), ("BL3", "Call", "Tom Kay")]
    assert gateway.rows("select customer_id, last_action_by, last_action_outcome, collection_actions "
                        "from customer_last_collection_action order by 1") == [
        ("C1", "Eve Stone", "Delivered", 1), ("C2", "Tom Kay", "Promised to pay", 1)]
    today = datetime.now().date().replace(day=1)
    assert gateway.rows("select action_type, sum(actions) from collection_actions_monthly where month = ? "
                        "group by all", [today]) == [("Call", 1)]


def test_recorded_actions_show_as_if_they_were_in_the_source_data(gateway, tmp_path):
    """What the build stored from the source data plus what the views compute from the log per request equals
    what a warehouse built with the same actions in its source data shows."""
    log = gateway.action_log
    call(log, gateway, bills=["BL1"], at=datetime(2024, 3, 10, 9, 0))  # window over: BL1 not cured (700 left)
    call(log, gateway, bills=["BL1", "BL2"], who="Ann Lee", at=datetime(2024, 6, 20, 10, 0))  # CA1's moment
    call(log, gateway, bills=["BL3"], outcome="Promised to pay", at=datetime(2024, 6, 25, 9, 0))
    logged = gateway.rows("select action_id, customer_id, bill_id, action_at, action_type, performed_by, outcome "
                          "from recorded_collection_actions")
    columns = ("action_id", "customer_id", "bill_id", "action_at", "action_type", "performed_by", "outcome")
    in_source_data = fixture_warehouse(tmp_path / "reference", {
        **ROWS, "collection_actions": ROWS["collection_actions"]
        + [row("collection_actions", **dict(zip(columns, action, strict=True))) for action in logged]}, AS_OF)
    reference = Gateway.open(in_source_data)
    try:
        assert reference.rows(RECORDED) == [(0, 0)] and len(logged) == 4
        for view in COLLECTION_VIEWS:
            assert sorted(gateway.rows(f"select * from {view}"), key=str) == sorted(
                reference.rows(f"select * from {view}"), key=str), view
    finally:
        reference.close()


def test_a_gateway_opened_before_the_first_action_sees_actions_written_by_another_process(db, gateway):
    assert gateway.rows(RECORDED) == [(0, 0)]
    other = Gateway.open(db)  # stands for another server process writing the same log
    call(other.action_log, other)
    assert gateway.rows(RECORDED) == [(1, 1)]
    for path in gateway.action_log.files():  # the log emptied by hand: read as empty, not an error
        path.unlink()
    assert gateway.rows(RECORDED) == [(0, 0)]


def test_the_app_cache_refreshes_results_that_read_actions_and_only_those(gateway):
    assert gateway.reads_actions("select * from billing_worklist") and gateway.reads_actions(
        "select * from customer_last_collection_action")
    assert not gateway.reads_actions("select * from stg_customers")
    # what the build stored holds the source data's actions only: recording one leaves it as it is
    assert gateway.reads_actions("select * from collection_cure_monthly")
    assert not gateway.reads_actions("select * from billing_worklist_source_data")
    assert not gateway.reads_actions("select * from collection_cure_monthly_source_data")
    worklist_by = "select bill_id, last_action_by from billing_worklist where bill_id = 'BL3'"
    first_run = CachedReader(gateway)
    assert first_run.frame(worklist_by)["last_action_by"].to_list() == [None]
    call(gateway.action_log, gateway, bills=["BL3"], who="Ann Lee")
    assert first_run.frame(worklist_by)["last_action_by"].to_list() == [None], "one listing of the log per run"
    next_run = CachedReader(gateway)
    assert next_run.frame(worklist_by)["last_action_by"].to_list() == ["Ann Lee"]
    first_run.actions_recorded()  # what the page calls after recording in its own run
    assert first_run.frame(worklist_by)["last_action_by"].to_list() == ["Ann Lee"]


def test_compaction_merges_the_files_and_keeps_every_action_once(gateway):
    log = gateway.action_log
    for bills in (["BL1"], ["BL2", "BL3"], ["BL1"]):
        call(log, gateway, bills=bills)
    before = gateway.rows("select action_id, bill_id, performed_by from stg_collection_actions order by 1")
    merged, path = log.compact()
    assert merged == 3 and log.files() == [path]
    assert gateway.rows("select action_id, bill_id, performed_by from stg_collection_actions order by 1") == before
    assert gateway.rows(RECORDED) == [(4, 4)]


def test_the_compact_command(db, gateway, capsys):
    from warehouse.__main__ import main

    for bills in (["BL1"], ["BL2"]):
        call(gateway.action_log, gateway, bills=bills)
    assert main(["actions-compact", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith(f"{gateway.action_log.folder}: merged 2 files into ")
    assert len(gateway.action_log.files()) == 1 and gateway.rows(RECORDED) == [(2, 2)]
