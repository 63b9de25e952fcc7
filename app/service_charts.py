"""Charts of the Service quality page that app.charts cannot draw: the resolution funnel, and bars per month.

`monthly_stack` is app.charts.stacked with count labels written tick by tick ("200", "1k"): the shared count
axis gives every tick one SI prefix ("0.2k").
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from app import charts
from app.columns import Col


def funnel(frame: pl.DataFrame, stage: Col, value: Col, share: Col, *, currency: str,
           extra_tooltip: Sequence[Col] = (), height: int = charts.HEIGHT) -> alt.Chart:
    """Nested stages as centred bars, widest first, each labelled with its count and `share` (of the first stage)."""
    labels = [f"{count:,.0f}  ·  {part:.1%}" for count, part in zip(frame[value.name], frame[share.name], strict=True)]
    framed = frame.with_columns((-pl.col(value.name) / 2).alias("_left"), (pl.col(value.name) / 2).alias("_right"),
                                pl.Series("_label", labels, dtype=pl.String))
    base = alt.Chart(framed).encode(y=alt.Y(stage.name, type="nominal", sort=framed[stage.name].to_list(), title=None,
                                            axis=alt.Axis(labelLimit=200, labelFontSize=12, ticks=False,
                                                          domain=False)))
    bars = base.mark_bar(color=charts.PALETTE[0], cornerRadius=2).encode(
        x=alt.X("_left:Q", axis=None), x2=alt.X2("_right"), tooltip=charts.tooltip(stage, value, share, *extra_tooltip))
    labels = base.mark_text(color="white", fontWeight="bold", fontSize=12).encode(
        text=alt.Text("_label:N"), tooltip=charts.tooltip(stage, value, share, *extra_tooltip))
    return charts.finish(alt.layer(bars, labels), currency, height)
