"""Charts of the Lending, risk & fraud page that app.charts has no builder for: bars stacked by a status whose
colours carry meaning (defaulted and confirmed fraud in the app's "bad" colour), and the rate vs amount scatter
on a logarithmic amount axis (home loans are a hundred times personal loans)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import altair as alt
import polars as pl

from app import charts
from app.columns import Col

LOAN_STATUS_COLORS = {"Active": charts.PALETTE[0], "Closed": charts.GREY, "Defaulted": charts.BAD}
FRAUD_STATUS_COLORS = {"Open": charts.WARN, "Under Investigation": charts.PALETTE[4],
                       "Confirmed Fraud": charts.BAD, "Cleared": charts.GREY}


def _status_scale(values: Sequence[str], colors: Mapping[str, str] | None, column: str) -> tuple[list[str], alt.Scale]:
    if not colors:  # no meaning in the colours: the app's palette, a category keeping its colour everywhere
        scale = charts.color_scale(column, values)
        return list(scale.domain), scale
    known = [v for v in colors if v in values]
    others = sorted(str(v) for v in set(values) - set(colors) if v is not None)
    domain = known + others
    extra = [c for c in charts.PALETTE if c not in colors.values()]
    return domain, alt.Scale(domain=domain, range=[colors[v] for v in known] + extra[: len(others)])


def stacked_bars(
    frame: pl.DataFrame,
    category: Col,
    value: Col,
    status: Col,
    *,
    colors: Mapping[str, str] | None,
    currency: str,
    extra_tooltip: Sequence[Col] = (),
    height: int = charts.HEIGHT,
) -> alt.Chart:
    """Bars stacked by status in the business order of `colors` (None: the app's palette, alphabetical). A month
    category gives vertical bars over time; any other category gives horizontal bars sorted by their total."""
    domain, scale = _status_scale(frame[status.name].unique().to_list(), colors, status.name)
    ranked = frame.with_columns(pl.col(status.name).replace_strict(
        {v: i for i, v in enumerate(domain)}, default=len(domain), return_dtype=pl.Int32).alias("_status_rank"))
    color = alt.Color(status.name, type="nominal", title=None, scale=scale, sort=domain,
                      legend=alt.Legend(orient="bottom"))
    tips = charts.tooltip(category, status, value, *extra_tooltip)
    if category.kind == "month":
        position = dict(
            # charts.axis(month) already sets labelAngle, so the month axis is spelled out here
            x=alt.X(category.name, type="ordinal", timeUnit="yearmonth",
                    axis=alt.Axis(title=None, format="%b %Y", labelAngle=-30)),
            y=alt.Y(value.name, type="quantitative", stack=True, axis=charts.axis(value)))
    else:
        position = dict(
            y=alt.Y(category.name, type="nominal", axis=charts.axis(category, labelLimit=180),
                    sort=alt.EncodingSortField(field=value.name, op="sum", order="descending")),
            x=alt.X(value.name, type="quantitative", stack=True, axis=charts.axis(value)))
    chart = alt.Chart(ranked).mark_bar().encode(
        color=color, order=alt.Order("_status_rank:Q"), tooltip=tips, **position)
    return charts.finish(chart, currency, height)


def rate_vs_amount(
    frame: pl.DataFrame,
    amount: Col,
    rate: Col,
    color: Col,
    *,
    currency: str,
    extra_tooltip: Sequence[Col] = (),
    height: int = charts.HEIGHT,
) -> alt.Chart:
    """One dot per loan: amount (log scale) against interest rate, coloured by loan type."""
    values = frame[color.name].unique().to_list()
    positive = frame.filter(pl.col(amount.name) > 0)[amount.name]
    low, high = (positive.min(), positive.max()) if positive.len() else (1, 10)
    decades = [10.0 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
    chart = alt.Chart(frame.filter(pl.col(amount.name) > 0)).mark_circle(size=28, opacity=0.6).encode(
        x=alt.X(amount.name, type="quantitative", title=amount.title,
                scale=alt.Scale(type="log", domain=[decades[0], decades[-1]], nice=False),
                axis=alt.Axis(values=decades, labelExpr="replace(format(datum.value, '$,.2~s'), 'G', 'B')")),
        y=alt.Y(rate.name, type="quantitative", title=rate.title, scale=alt.Scale(zero=False),
                axis=alt.Axis(format=".0%")),
        color=alt.Color(color.name, type="nominal", title=None, scale=charts.color_scale(color.name, values),
                        legend=alt.Legend(orient="bottom")),
        tooltip=charts.tooltip(*extra_tooltip[:1], color, amount, rate, *extra_tooltip[1:]),
    )
    return charts.finish(chart, currency, height)
