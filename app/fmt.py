"""Numbers and dates as people read them: $1.23M in cards, $1,234,567.89 in tables, 8.4%, Mar 2025.

Pure functions (no Streamlit), shared by the KPI cards, chart axes and tooltips, tables and Excel export.
"""

from __future__ import annotations

from datetime import date

SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "CAD": "C$", "AUD": "A$", "CHF": "CHF "}
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
MISSING = "–"  # a value that does not exist, e.g. the cost per conversion of a campaign without conversions


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def compact(value: float, decimals: int = 2) -> str:
    """1234567 -> '1.23M'; 845000 -> '845K'; 999 -> '999'."""
    magnitude = abs(value)
    for threshold, suffix in _SUFFIXES:
        if magnitude >= threshold * 0.9995:
            scaled = value / threshold
            digits = max(decimals - (len(str(int(abs(scaled)))) - 1), 0)
            return f"{scaled:.{digits}f}{suffix}"
    return f"{value:,.0f}" if magnitude >= 100 or value == int(value) else f"{value:,.2f}"


def money(value: float | None, currency: str, *, short: bool = False) -> str:
    """'$1.23M' when short (cards, axes), '$1,234,567.89' otherwise; a minus sign before the symbol."""
    if value is None:
        return MISSING
    sign = "-" if value < 0 else ""
    text = compact(abs(value)) if short else f"{abs(value):,.2f}"
    return f"{sign}{symbol(currency)}{text}"


def count(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.0f}"


def number(value: float | None, decimals: int = 1) -> str:
    return MISSING if value is None else f"{value:,.{decimals}f}"


def percent(value: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.084 -> '8.4%'."""
    return MISSING if value is None else f"{value * 100:.{decimals}f}%"


def month(value: date) -> str:
    return f"{value:%b %Y}"


def change(current: float | None, previous: float | None, *, kind: str) -> str | None:
    """The change from the previous period as a card delta: '+4.2%' for amounts and counts, '+0.8 pp' for rates.

    None when there is nothing to compare with (no previous data, or a zero base for a relative change).
    """
    if current is None or previous is None:
        return None
    if kind == "percent":
        points = (current - previous) * 100
        return f"{points:+.2f} pp" if 0 < abs(points) < 0.05 else f"{points:+.1f} pp"
    if kind == "score":
        return f"{current - previous:+.2f}"
    if previous == 0:
        return None
    return f"{(current - previous) / abs(previous) * 100:+.1f}%"
