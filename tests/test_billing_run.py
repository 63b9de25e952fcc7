"""`python -m warehouse billing-run`: the day's worklist as an Excel or CSV file, with last actions, for cron."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.pages.conftest import fixture_warehouse
from tests.worklist_fixture import AS_OF, ROWS
from warehouse import settings
from warehouse.gateway import Gateway


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return fixture_warehouse(tmp_path_factory.mktemp("ledger"), ROWS, AS_OF)


@pytest.fixture()
def db(built, tmp_path) -> Path:
    copy = Path(shutil.copy(built, tmp_path / "warehouse.duckdb"))
    gateway = Gateway.open(copy)  # one action recorded in the app: the file must show it as BL3's last action
    gateway.action_log.record(gateway, action_type="Call", performed_by="Ann Lee", bills=["BL3"], outcome="No answer")
    gateway.close()
    return copy


def billing_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warehouse", "billing-run", *args], capture_output=True, text=True,
                          cwd=settings.PROJECT_ROOT, timeout=120)


def test_the_excel_file_holds_every_overdue_bill_with_its_last_action(db, tmp_path):
    done = billing_run("--db", str(db), "--out", str(tmp_path / "out"))
    target = tmp_path / "out" / f"worklist-{date.today().isoformat()}.xlsx"
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{target}: 3 overdue bills"
    sheet = openpyxl.load_workbook(target).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header[:15] == ["As of", "Bill", "Customer id", "Customer", "Billing group", "Reminders go to", "Collector",
                           "Due date", "Days past due", "Aging bucket", "Billed", "Owed", "Last action",
                           "Last action type", "Last action by"]
    picked = [(r[1], r[3], r[6], r[7], r[8], r[11], r[13], r[14]) for r in rows]
    assert picked == [
        ("BL1", "Ada Moss", "Eve Stone", datetime(2024, 2, 29), 122, 700, "Reminder e-mail", "Eve Stone"),
        ("BL3", "Bo Lind", "No collector", datetime(2024, 5, 1), 60, 250, "Call", "Ann Lee"),
        ("BL2", "Ada Moss", "Eve Stone", datetime(2024, 6, 15), 15, 400, "Reminder e-mail", "Eve Stone"),
    ]
    assert sheet.cell(row=2, column=12).number_format == "#,##0.00"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [target.name], "no temporary file is left behind"


def test_the_csv_file_and_a_rerun_the_same_day_replaces_it(db, tmp_path):
    for _ in range(2):
        assert billing_run("--db", str(db), "--out", str(tmp_path), "--format", "csv").returncode == 0
    [written] = tmp_path.glob("worklist-*.csv")
    with written.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Bill"], r["Owed"], r["Last action by"], r["As of"]) for r in rows] == [
        ("BL1", "700.00", "Eve Stone", "2024-06-30"), ("BL3", "250.00", "Ann Lee", "2024-06-30"),
        ("BL2", "400.00", "Eve Stone", "2024-06-30")]
    assert rows[0]["Last action"] == "2024-06-20 10:00:00"


def test_problems_are_reported_with_a_failing_status(db, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    failed = billing_run("--db", str(db), "--out", str(blocked / "out"))
    assert failed.returncode == 1 and failed.stderr.startswith(f"error: Could not write {blocked / 'out'}")
    missing = billing_run("--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path))
    assert missing.returncode == 1 and "No warehouse at" in missing.stderr
