"""Charts the shared builders lack, used by the Customers & churn and Digital engagement pages: bars stacked over
time at a month / quarter grain, a growth waterfall, a grid with its values written in the cells, and a flow
(Sankey-like) diagram drawn with Altair marks.

Same style as app.charts: business titles, formatted tooltips, the app's palette, `charts.finish` at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import polars as pl

from app import charts, fmt
from app.charts import BAD, GOOD, GREY, HEIGHT, PALETTE
from app.columns import Col

# Channels keep one colour on every chart of the app that shows them; unknown ones follow in the palette.
CHANNELS = ("Branch", "Web", "Mobile", "Phone", "Advisor")


def fixed_scale(values: Sequence[str], known: Sequence[str], extra: Mapping[str, str] | None = None) -> alt.Scale:
    """Colours for a category whose usual values (`known`) always get the same colour; `extra` pins others
    (e.g. 'No account' in grey); anything else takes the next palette colours."""
    extra = dict(extra or {})
    present = [str(v) for v in values if v is not None]
    domain = [v for v in known if v in present] + sorted({v for v in present if v not in known and v not in extra})
    colors = {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(known)}
    others = iter(PALETTE[len(known):] + PALETTE[: len(known)])
    colors |= {v: next(others) for v in domain if v not in colors}
    domain += [v for v in extra if v in present]
    colors |= extra
    return alt.Scale(domain=domain, range=[colors[v] for v in domain])


def channel_scale(values: Sequence[str]) -> alt.Scale:
    return fixed_scale(values, CHANNELS, {"No account": GREY})


def status_scale(values: Sequence[str]) -> alt.Scale:
    """Account status: open accounts in a calm blue, closed ones in the app's warning red."""
    return fixed_scale(values, (), {"Active": "#9DC3E6", "Closed": BAD})


def waterfall(frame: pl.DataFrame, *, currency: str, height: int = HEIGHT) -> alt.Chart:
    """Steps from a starting total to an ending one: `step` (in order), `bottom`/`top` of each bar, `change`
    (signed) and `kind` (Customers for the totals, Gained, Lost)."""
    steps = frame["step"].to_list()
    # labels made here, not by a Python function inside a polars expression: polars runs those on its own threads,
    # which then wait for the interpreter lock that a polars call of another session may be holding
    labels = [fmt.count(change) if kind == "Customers" else f"{change:+,.0f}"
              for kind, change in zip(frame["kind"], frame["change"], strict=True)]
    framed = frame.with_columns(pl.Series("label", labels, dtype=pl.String))
    base = alt.Chart(framed).encode(x=alt.X("step:N", sort=steps, axis=alt.Axis(title=None, labelAngle=0)))
    bars = base.mark_bar(cornerRadius=2).encode(
        y=alt.Y("bottom:Q", axis=alt.Axis(title=None, format="~s")), y2=alt.Y2("top"),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["Customers", "Gained", "Lost"],
                                                  range=[PALETTE[0], GOOD, BAD]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=[alt.Tooltip("step:N", title="Step"), alt.Tooltip("label:N", title="Customers")],
    )
    labels = base.mark_text(baseline="bottom", dy=-4, fontSize=12, fontWeight="bold", color="#374151").encode(
        y=alt.Y("top:Q"), text=alt.Text("label:N"))
    return charts.finish(alt.layer(bars, labels), currency, height)


