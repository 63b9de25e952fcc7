"""Receivables charts: amounts stacked by aging bucket, in bucket order, with colours that darken with age."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from app import charts
from app.columns import Col

# Not yet due in a calm blue, then overdue buckets from light orange to dark red: readable without hue.
AGING_COLOURS = ["#9ECAE1", "#FDCC8A", "#FC8D59", "#E34A33", "#B30000", "#67000D"]


def aging_scale(buckets: Sequence[str]) -> alt.Scale:
    colours = AGING_COLOURS if len(buckets) <= len(AGING_COLOURS) else charts.PALETTE
    return alt.Scale(domain=list(buckets), range=colours[: len(buckets)])


def aging_stacked(
    frame: pl.DataFrame,
    category: Col,
    value: Col,
    bucket: Col,
    *,
    buckets: Sequence[str],
    currency: str,
    horizontal: bool = False,
    extra_tooltip: Sequence[Col] = (),
    height: int = charts.HEIGHT,
) -> alt.Chart:
    """Bars per month end (vertical) or per category (horizontal, largest total first), stacked by aging bucket
    with Not yet due nearest the axis and the oldest debt at the end of the bar."""
    if category.kind == "month":
        cat = alt.X(category.name, type="ordinal", timeUnit="yearmonth",
                    axis=alt.Axis(title=None, format="%b %Y", labelAngle=-30, labelOverlap=True))
    else:
        cat = (alt.Y if horizontal else alt.X)(
            category.name, type="nominal", sort=alt.EncodingSortField(value.name, op="sum", order="descending"),
            axis=charts.axis(category, labelLimit=160, labelOverlap=False))
    amount = (alt.X if horizontal else alt.Y)(value.name, type="quantitative", stack=True, axis=charts.axis(value))
    encoding = dict(
        color=alt.Color(bucket.name, type="nominal", title=None, scale=aging_scale(buckets),
                        sort=list(buckets), legend=alt.Legend(orient="bottom", columns=3)),
        order=alt.Order(f"{bucket.name}_rank", type="quantitative", sort="ascending"),
        tooltip=charts.tooltip(category, bucket, value, *extra_tooltip),
    )
    encoding["y" if horizontal else "x"] = cat
    encoding["x" if horizontal else "y"] = amount
    return charts.finish(alt.Chart(frame).mark_bar().encode(**encoding), currency, height)
