"""Column specs: a view's column, its business title and what kind of number it holds.

One spec drives the table's column_config, the chart's axis and tooltip formats and the Excel cell format,
so a column reads the same on screen and in an export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
import pyarrow as pa
import streamlit as st

from app import fmt


@dataclass(frozen=True)
class Col:
    name: str
    title: str
    kind: str = "text"  # text | money | count | number | percent | score | month | date | datetime
    help: str | None = None

    def d3_format(self) -> str | None:
        """Vega/d3 format for tooltips (the currency symbol comes from the chart's locale)."""
        return {"money": "$,.2f", "count": ",.0f", "number": ",.1f", "percent": ".1%", "score": ".2f"}.get(self.kind)

    def time_format(self) -> str | None:
        return {"month": "%b %Y", "date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M"}.get(self.kind)

    def column_config(self, currency: str):
        if self.kind == "money":
            return st.column_config.NumberColumn(self.title, help=self.help, format=f"{fmt.symbol(currency)}%,.2f")
        if self.kind == "count":
            return st.column_config.NumberColumn(self.title, help=self.help, format="localized")
        if self.kind in ("number", "score"):
            return st.column_config.NumberColumn(self.title, help=self.help, format="%,.2f")
        if self.kind == "percent":  # tables show percent columns scaled by 100 (see `for_display`)
            return st.column_config.NumberColumn(self.title, help=self.help, format="%.1f%%")
        if self.kind == "month":
            return st.column_config.DateColumn(self.title, help=self.help, format="MMM YYYY")
        if self.kind == "date":
            return st.column_config.DateColumn(self.title, help=self.help, format="YYYY-MM-DD")
        if self.kind == "datetime":
            return st.column_config.DatetimeColumn(self.title, help=self.help, format="YYYY-MM-DD HH:mm")
        return st.column_config.TextColumn(self.title, help=self.help)

    def excel_format(self, currency: str) -> str | None:
        """Excel number format; dates are ISO in exports."""
        return {
            "money": f'"{fmt.symbol(currency)}"#,##0.00;-"{fmt.symbol(currency)}"#,##0.00',
            "count": "#,##0",
            "number": "#,##0.00",
            "score": "0.00",
            "percent": "0.0%",
            "month": "yyyy-mm-dd",
            "date": "yyyy-mm-dd",
            "datetime": "yyyy-mm-dd hh:mm",
        }.get(self.kind)


def for_display(frame: pl.DataFrame, columns: Sequence[Col]) -> pa.Table:
    """What st.dataframe is given: percent columns scaled to percentages, so tables show one decimal (8.4%) like
    the rest of the app, as an Arrow table. Streamlit sends an Arrow table as it is, where it would convert a
    polars frame to pandas first, and polars' to_pandas can deadlock the whole server when sessions call it at
    the same moment (the load test hung on it)."""
    scaled = [pl.col(c.name) * 100 for c in columns if c.kind == "percent" and c.name in frame.columns]
    return (frame.with_columns(scaled) if scaled else frame).to_arrow()


def text(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "text", help)


def money(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "money", help)


def count(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "count", help)


def number(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "number", help)


def percent(name: str, title: str, help: str | None = None) -> Col:
    """A fraction (0.084) shown as a percentage (8.4%)."""
    return Col(name, title, "percent", help)


def score(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "score", help)


def month(name: str, title: str = "Month", help: str | None = None) -> Col:
    return Col(name, title, "month", help)


def day(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "date", help)


def timestamp(name: str, title: str, help: str | None = None) -> Col:
    return Col(name, title, "datetime", help)
