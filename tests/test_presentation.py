"""How numbers read and how exports open: the formatting of cards, axes, tables and Excel files."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import polars as pl

from app import columns as c
from app import export, fmt


def test_money_is_abbreviated_in_cards_and_full_in_tables():
    assert fmt.money(1_234_567.891, "USD", short=True) == "$1.23M"
    assert fmt.money(845_000, "USD", short=True) == "$845K"
    assert fmt.money(3_771_394_490, "USD", short=True) == "$3.77B"
    assert fmt.money(1_234_567.891, "USD") == "$1,234,567.89"
    assert fmt.money(-50, "GBP", short=True) == "-£50"
    assert fmt.money(12.5, "EUR", short=True) == "€12.50"
    assert fmt.money(None, "USD") == "–"


def test_rates_are_percentages_with_one_decimal_and_deltas_follow_the_kind():
    assert fmt.percent(0.084) == "8.4%"
    assert fmt.change(110, 100, kind="money") == "+10.0%"
    assert fmt.change(0.30, 0.25, kind="percent") == "+5.0 pp"
    assert fmt.change(3.5, 3.75, kind="score") == "-0.25"
    assert fmt.change(5, 0, kind="count") is None, "no relative change from zero"
    assert fmt.change(5, None, kind="count") is None


def test_months_read_as_words():
    assert fmt.month(date(2025, 3, 1)) == "Mar 2025"


def test_csv_export_has_business_headers_and_only_the_described_columns():
    frame = pl.DataFrame({"region": ["West"], "revenue": [1234.5], "internal": [1]})
    text = export.csv(frame, [c.text("region", "Region"), c.money("revenue", "Revenue")]).decode()
    assert text.splitlines() == ["Region,Revenue", "West,1234.5"]


def test_page_workbook_has_one_formatted_sheet_per_visual():
    revenue = pl.DataFrame({"month": [date(2024, 1, 1), date(2024, 2, 1)], "revenue": [1000.0, 2500.25]})
    shares = pl.DataFrame({"segment": ["Retail"], "share": [0.25]})
    data = export.workbook([
        export.Sheet("Revenue by month", revenue, [c.month("month"), c.money("revenue", "Revenue")]),
        export.Sheet("Share: by segment / tier [all]", shares, [c.text("segment", "Segment"),
                                                                c.percent("share", "Share")]),
        export.Sheet("Revenue by month", revenue, [c.month("month"), c.money("revenue", "Revenue")]),
    ], "USD")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Revenue by month", "Share  by segment   tier  all", "Revenue by month (2)"]
    sheet = book["Revenue by month"]
    assert [cell.value for cell in sheet[1]] == ["Month", "Revenue"]
    assert sheet["B3"].value == 2500.25
    assert "#,##0.00" in sheet["B3"].number_format and "$" in sheet["B3"].number_format
    assert sheet["A2"].value.date() == date(2024, 1, 1) and sheet["A2"].number_format == "yyyy-mm-dd"
    assert book.worksheets[1]["B2"].number_format == "0.0%"
    read_back = pl.read_excel(io.BytesIO(data), sheet_name="Revenue by month", engine="openpyxl")
    assert read_back["Revenue"].to_list() == [1000.0, 2500.25]
