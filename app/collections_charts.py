"""Charts of the Collections page: monthly series whose latest months are not final yet.

A pending month (its D+60, or its actions' 14-day cure window, not reached at the data's as-of date) sits in a
shaded, labelled band; its points are lighter and the line into it is dashed, so a provisional figure never reads
as a spike or a drop. app.charts.line has the dashed style but not the band, nor a line that joins the last final
point to the first pending one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import altair as alt
import polars as pl

from app import charts
from app.columns import Col

PENDING_FILL = "#EEF1F5"
# D-3 ... D+60: cool to hot, ending in the app's "bad" colour for the default checkpoint.
CHECKPOINT_COLORS = ["#56B4E9", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#D55E00"]


def _month_axis() -> alt.Axis:
    return alt.Axis(title=None, format="%b %Y", labelAngle=0, labelOverlap=True, tickCount="month")


def _value_axis(col: Col) -> alt.Axis:
    if col.kind == "percent":
        return alt.Axis(title=None, format=".1~%")
    return charts.axis(col)


def _legend(count: int) -> alt.Legend:
    """A bottom legend that wraps instead of running off the chart."""
    return alt.Legend(orient="bottom", columns=count if count <= 5 else 3, labelLimit=150)


def _zone(pending_months: Sequence[date], label: str, *, half_month: bool) -> list[alt.Chart]:
    """The shaded band over the pending months, with its label at the top."""
    if not pending_months:
        return []
    first, last = min(pending_months), max(pending_months)
    if half_month:  # points sit on the first of the month: centre the band on them
        start, end = first - timedelta(days=15), last + timedelta(days=15)
    else:  # bars fill their month
        start, end = first, date(last.year + last.month // 12, last.month % 12 + 1, 1)
    band = pl.DataFrame({"start": [start], "end": [end], "label": [label]})
    rect = alt.Chart(band).mark_rect(color=PENDING_FILL).encode(
        x=alt.X("start:T"), x2=alt.X2("end"), tooltip=[alt.Tooltip("label:N", title="Pending")])
    text = alt.Chart(band).mark_text(align="right", baseline="top", dx=-4, dy=4, fontSize=11, color="#5B6573",
                                     fontStyle="italic").encode(
        x=alt.X("end:T"), y=alt.YValue(0), text=alt.Text("label:N"))
    return [rect, text]


def _bridged(frame: pl.DataFrame, y: str, series: str | None, pending: str) -> pl.DataFrame:
    """Copies each series' last final point into its pending part, so the dashed line starts where the solid
    one ends. The copies carry _bridge = true and get no point or tooltip of their own."""
    frame = frame.filter(pl.col(y).is_not_null()).with_columns(pl.lit(False).alias("_bridge"))
    keys = [series] if series else []
    bridges = []
    for _, part in (frame.group_by(keys, maintain_order=True) if keys else [((), frame)]):
        final, provisional = part.filter(~pl.col(pending)), part.filter(pl.col(pending))
        if final.height and provisional.height:
            bridges.append(final.sort("month").tail(1).with_columns(pl.lit(True).alias(pending),
                                                                    pl.lit(True).alias("_bridge")))
    return pl.concat([frame, *bridges]) if bridges else frame


def pending_lines(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    *,
    currency: str,
    color: Col | None = None,
    order: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    pending: str = "is_pending",
    pending_months: Sequence[date] = (),
    zone_label: str = "Pending: not final yet",
    extra_tooltip: Sequence[Col] = (),
    height: int = charts.HEIGHT,
) -> alt.Chart:
    """Monthly lines (one per `color` value, in `order` with `colors` when given) with pending months dashed,
    lighter and inside a labelled band."""
    data = _bridged(frame, y.name, color.name if color else None, pending)
    base = alt.Chart(data)
    x_enc = alt.X(x.name, type="temporal", axis=_month_axis())
    y_enc = alt.Y(y.name, type="quantitative", axis=_value_axis(y), scale=alt.Scale(zero=True))
    if color:
        values = list(order) if order else sorted({str(v) for v in data[color.name].to_list() if v is not None})
        scale = alt.Scale(domain=values, range=list(colors)[: len(values)]) if colors else \
            charts.color_scale(color.name, values)
        color_enc = alt.Color(color.name, type="nominal", title=None, scale=scale, sort=values,
                              legend=_legend(len(values)))
    else:
        color_enc = alt.ColorValue(charts.PALETTE[0])
    # the band's label says what pending means, so the dash style needs no legend of its own
    dash = alt.StrokeDash(pending, type="nominal", title=None, legend=None,
                          scale=alt.Scale(domain=[False, True], range=[[1, 0], [5, 4]]))
    line = base.mark_line(strokeWidth=2).encode(
        x=x_enc, y=y_enc, color=color_enc, strokeDash=dash,
        detail=alt.Detail(pending, type="nominal"),
        opacity=charts.flagged(alt.OpacityValue, f"datum.{pending}", 0.55, 1.0))
    points = base.transform_filter("!datum._bridge").mark_point(filled=True, size=40).encode(
        x=x_enc, y=y_enc, color=color_enc,
        opacity=charts.flagged(alt.OpacityValue, f"datum.{pending}", 0.45, 1.0),
        tooltip=charts.tooltip(x, *([color] if color else []), y, *extra_tooltip))
    layers = [*_zone(pending_months, zone_label, half_month=True), line, points]
    return charts.finish(alt.layer(*layers), currency, height)


def pending_bars(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    color: Col,
    *,
    currency: str,
    pending: str = "is_pending",
    pending_months: Sequence[date] = (),
    zone_label: str = "Pending: not final yet",
    extra_tooltip: Sequence[Col] = (),
    height: int = charts.HEIGHT,
) -> alt.Chart:
    """Monthly bars stacked by `color`; pending months lighter and inside a labelled band."""
    data = frame.filter(pl.col(y.name).is_not_null())
    values = sorted({str(v) for v in data[color.name].to_list() if v is not None})
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X(x.name, type="temporal", timeUnit="yearmonth", axis=_month_axis()),
        y=alt.Y(y.name, type="quantitative", stack=True, axis=_value_axis(y)),
        color=alt.Color(color.name, type="nominal", title=None, scale=charts.color_scale(color.name, values),
                        legend=_legend(len(values))),
        opacity=charts.flagged(alt.OpacityValue, f"datum.{pending}", 0.4, 1.0),
        tooltip=charts.tooltip(x, color, y, *extra_tooltip))
    return charts.finish(alt.layer(*_zone(pending_months, zone_label, half_month=False), bars), currency, height)