def labelled_heatmap(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    value: Col,
    *,
    currency: str,
    x_sort: Sequence[str],
    y_sort: Sequence[str],
    extra_tooltip: Sequence[Col] = (),
    x_title: bool = False,
    height: int = HEIGHT,
) -> alt.Chart:
    """A small grid coloured by `value` with the value written (abbreviated) in each cell, so it needs no
    legend; axis titles only where the labels do not say it (`x_title`)."""
    text_format = {"money": "$.3~s", "percent": ".0%", "count": ",.0f"}.get(value.kind, ".3~s")
    maximum = frame[value.name].max() or 1
    framed = frame.with_columns((pl.col(value.name) > 0.55 * maximum).alias("_dark"))
    base = alt.Chart(framed).encode(
        x=alt.X(x.name, type="ordinal", sort=list(x_sort),
                axis=alt.Axis(title=x.title if x_title else None, labelAngle=0, orient="bottom")),
        y=alt.Y(y.name, type="ordinal", sort=list(y_sort), axis=alt.Axis(title=None)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(value.name, type="quantitative", title=None, scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=charts.tooltip(y, x, value, *extra_tooltip),
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(value.name, type="quantitative", format=text_format),
        color=charts.flagged(alt.ColorValue, "datum._dark", "white", "#1f2937"),
        tooltip=charts.tooltip(y, x, value, *extra_tooltip),
    )
    chart = alt.layer(cells, text)
    if value.kind == "money":  # d3's SI prefix for billions is G
        chart = alt.layer(cells, text.encode(text=alt.Text("_label:N"))).transform_calculate(
            _label=f"replace(format(datum['{value.name}'], '{text_format}'), 'G', 'B')")
    return charts.finish(chart.properties(width="container"), currency, height)


def flow(
    frame: pl.DataFrame,
    levels: Sequence[Col],
    value: Col,
    *,
    currency: str,
    link_colors: Mapping[str, alt.Scale] | None = None,
    height: int = 380,
    samples: int = 24,
) -> alt.Chart:
    """A Sankey-like flow diagram: one column of nodes per level (e.g. channel -> product category -> status),
    node heights proportional to `value`, and a band for each link between neighbouring levels.

    Links leaving the first level take the colour of their source node, links into the last level the colour of
    their target node (`link_colors` maps a level's column name to its colour scale)."""
    total = float(frame[value.name].sum() or 0)
    gap = total * 0.035
    node_width = 0.035
    nodes: list[dict] = []
    positions: list[dict[str, tuple[float, float]]] = []
    heights = []
    for column in levels:
        sums = (frame.group_by(column.name).agg(pl.col(value.name).sum())
                .sort([value.name, column.name], descending=[True, False]))
        heights.append(total + gap * (sums.height - 1))
        positions.append({name: amount for name, amount in sums.iter_rows()})
    top = max(heights)
    for level, (column, named) in enumerate(zip(levels, positions, strict=True)):
        y = (top - heights[level]) / 2
        placed = {}
        for name, amount in named.items():
            placed[name] = (y, y + amount)
            nodes.append(dict(level=level, level_title=column.title, node=name, amount=amount,
                              share=amount / total if total else None, y0=y, y1=y + amount, mid=y + amount / 2,
                              x0=level - node_width / 2, x1=level + node_width / 2,
                              label=f"{name} · {fmt.count(amount)}"))
            y += amount + gap
        positions[level] = placed
    links: list[dict] = []
    for level in range(len(levels) - 1):
        source, target = levels[level], levels[level + 1]
        pairs = frame.group_by([source.name, target.name]).agg(pl.col(value.name).sum())
        rows = [(s, t, float(v)) for s, t, v in pairs.iter_rows() if v]
        out_offset = {s: positions[level][s][0] for s in positions[level]}
        in_offset = {t: positions[level + 1][t][0] for t in positions[level + 1]}
        start_y = {}
        for s, t, v in sorted(rows, key=lambda r: (positions[level][r[0]][0], positions[level + 1][r[1]][0])):
            start_y[(s, t)] = out_offset[s]
            out_offset[s] += v
        end_y = {}
        for s, t, v in sorted(rows, key=lambda r: (positions[level + 1][r[1]][0], positions[level][r[0]][0])):
            end_y[(s, t)] = in_offset[t]
            in_offset[t] += v
        last = level + 1 == len(levels) - 1
        for s, t, v in rows:
            x_from, x_to = level + node_width / 2, level + 1 - node_width / 2
            for k in range(samples + 1):
                step = k / samples
                ease = step * step * (3 - 2 * step)
                upper = start_y[(s, t)] + (end_y[(s, t)] - start_y[(s, t)]) * ease
                links.append(dict(link=f"{level}|{s}|{t}", x=x_from + (x_to - x_from) * step, y0=upper,
                                  y1=upper + v, source=s, target=t, amount=v,
                                  share=v / total if total else None,
                                  color_key=(f"{target.name}:{t}" if last and level else f"{source.name}:{s}")))
    node_frame, link_frame = pl.DataFrame(nodes), pl.DataFrame(links)
    # one colour scale over every coloured node: first-level sources, and last-level targets
    domain, palette = [], []
    coloured = [levels[0]] + ([levels[-1]] if len(levels) > 2 else [])
    for column in coloured:
        scale = (link_colors or {}).get(column.name) or charts.color_scale(column.name, list(positions[
            levels.index(column)]))
        names = [n for n in scale.domain if n in positions[levels.index(column)]]
        domain += [f"{column.name}:{n}" for n in names]
        palette += [scale.range[scale.domain.index(n)] for n in names]
    last_level = len(levels) - 1
    x_scale = alt.Scale(domain=[-0.62, last_level + 0.62], nice=False)
    y_scale = alt.Scale(domain=[-top * 0.08, top], reverse=True, nice=False, zero=False)
    band = alt.Chart(link_frame).mark_area(opacity=0.42, interpolate="linear").encode(
        x=alt.X("x:Q", scale=x_scale, axis=None),
        y=alt.Y("y0:Q", scale=y_scale, axis=None, stack=None), y2=alt.Y2("y1"),
        detail=alt.Detail("link:N"),
        color=alt.Color("color_key:N", scale=alt.Scale(domain=domain, range=palette), legend=None),
        tooltip=[alt.Tooltip("source:N", title="From"), alt.Tooltip("target:N", title="To"),
                 alt.Tooltip("amount:Q", title=value.title, format=",.0f"),
                 alt.Tooltip("share:Q", title="Share of all", format=".1%")],
    )
    node_tooltip = [alt.Tooltip("level_title:N", title="Level"), alt.Tooltip("node:N", title="Name"),
                    alt.Tooltip("amount:Q", title=value.title, format=",.0f"),
                    alt.Tooltip("share:Q", title="Share of all", format=".1%")]
    rects = alt.Chart(node_frame).mark_rect(color="#374151").encode(
        x=alt.X("x0:Q", scale=x_scale), x2=alt.X2("x1"), y=alt.Y("y0:Q", scale=y_scale), y2=alt.Y2("y1"),
        tooltip=node_tooltip)
    first = alt.Chart(node_frame.filter(pl.col("level") == 0)).mark_text(align="right", dx=-6, fontSize=11).encode(
        x=alt.X("x0:Q", scale=x_scale), y=alt.Y("mid:Q", scale=y_scale), text=alt.Text("label:N"), tooltip=node_tooltip)
    rest = alt.Chart(node_frame.filter(pl.col("level") > 0)).mark_text(align="left", dx=6, fontSize=11,
                                                                        fontWeight=500).encode(
        x=alt.X("x1:Q", scale=x_scale), y=alt.Y("mid:Q", scale=y_scale), text=alt.Text("label:N"), tooltip=node_tooltip)
    headers = pl.DataFrame({"x": [float(i) for i in range(len(levels))], "y": [-top * 0.04] * len(levels),
                            "title": [c.title for c in levels]})
    header = alt.Chart(headers).mark_text(fontWeight="bold", fontSize=12, color="#4B5563").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text=alt.Text("title:N"))
    return charts.finish(alt.layer(band, rects, first, rest, header), currency, height)


def bubbles(
    frame: pl.DataFrame,
    x: Col,
    y: Col,
    size: Col,
    color: Col,
    *,
    currency: str,
    label: Col | None = None,
    extra_tooltip: Sequence[Col] = (),
    height: int = HEIGHT,
) -> alt.Chart:
    """A few aggregated groups as bubbles: x on a symmetric-log scale (so 0, 5 and 60 all stay readable),
    bubble area by `size`, colour by `color` (the app's fixed colours for regions, segments and tiers)."""
    values = frame[color.name].unique().to_list()
    axis_format = {"money": "$.2~s", "percent": ".0%", "count": "~s"}
    chart = alt.Chart(frame).mark_circle(opacity=0.75, stroke="white", strokeWidth=1).encode(
        x=alt.X(x.name, type="quantitative", title=x.title, scale=alt.Scale(type="symlog", nice=False),
                axis=alt.Axis(format=axis_format.get(x.kind, "~s"), values=[0, 1, 2, 5, 10, 20, 50, 100, 200, 500])),
        y=alt.Y(y.name, type="quantitative", title=y.title, scale=alt.Scale(zero=True),
                axis=alt.Axis(format=axis_format.get(y.kind, "~s"))),
        size=alt.Size(size.name, type="quantitative", title=size.title, scale=alt.Scale(range=[60, 1600]),
                      legend=alt.Legend(format=",.0f", orient="right")),
        color=alt.Color(color.name, type="nominal", title=None, scale=charts.color_scale(color.name, values),
                        legend=alt.Legend(orient="bottom")),
        tooltip=charts.tooltip(*([label] if label else []), color, size, x, y, *extra_tooltip),
    )
    return charts.finish(chart, currency, height)
