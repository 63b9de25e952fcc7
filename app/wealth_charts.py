"""Charts of the Wealth & products page that app.charts has no shape for: flows in and out with the net, risk
versus return with risk levels in fixed colours, and a top/bottom ranking."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from app import charts
from app.charts import BAD, GOOD, HEIGHT, PALETTE, WARN, axis, finish, tooltip
from app.columns import Col

RISK_LEVELS = ["Low", "Medium", "High"]
RISK_COLORS = [GOOD, WARN, BAD]


def risk_scale(values: Sequence[str]) -> alt.Scale:
    """Low / Medium / High always green / amber / red; unknown levels follow in the palette."""
    others = sorted({str(v) for v in values if v is not None} - set(RISK_LEVELS))
    return alt.Scale(domain=RISK_LEVELS + others, range=RISK_COLORS + PALETTE[4:4 + len(others)])


def month_band(month: Col) -> alt.X:
    """Months as bands (bars and line points centred on their month), labelled "Nov 2025" at a slant."""
    return alt.X(month.name, type="ordinal", timeUnit="yearmonth",
                 axis=alt.Axis(title=None, format="%b %Y", labelAngle=-40, labelOverlap=True))


def flows(frame: pl.DataFrame, month: Col, contributions: Col, withdrawals: Col, net: Col, *, currency: str,
          height: int = HEIGHT) -> alt.Chart:
    """Contributions as bars above zero, withdrawals below it, and the net flow as a line, per month."""
    long = pl.concat([
        frame.select(month.name, pl.lit(contributions.title).alias("flow"),
                     pl.col(contributions.name).alias("amount"), pl.col(contributions.name).alias("shown")),
        frame.select(month.name, pl.lit(withdrawals.title).alias("flow"),
                     (-pl.col(withdrawals.name)).alias("amount"), pl.col(withdrawals.name).alias("shown")),
    ])
    x = month_band(month)
    money_axis = axis(Col("amount", "Amount", "money"))
    bars = alt.Chart(long).mark_bar(opacity=0.85).encode(
        x=x,
        y=alt.Y("amount:Q", axis=money_axis, stack=None),
        color=alt.Color("flow:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[contributions.title, withdrawals.title, net.title],
                                        range=[PALETTE[0], PALETTE[1], "#1f2937"])),
        tooltip=tooltip(month, Col("flow", "Flow"), Col("shown", "Amount", "money")),
    )
    line = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=30, filled=True, color="#1f2937"),
                                     color="#1f2937").encode(
        x=x,
        y=alt.Y(net.name, type="quantitative"),
        tooltip=tooltip(month, net, contributions, withdrawals),
    )
    zero = alt.Chart(pl.DataFrame({"zero": [0.0]})).mark_rule(color="#6b7280", strokeWidth=1).encode(y=alt.Y("zero:Q"))
    # the colour scale names the net line too, so the legend explains all three marks
    return finish(alt.layer(bars, zero, line), currency, height)


def risk_return(frame: pl.DataFrame, x: Col, y: Col, size: Col, risk: Col, label: Col, *, currency: str,
                extra_tooltip: Sequence[Col] = (), height: int = HEIGHT) -> alt.Chart:
    """One bubble per product: risk on x, return on y, sized by AUM, coloured by its risk level."""
    chart = alt.Chart(frame).mark_circle(opacity=0.7, stroke="white", strokeWidth=0.5).encode(
        x=alt.X(x.name, type="quantitative", title=x.title, scale=alt.Scale(zero=True, padding=16),
                axis=alt.Axis(format=_fine_format(x))),
        y=alt.Y(y.name, type="quantitative", title=y.title, scale=alt.Scale(zero=True, padding=16),
                axis=alt.Axis(format=_fine_format(y))),
        size=alt.Size(size.name, type="quantitative", title=size.title, scale=alt.Scale(range=[40, 1200]),
                      legend=None),
        color=alt.Color(risk.name, type="nominal", title=risk.title, scale=risk_scale(frame[risk.name].to_list()),
                        legend=alt.Legend(orient="bottom")),
        tooltip=tooltip(label, risk, x, y, size, *extra_tooltip),
    )
    return finish(chart, currency, height)


def _fine_format(col: Col) -> str:
    """Axis format for small percentages too (1.5%, not 2%)."""
    return ".1~%" if col.kind == "percent" else charts.axis_format(col)


def ranked(frame: pl.DataFrame, category: Col, value: Col, group: Col, *, currency: str,
           extra_tooltip: Sequence[Col] = (), height: int = HEIGHT) -> alt.Chart:
    """Horizontal bars sorted by value, the best group green and the worst amber-red (top / bottom N)."""
    groups = frame[group.name].unique(maintain_order=True).to_list()
    chart = alt.Chart(frame).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y(category.name, type="nominal", sort="-x", axis=axis(category, labelLimit=200, labelOverlap=False)),
        x=alt.X(value.name, type="quantitative", axis=axis(value)),
        color=alt.Color(group.name, type="nominal", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=groups, range=[GOOD, BAD][: len(groups)] or [GOOD])),
        tooltip=tooltip(category, group, value, *extra_tooltip),
    )
    return finish(chart, currency, height)


def by_risk(frame: pl.DataFrame, risk: Col, value: Col, *, currency: str, extra_tooltip: Sequence[Col] = (),
            height: int = HEIGHT) -> alt.Chart:
    """A bar per risk level, Low to High, in the risk colours."""
    order = [v for v in RISK_LEVELS if v in frame[risk.name].to_list()] + \
        [v for v in frame[risk.name].to_list() if v not in RISK_LEVELS]
    chart = alt.Chart(frame).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y(risk.name, type="nominal", sort=order, axis=axis(risk)),
        x=alt.X(value.name, type="quantitative", axis=axis(value)),
        color=alt.Color(risk.name, type="nominal", legend=None, scale=risk_scale(frame[risk.name].to_list())),
        tooltip=tooltip(risk, value, *extra_tooltip),
    )
    return finish(chart, currency, height)
