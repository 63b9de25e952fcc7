"""Tables and whole pages as downloads: CSV, and Excel with one sheet per visual, money and dates formatted.

Pure functions (no Streamlit) so the exports can be opened and checked in tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import xlsxwriter

from app.columns import Col

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    title: str
    frame: pl.DataFrame
    columns: Sequence[Col]


def presented(frame: pl.DataFrame, columns: Sequence[Col]) -> pl.DataFrame:
    """The described columns only, in their order, under their business titles."""
    present = [c for c in columns if c.name in frame.columns]
    return frame.select([pl.col(c.name).alias(c.title) for c in present])


def csv(frame: pl.DataFrame, columns: Sequence[Col]) -> bytes:
    """CSV with business headers, ISO dates and plain numbers (what other tools import best)."""
    return presented(frame, columns).write_csv().encode("utf-8")


def workbook(sheets: Sequence[Sheet], currency: str) -> bytes:
    """An .xlsx file with one sheet per visual, each a formatted, filterable table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    used: set[str] = set()
    for sheet in sheets:
        table = presented(sheet.frame, sheet.columns)
        formats = {c.title: c.excel_format(currency) for c in sheet.columns if c.name in sheet.frame.columns}
        table.write_excel(
            book,
            worksheet=_sheet_name(sheet.title, used),
            column_formats={title: f for title, f in formats.items() if f},
            autofit=True,
            freeze_panes=(1, 0),
            table_style="Table Style Light 9",
        )
    if not sheets:
        book.add_worksheet("Empty").write(0, 0, "No data for the chosen filters.")
    book.close()
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", title)[:31].strip() or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name
