"""Charts of the Operations page that app.charts has no shape for: employees by attainment band and employees
against their target (with the target drawn)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from app.charts import BAD, GOOD, HEIGHT, axis, finish, tooltip
from app.columns import Col


def bands(frame: pl.DataFrame, band: Col, value: Col, meets: str, *, order: Sequence[str], currency: str,
          extra_tooltip: Sequence[Col] = (), height: int = HEIGHT) -> alt.Chart:
    """One column per band in `order`, green where the band meets the target, red where it falls short."""
    chart = alt.Chart(frame).mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X(band.name, type="ordinal", sort=list(order), axis=axis(band, labelAngle=0)),
        y=alt.Y(value.name, type="quantitative", axis=axis(value)),
        color=alt.Color(meets, type="nominal", title=None, legend=alt.Legend(
            orient="bottom",
            labelExpr="datum.value === 'true' || datum.value === true ? 'Target met' : 'Below target'"),
            scale=alt.Scale(domain=[True, False], range=[GOOD, BAD])),
        tooltip=tooltip(band, value, *extra_tooltip),
    )
    return finish(chart, currency, height)


def against_target(frame: pl.DataFrame, name: Col, attainment: Col, group: Col, *, currency: str,
                   extra_tooltip: Sequence[Col] = (), height: int = HEIGHT) -> alt.Chart:
    """Horizontal bars of attainment sorted high to low, the best group green and the worst red, with the
    target (100%) as a vertical rule."""
    groups = frame[group.name].unique(maintain_order=True).to_list()
    bars = alt.Chart(frame).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y(name.name, type="nominal", sort="-x", axis=axis(name, labelLimit=200, labelOverlap=False)),
        x=alt.X(attainment.name, type="quantitative", axis=axis(attainment)),
        color=alt.Color(group.name, type="nominal", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=groups, range=[GOOD, BAD][: len(groups)] or [GOOD])),
        tooltip=tooltip(name, group, attainment, *extra_tooltip),
    )
    target = alt.Chart(pl.DataFrame({"target": [1.0], "label": ["Target"]})).mark_rule(
        color="#1f2937", strokeDash=[4, 3], strokeWidth=1.5).encode(
        x=alt.X("target:Q"), tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("target:Q", title="Attainment",
                                                                                  format=".0%")])
    return finish(alt.layer(bars, target), currency, height)
