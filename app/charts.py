"""Altair charts in the app's one style: business titles, formatted money and percentages, tooltips on every
mark, one colour-blind-safe palette in which a category keeps its colour on every page.

Each builder takes a polars frame and column specs (app.columns) and returns a chart; pages name it with its
arguments (app.specs.Chart) and app.ui draws its spec.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from app import fmt
from app.columns import Col

HEIGHT = 300
# Okabe-Ito, reordered so the first colours are the most distinct; then a muted extension for long lists.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#8C6D31", "#6B6ECF", "#9C9EDE", "#637939"]
GREY = "#C8CDD4"
GOOD, WARN, BAD = "#009E73", "#E69F00", "#D55E00"

# Known category lists (regions, segments, wealth tiers) get fixed colours: set once per run by app.context.
_domains: dict[str, list[str]] = {}


def register_domains(domains: dict[str, Sequence[str]]) -> None:
    _domains.update({name: sorted(values) for name, values in domains.items()})


def registered_domains() -> dict[str, list[str]]:
    return dict(_domains)


def color_scale(column: str, values: Sequence[str]) -> alt.Scale:
    domain = _domains.get(column)
    if domain is None or not set(values) <= set(domain):
        domain = sorted({str(v) for v in values if v is not None})
    return alt.Scale(domain=domain, range=PALETTE[: max(len(domain), 1)] if len(domain) <= len(PALETTE) else PALETTE)


def _locale(currency: str) -> alt.Locale:
    return alt.Locale(number=alt.NumberLocale(currency=[fmt.symbol(currency), ""], decimal=".", thousands=",",
                                              grouping=[3]))


def axis(col: Col, **kwargs) -> alt.Axis:
    """Axis labels: compact money ($1.2M), percentages, month names."""
    if col.kind == "money":
        short = "replace(replace(format(datum.value, '$.3~s'), 'G', 'B'), 'k', 'K')"  # $1.2M, $845K, $3.8B
        return alt.Axis(title=None, labelExpr=short, **kwargs)
    if col.kind == "percent":
        return alt.Axis(title=None, format=".1~%", **kwargs)
    if col.kind == "count":
        return alt.Axis(title=None, labelExpr="abs(datum.value) >= 10000 ? format(datum.value, '.3~s') "
                                              ": format(datum.value, ',~r')", **{"tickMinStep": 1, **kwargs})
    if col.kind == "month":
        return alt.Axis(title=None, format="%b %Y", **{"labelAngle": 0, **kwargs})
    return alt.Axis(title=None, **kwargs)


def tooltip(*cols: Col) -> list[alt.Tooltip]:
    tips = []
    for col in cols:
        if col.time_format():
            tips.append(alt.Tooltip(col.name, title=col.title, type="temporal", format=col.time_format()))
        elif col.d3_format():
            tips.append(alt.Tooltip(col.name, title=col.title, type="quantitative", format=col.d3_format()))
        else:
            tips.append(alt.Tooltip(col.name, title=col.title, type="nominal"))
    return tips


def flagged(value_class: type, test: str | dict, when_true: object, otherwise: object) -> alt.SchemaBase:
    """A mark property that depends on each row, e.g. lighter where a figure is pending: `test` is a Vega
    expression or a predicate. The same as alt.condition with alt.value, but built as the channel's own object;
    Altair would rebuild its lookup of every schema class to read the dicts those return."""
    return value_class(value=otherwise, condition={"test": test, "value": when_true})


def encoding_type(col: Col) -> str:
    if col.kind in ("month", "date", "datetime"):
        return "temporal"
    return "nominal" if col.kind == "text" else "quantitative"


def finish(chart: alt.TopLevelMixin, currency: str, height: int = HEIGHT) -> alt.TopLevelMixin:
    """The height, the currency's number locale and no frame around the plot. Set in place: properties() and
    configure() would each deep-copy the whole chart, a good part of the cost of building one."""
    chart.height = height
    chart.config = alt.Config(locale=_locale(currency), view=alt.ViewConfig(stroke=None))
    return chart


def line(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    *,
    currency: str,
    color: Col | None = None,
    pending: str | None = None,
    pending_labels: tuple[str, str] = ("Final", "Pending (not final)"),
    band: tuple[Col, Col] | None = None,
    extra_tooltip: Sequence[Col] = (),
    y_zero: bool = True,
    height: int = HEIGHT,
) -> alt.Chart:
    """A trend. `pending`: a boolean column marking figures that are not final, drawn dashed and lighter.
    `band`: lower and upper columns drawn as a shaded interval (a forecast range)."""
    encoding = dict(
        x=alt.X(x.name, type=encoding_type(x), axis=axis(x)),
        y=alt.Y(y.name, type="quantitative", axis=axis(y), scale=alt.Scale(zero=y_zero)),
        tooltip=tooltip(x, *([color] if color else []), y, *extra_tooltip),
    )
    if color:
        values = frame[color.name].unique().to_list()
        encoding["color"] = alt.Color(color.name, type="nominal", title=None, scale=color_scale(color.name, values),
                                      legend=alt.Legend(orient="bottom"))
    else:
        encoding["color"] = alt.ColorValue(PALETTE[0])
    base = alt.Chart(frame)
    layers = []
    if band:
        layers.append(base.mark_area(opacity=0.18, color=PALETTE[0]).encode(
            x=alt.X(x.name, type=encoding_type(x)), y=alt.Y(band[0].name, type="quantitative"),
            y2=alt.Y2(band[1].name), tooltip=tooltip(x, band[0], band[1])))
    if pending:
        encoding["strokeDash"] = alt.StrokeDash(
            pending, type="nominal", title=None,
            scale=alt.Scale(domain=[False, True], range=[[1, 0], [5, 4]]),
            legend=alt.Legend(orient="bottom",
                              labelExpr=f"datum.value ? '{pending_labels[1]}' : '{pending_labels[0]}'"))
        encoding["opacity"] = flagged(alt.OpacityValue, f"datum.{pending}", 0.5, 1.0)
    layers.append(base.mark_line(point=alt.OverlayMarkDef(size=30, filled=True)).encode(**encoding))
    chart = alt.layer(*layers) if len(layers) > 1 else layers[0]
    return finish(chart, currency, height)


def bar(
    frame: pl.DataFrame,
    category: Col,
    value: Col,
    *,
    currency: str,
    horizontal: bool = True,
    color: Col | None = None,
    sort_by_value: bool = True,
    select: str | None = None,
    selected: Sequence[str] = (),
    extra_tooltip: Sequence[Col] = (),
    height: int = HEIGHT,
) -> alt.Chart:
    """Categories compared, sorted by value. `select` names a click selection on the category; bars not in
    `selected` are greyed out while a selection is active. `color` stacks the bars by a second category."""
    order = "-x" if horizontal else "-y"
    cat_enc = (alt.Y if horizontal else alt.X)(
        category.name, type=encoding_type(category), sort=order if sort_by_value else None,
        axis=axis(category, labelLimit=180, labelOverlap=False) if horizontal
        else axis(category, labelAngle=-30, labelLimit=140))
    val_enc = (alt.X if horizontal else alt.Y)(value.name, type="quantitative", axis=axis(value), stack=True)
    encoding = dict(tooltip=tooltip(category, *([color] if color else []), value, *extra_tooltip))
    encoding["y" if horizontal else "x"] = cat_enc
    encoding["x" if horizontal else "y"] = val_enc
    chart = alt.Chart(frame).mark_bar(cornerRadiusEnd=2)
    if color:
        values = frame[color.name].unique().to_list()
        encoding["color"] = alt.Color(color.name, type="nominal", title=None,
                                      scale=color_scale(color.name, values), legend=alt.Legend(orient="bottom"))
    elif selected:
        encoding["color"] = flagged(alt.ColorValue, {"field": category.name, "oneOf": list(selected)},
                                    PALETTE[0], GREY)
    else:
        encoding["color"] = alt.ColorValue(PALETTE[0])
    chart = chart.encode(**encoding)
    if select:
        chart = chart.add_params(alt.selection_point(name=select, fields=[category.name], on="click"))
    return finish(chart, currency, height)


TIME_UNITS = {"month": ("yearmonth", "%b %Y"), "quarter": ("yearquarter", "Q%q %Y"), "year": ("year", "%Y")}


def stacked(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    color: Col,
    *,
    currency: str,
    grain: str = "month",
    scale: alt.Scale | None = None,
    extra_tooltip: Sequence[Col] = (),
    legend_columns: int | None = None,
    height: int = HEIGHT,
) -> alt.Chart:
    """Composition over time (a month column, shown per `grain`) or over categories (in their order in `frame`):
    bars stacked by `color`, the largest part at the bottom and first in the legend."""
    totals = frame.group_by(color.name).agg(pl.col(y.name).sum()).sort(y.name, descending=True)
    order = totals[color.name].to_list()
    ranked = frame.with_columns(pl.col(color.name).replace_strict(
        {name: rank for rank, name in enumerate(order)}, default=len(order), return_dtype=pl.Int64).alias("_rank"))
    if x.kind in ("month", "date"):
        unit, time_format = TIME_UNITS[grain]
        x_encoding = alt.X(x.name, type="ordinal", timeUnit=unit,
                           axis=alt.Axis(title=None, format=time_format, labelAngle=-40, labelOverlap=True))
        x_tip = alt.Tooltip(x.name, type="temporal", timeUnit=unit, title=x.title, format=time_format)
    else:
        x_encoding = alt.X(x.name, type="ordinal", sort=frame[x.name].unique(maintain_order=True).to_list(),
                           axis=axis(x, labelAngle=0))
        x_tip = tooltip(x)[0]
    legend = {"columns": legend_columns, "labelLimit": 160} if legend_columns else {}
    chart = alt.Chart(ranked).mark_bar().encode(
        x=x_encoding,
        y=alt.Y(y.name, type="quantitative", stack=True, axis=axis(y)),
        color=alt.Color(color.name, type="nominal", title=None, sort=order,
                        scale=scale or color_scale(color.name, order), legend=alt.Legend(orient="bottom", **legend)),
        order=alt.Order("_rank:Q"),
        tooltip=[x_tip, *tooltip(color, y, *extra_tooltip)],
    )
    return finish(chart, currency, height)


def heatmap(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    value: Col,
    *,
    currency: str,
    x_sort: Sequence | None = None,
    y_sort: Sequence | None = None,
    extra_tooltip: Sequence[Col] = (),
    height: int = HEIGHT,
) -> alt.Chart:
    """A grid of two categories (cohorts, R x F scores) coloured by a measure."""
    chart = alt.Chart(frame).mark_rect().encode(
        x=alt.X(x.name, type="ordinal", sort=list(x_sort) if x_sort else "ascending", axis=axis(x, labelAngle=0)),
        y=alt.Y(y.name, type="ordinal", sort=list(y_sort) if y_sort else "ascending",
                axis=alt.Axis(title=None, format="%b %Y") if y.kind == "month" else axis(y)),
        color=alt.Color(value.name, type="quantitative", title=None, scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=value.d3_format() or "", orient="right")),
        tooltip=tooltip(y, x, value, *extra_tooltip),
    )
    if y.kind == "month":
        chart = chart.encode(y=alt.Y(y.name, type="ordinal", timeUnit="yearmonth", sort="descending",
                                     axis=alt.Axis(title=None, format="%b %Y")))
    return finish(chart, currency, height)


def scatter(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    *,
    currency: str,
    size: Col | None = None,
    color: Col | None = None,
    label: Col | None = None,
    extra_tooltip: Sequence[Col] = (),
    height: int = HEIGHT,
) -> alt.Chart:
    """Two measures per item; bubbles sized by a third. Axis titles stay: no chart title can name both."""
    encoding = dict(
        x=alt.X(x.name, type="quantitative", title=x.title, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=axis_format(x))),
        y=alt.Y(y.name, type="quantitative", title=y.title, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=axis_format(y))),
        tooltip=tooltip(*([label] if label else []), *([color] if color else []), x, y,
                        *([size] if size else []), *extra_tooltip),
    )
    if size:
        encoding["size"] = alt.Size(size.name, type="quantitative", title=size.title,
                                    legend=alt.Legend(format=axis_format(size)))
    if color:
        values = frame[color.name].unique().to_list()
        encoding["color"] = alt.Color(color.name, type="nominal", title=None, scale=color_scale(color.name, values),
                                      legend=alt.Legend(orient="bottom"))
    else:
        encoding["color"] = alt.ColorValue(PALETTE[0])
    return finish(alt.Chart(frame).mark_circle(opacity=0.7).encode(**encoding), currency, height)


def axis_format(col: Col) -> str:
    return {"money": "$.2~s", "percent": ".0%", "count": "~s"}.get(col.kind, "~s")


def donut(frame: pl.DataFrame, category: Col, value: Col, *, currency: str, height: int = HEIGHT) -> alt.Chart:
    """Parts of a whole, for two to five parts."""
    values = frame[category.name].unique().to_list()
    total = frame[value.name].sum() or 1
    framed = frame.with_columns((pl.col(value.name) / total).alias("share"))
    chart = alt.Chart(framed).mark_arc(innerRadius=60).encode(
        theta=alt.Theta(value.name, type="quantitative"),
        color=alt.Color(category.name, type="nominal", title=None, scale=color_scale(category.name, values),
                        legend=alt.Legend(orient="right")),
        tooltip=tooltip(category, value, Col("share", "Share", "percent")),
    )
    return finish(chart, currency, height)


def gauge(
    value: float,
    *,
    target: float,
    bands: tuple[float, float],
    higher_is_better: bool,
    label: str,
    maximum: float = 1.0,
    currency: str = "USD",
    kind: str = "percent",
) -> alt.Chart:
    """A bullet gauge: the value as a bar over good / watch / poor bands, with the target as a tick.

    bands: the two thresholds between the zones, low to high."""
    low, high = bands
    colors = [BAD, WARN, GOOD] if higher_is_better else [GOOD, WARN, BAD]
    names = ["Poor", "Watch", "Good"] if higher_is_better else ["Good", "Watch", "Poor"]
    zones = pl.DataFrame({"start": [0.0, low, high], "end": [low, high, maximum], "zone": names, "label": label})
    number_format = ".1%" if kind == "percent" else ".2f"
    axis = alt.Axis(title=None, format=".0%" if kind == "percent" else ".1f")
    scale = alt.Scale(domain=[0, maximum], nice=False)
    background = alt.Chart(zones).mark_bar(opacity=0.35, height=34).encode(
        x=alt.X("start:Q", scale=scale, axis=axis), x2=alt.X2("end"),
        y=alt.Y("label:N", title=None, axis=None),
        color=alt.Color("zone:N", scale=alt.Scale(domain=names, range=colors), legend=None),
        tooltip=[alt.Tooltip("zone:N", title="Zone"), alt.Tooltip("start:Q", title="From", format=number_format),
                 alt.Tooltip("end:Q", title="To", format=number_format)],
    )
    point = pl.DataFrame({"value": [value], "target": [target], "label": [label]})
    bar_ = alt.Chart(point).mark_bar(height=12, color="#1f2937").encode(
        x=alt.X("value:Q", scale=scale), y=alt.Y("label:N", axis=None),
        tooltip=[alt.Tooltip("value:Q", title=label, format=number_format),
                 alt.Tooltip("target:Q", title="Target", format=number_format)])
    tick = alt.Chart(point).mark_tick(thickness=3, size=40, color="#1f2937").encode(
        x=alt.X("target:Q", scale=scale), y=alt.Y("label:N", axis=None),
        tooltip=[alt.Tooltip("target:Q", title="Target", format=number_format)])
    return finish(alt.layer(background, bar_, tick), currency, height=70)
