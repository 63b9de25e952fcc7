"""Charts of the Service quality page that app.charts cannot draw yet.

`monthly_stack` is app.charts.stacked for a month axis: that builder passes labelAngle twice to app.charts.axis
for month columns (a TypeError); drop this module once app.charts.stacked is fixed.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from app import charts
from app.columns import Col


def monthly_stack(frame: pl.DataFrame, month: Col, value: Col, color: Col, *, currency: str,
                  height: int = charts.HEIGHT) -> alt.Chart:
    """One bar per month, stacked by `color` (e.g. contacts by channel)."""
    values = frame[color.name].unique().to_list()
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X(month.name, type="ordinal", timeUnit="yearmonth",
                axis=alt.Axis(title=None, format="%b %Y", labelAngle=-30)),
        y=alt.Y(value.name, type="quantitative", stack=True, axis=charts.axis(value)),
        color=alt.Color(color.name, type="nominal", title=None, scale=charts.color_scale(color.name, values),
                        legend=alt.Legend(orient="bottom")),
        tooltip=charts.tooltip(month, color, value),
    )
    return charts.finish(chart, currency, height)
