"""Charts of the RFM & campaigns page that app.charts has no builder for: the sales trend whose first and last
periods may be cut short by the chosen dates, and the R x F grid with the count in every cell."""

from __future__ import annotations

import altair as alt
import polars as pl

from app import charts
from app.columns import Col

SALES = Col("sales", "Card sales", "money")
TRANSACTIONS = Col("transactions", "Transactions", "count")
TICKET = Col("average_ticket", "Average ticket", "money")


def sales_trend(frame: pl.DataFrame, *, currency: str, grain: str, height: int = charts.HEIGHT) -> alt.Chart:
    """Card sales per period as a line. A period the chosen dates cut short (`partial`) is drawn dashed and
    lighter, joined to its neighbour, so a half quarter never reads as a fall."""
    frame = frame.with_columns(
        pl.when(pl.col("partial")).then(pl.lit("Partial: the period cuts it short"))
        .otherwise(pl.lit("Complete")).alias("completeness"))
    x = alt.X("period:T", title=None, axis=alt.Axis(
        format={"day": "%b %d", "week": "%b %d", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}[grain],
        labelAngle=0, tickCount={"year": "year", "quarter": "month"}.get(grain, alt.Undefined)))
    y = alt.Y("sales:Q", title=None, axis=charts.axis(SALES), scale=alt.Scale(zero=True))
    tips = [alt.Tooltip("period_label:N", title="Period"), *charts.tooltip(SALES, TRANSACTIONS, TICKET),
            alt.Tooltip("completeness:N", title="Data")]
    complete = frame.filter(~pl.col("partial"))
    pieces = []
    if frame.height > 1 and frame["partial"][0]:
        pieces.append(frame.head(2).with_columns(pl.lit(0).alias("piece")))
    if frame.height > 1 and frame["partial"][-1]:
        pieces.append(frame.tail(2).with_columns(pl.lit(1).alias("piece")))
    layers = [alt.Chart(complete).mark_line(color=charts.PALETTE[0]).encode(x=x, y=y)]
    if pieces:
        layers.append(alt.Chart(pl.concat(pieces)).mark_line(color=charts.PALETTE[0], strokeDash=[5, 4], opacity=0.6)
                      .encode(x=x, y=y, detail=alt.Detail("piece:N")))
    layers.append(alt.Chart(frame).mark_point(filled=True, size=30 if frame.height < 100 else 12,
                                              color=charts.PALETTE[0]).encode(
        x=x, y=y, opacity=charts.flagged(alt.OpacityValue, "datum.partial", 0.45, 1.0), tooltip=tips))
    return charts.finish(alt.layer(*layers), currency, height)


def rf_grid(frame: pl.DataFrame, *, currency: str, height: int = charts.HEIGHT) -> alt.Chart:
    """Customers by recency score (across) and frequency score (up), shaded by count and labelled."""
    scores = list(range(1, max(5, int(frame["r_score"].max() or 5), int(frame["f_score"].max() or 5)) + 1))
    x = alt.X("r_score:O", sort=scores, scale=alt.Scale(domain=scores),
              axis=alt.Axis(title="Recency score (5 = bought most recently)", labelAngle=0))
    y = alt.Y("f_score:O", sort=list(reversed(scores)), scale=alt.Scale(domain=list(reversed(scores))),
              axis=alt.Axis(title="Frequency score (5 = buys most often)"))
    tips = [alt.Tooltip("rfm_segment:N", title="RFM segment"), alt.Tooltip("r_score:O", title="Recency score"),
            alt.Tooltip("f_score:O", title="Frequency score"),
            *charts.tooltip(Col("customers", "Customers", "count"), Col("sales", "Card spend (365 days)", "money"))]
    top = float(frame["customers"].max() or 0)
    framed = frame.with_columns((pl.col("customers") > top * 0.6).alias("dark"))
    base = alt.Chart(framed).encode(x=x, y=y, tooltip=tips)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("customers:Q", title="Customers", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=",.0f", orient="right")))
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("customers:Q", format=",.0f"),
        color=charts.flagged(alt.ColorValue, "datum.dark", "white", "#1f2937"))
    return charts.finish(alt.layer(cells, labels), currency, height)
