"""A corrupted copy of a reference dataset is rejected with a report naming every problem, and the warehouse in
use stays byte for byte what it was."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import polars as pl

from tests.importer.conftest import MAPPINGS, REFERENCE_DATA, needs_reference_data
from warehouse import settings
from warehouse.importer import run_import

pytestmark = needs_reference_data
DATASET = "finance-insights-000"
MAPPING = MAPPINGS / f"{DATASET}.toml"


def _set(path, line: int, field: int, value: str) -> None:
    """Replace one field of one line (1 = the header) of a comma-separated file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[line - 1].split(",")
    fields[field] = value
    lines[line - 1] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")


def corrupted_copy(target):
    shutil.copytree(REFERENCE_DATA / DATASET, target)
    for path in target.iterdir():
        path.chmod(0o644)
    loans = target / "Loan_Portfolio.csv"
    _set(loans, 3, 6, "2023-02-30")  # Start Date: no such day
    _set(loans, 5, 3, "-500")  # Loan Amount: negative
    _set(loans, 7, 1, "999")  # Customer ID: no such customer
    _set(loans, 9, 7, "3026-02-07")  # End Date: a typo for 2026
    cards = target / "Credit_Card_Transactions.csv"  # the Amount column removed
    cards.write_text("\n".join(",".join(f for i, f in enumerate(line.split(",")) if i != 3)
                               for line in cards.read_text(encoding="utf-8").split("\n")), encoding="utf-8")
    expenses = target / "Expense_Management.csv"  # saved with semicolons
    expenses.write_text(expenses.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    (target / "Marketing_Campaigns.csv").write_bytes(b"")  # empty
    staff = target / "Employee_Performance.csv"  # one line saved as Latin-1
    lines = staff.read_bytes().split(b"\n")
    lines[7] = lines[7].replace(b"Sales", "Ventes été".encode("latin-1"))
    staff.write_bytes(b"\n".join(lines))
    return target


EXPECTED = [  # rule, file, row, column, value
    ("encoding", "Employee_Performance.csv", 8, "Department", "E004,Ventes \ufffdt\ufffd,150000,140000,4.3"),
    ("type", "Loan_Portfolio.csv", 3, "Start Date", "2023-02-30"),
    ("negative amount", "Loan_Portfolio.csv", 5, "Loan Amount", "-500"),
    ("foreign key", "Loan_Portfolio.csv", 7, "Customer ID", "999"),
    ("date out of range", "Loan_Portfolio.csv", 9, "End Date", "3026-02-07"),
    ("missing column", "Credit_Card_Transactions.csv", 1, "Amount", None),
    ("delimiter", "Expense_Management.csv", 1, None, "Expense ID;Category;Amount;Date;Approved By"),
    ("empty file", "Marketing_Campaigns.csv", 1, None, None),
]


def test_a_corrupted_copy_is_rejected_naming_each_problem_and_the_warehouse_is_untouched(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    assert run_import(REFERENCE_DATA / DATASET, MAPPING, db).accepted
    before = db.read_bytes()
    digest = hashlib.sha256(before).hexdigest()

    source = corrupted_copy(tmp_path / "corrupted")
    report = tmp_path / "report.csv"
    done = subprocess.run([sys.executable, "-m", "warehouse", "import", str(source), "--mapping", str(MAPPING),
                           "--db", str(db), "--report", str(report), "--max-problems", "8"],
                          capture_output=True, text=True, cwd=settings.PROJECT_ROOT, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert db.read_bytes() == before and hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupted", "report.csv", "warehouse.duckdb"]

    found = pl.read_csv(report, infer_schema=False)
    errors = found.filter(pl.col("severity") == "error")
    assert errors.select("rule", "file", pl.col("row").cast(pl.Int64), "column", "value").rows() == EXPECTED
    assert found.filter(pl.col("severity") == "note")["rule"].to_list() == ["file not mapped"] * 9

    printed = done.stdout
    assert f"REJECTED: 8 problem(s). Nothing was changed; {db} is as it was." in printed
    for rule, file, row, column, value in EXPECTED:
        where = f"{file}, row {row}" + (f", column {column}" if column else "")
        assert where in printed and f"[{rule}]" in printed, (rule, printed)
    assert "Loan_Portfolio.csv, row 7, column Customer ID: value '999' [foreign key] no customers.customer_id is " \
           "'999'" in printed
    assert "the file looks ';'-delimited: set delimiter = ';'" in printed
    assert f"Full report: {report}" in printed
