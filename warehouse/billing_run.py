"""The scheduled billing run: the day's collections worklist as an Excel or CSV file, for cron.

    python -m warehouse billing-run --db data/warehouse.duckdb --out out/worklists --format xlsx

Writes `<out>/worklist-<YYYY-MM-DD>.<xlsx|csv>` (today's date; a second run the same day replaces it): every
bill open and past due at the data as-of date, with its billing group, reminder address, collector and the
customer's last collection action (including actions recorded in the app). The file is written under a
temporary name and renamed into place, so whatever picks it up never reads half a file.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import polars as pl

from warehouse.gateway import Gateway, WarehouseUnavailable
from warehouse.queries import worklist
from warehouse.scope import Scope

FORMATS = ("xlsx", "csv")
# Worklist column -> heading in the file, in file order.
COLUMNS = {
    "as_of_date": "As of",
    "bill_id": "Bill",
    "customer_id": "Customer id",
    "customer_name": "Customer",
    "billing_group_name": "Billing group",
    "billing_email": "Reminders go to",
    "collector_name": "Collector",
    "due_date": "Due date",
    "days_past_due": "Days past due",
    "aging_bucket": "Aging bucket",
    "amount": "Billed",
    "open_amount": "Owed",
    "last_action_at": "Last action",
    "last_action_type": "Last action type",
    "last_action_by": "Last action by",
    "region": "Region",
    "segment": "Segment",
}
MONEY, DATES, TIMES = ("Billed", "Owed"), ("As of", "Due date"), ("Last action",)


class BillingRunError(Exception):
    """The worklist file could not be written; the message says where and why."""


def worklist_frame(db) -> pl.DataFrame:
    """Every overdue bill of the warehouse, most overdue first, under the file's headings."""
    today = date.today()
    frame = worklist.bills(db, Scope(today, today), worklist.filters())
    return frame.select([pl.col(name).alias(title) for name, title in COLUMNS.items()])


def write(frame: pl.DataFrame, out_dir: Path, file_format: str = "xlsx", day: date | None = None) -> Path:
    if file_format not in FORMATS:
        raise BillingRunError(f"Unknown format {file_format!r}; use one of: {', '.join(FORMATS)}.")
    out_dir = Path(out_dir)
    target = out_dir / f"worklist-{(day or date.today()).isoformat()}.{file_format}"
    temporary = out_dir / f".{target.name}.{os.getpid()}.tmp"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if file_format == "csv":
            frame.write_csv(temporary, datetime_format="%Y-%m-%d %H:%M:%S", float_precision=2)
        else:
            money = '#,##0.00'
            frame.write_excel(
                temporary, worksheet="Worklist", autofit=True, freeze_panes=(1, 0),
                column_formats={**{c: money for c in MONEY}, **{c: "yyyy-mm-dd" for c in DATES},
                                **{c: "yyyy-mm-dd hh:mm" for c in TIMES}})
        os.replace(temporary, target)
    except OSError as error:
        raise BillingRunError(f"Could not write {target}: {error.strerror or error}") from None
    finally:
        _discard(temporary)
    return target


def run(db_path: Path | str, out_dir: Path | str, file_format: str = "xlsx") -> tuple[Path, int]:
    """Write today's worklist file; returns its path and the number of bills in it."""
    gateway = Gateway.open(db_path)
    try:
        frame = worklist_frame(gateway)
    finally:
        gateway.close()
    return write(frame, Path(out_dir), file_format), frame.height


def main(db_path: Path | str, out_dir: Path | str, file_format: str) -> int:
    """The command line's entry: one line on success, an error message and exit status 1 otherwise."""
    try:
        path, bills = run(db_path, out_dir, file_format)
    except (BillingRunError, WarehouseUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{path}: {bills:,} overdue bill{'s' * (bills != 1)}")
    return 0


def _discard(path: Path) -> None:
    """Remove a temporary file if it is there; never raises (it runs while another error may be on its way)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
