"""The page grammar of the app: title and question, KPI cards, a grid of charts, detail tables, exports.

    page = Page("Overview", "How is the bank doing?")
    page.kpis([Kpi("Revenue", compared, "money")])
    left, right = page.row()
    page.chart(left, "Revenue by region", chart, frame, columns)
    page.table("Customers", frame, columns, key="customers")
    page.finish()

Every chart and table shown is remembered, so "Export page to Excel" holds exactly what the page shows.
Selections made by clicking a chart live in session state under keys the page chooses, so a test can
simulate a click by setting that key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
import streamlit as st

from app import context, export, fmt
from app.columns import Col, for_display
from app.specs import Chart
from warehouse.queries.common import Compared

TABLE_HEIGHT = 420
EMPTY_HINT = "Nothing to show for these filters: widen the period or clear a region, segment or tier filter."
PICK = "pick"  # the name charts give their click selection (app.charts: select=PICK)


@dataclass
class Kpi:
    label: str
    value: Compared | float | None
    kind: str = "count"  # money | count | number | percent | score
    better: str = "higher"  # higher | lower | neutral: colours the delta by meaning, not by sign
    trend: Sequence[float] | None = None
    help: str | None = None
    target: float | None = None


@dataclass
class Page:
    title: str
    question: str
    file_stem: str = ""
    _sheets: list[export.Sheet] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context = context.current()
        self.currency = self.context.currency
        heading, actions = st.columns([4, 1], vertical_alignment="bottom")
        heading.title(self.title)
        heading.caption(self.question)
        self._export_slot = actions.empty()
        self._chips = st.container()
        self.file_stem = self.file_stem or self.title.lower().replace(" & ", "-").replace(" ", "-")

    # -- headline numbers ------------------------------------------------------------------------------------

    def kpis(self, cards: Sequence[Kpi]) -> None:
        for column, card in zip(st.columns(len(cards)), cards, strict=True):
            current, previous = (card.value.current, card.value.previous) if isinstance(card.value, Compared) \
                else (card.value, None)
            trend = [float(v) for v in (card.trend if card.trend is not None else []) if v is not None]
            help_text = card.help or ""
            if card.target is not None:
                help_text += f" Target: {self.format(card.target, card.kind)}."
            column.metric(
                card.label,
                self.format(current, card.kind, short=True),
                delta=fmt.change(current, previous, kind=card.kind) if previous is not None else None,
                delta_color={"higher": "normal", "lower": "inverse"}.get(card.better, "off"),
                delta_description="vs prior period" if previous is not None else None,
                help=help_text.strip() or None,
                chart_data=trend if len(trend) > 1 else None,
                border=True,
            )
        self._chips = st.container()

    def format(self, value: float | None, kind: str, *, short: bool = False) -> str:
        if kind == "money":
            return fmt.money(value, self.currency, short=short)
        if kind == "percent":
            return fmt.percent(value)
        if kind == "score":
            return fmt.number(value, 2)
        if kind == "number":
            return fmt.number(value, 1)
        return fmt.compact(value, 1) if short and value is not None and abs(value) >= 100_000 else fmt.count(value)

    # -- layout ----------------------------------------------------------------------------------------------

    def row(self, widths: Sequence[int] = (1, 1)) -> list:
        return st.columns(list(widths), gap="medium")

    def no_data(self, area: str) -> bool:
        """True (after saying so) when the warehouse holds no data for this page's area."""
        st.info(f"No data loaded for this area ({area}). See \"Import your own data\" in the README to load "
                "it, or build the demo warehouse.", icon=":material/info:")
        return True

    def stop_unless(self, has_data: bool, area: str) -> None:
        """End the page with the "No data loaded" notice when its area holds no data."""
        if not has_data:
            self.no_data(area)
            self.finish()
            st.stop()

    # -- charts ----------------------------------------------------------------------------------------------

    def chart(
        self,
        where,
        title: str,
        chart: Chart,
        frame: pl.DataFrame,
        columns: Sequence[Col],
        *,
        select: str | None = None,
        caption: str | None = None,
        empty_hint: str = EMPTY_HINT,
    ) -> None:
        """A titled chart in `where` (a column or container), or the empty state when `frame` has no rows.

        select: the session-state key that a click on the chart's PICK selection writes (see `selection`).
        """
        with where:
            st.markdown(f"**{title}**")
            if frame.is_empty():
                st.info(empty_hint, icon=":material/filter_alt_off:")
                return
            if select:
                draw(chart, key=_widget_key(select), on_select=lambda: _on_pick(select), selection_mode=PICK)
            else:
                draw(chart)
            if caption:
                st.caption(caption)
        self._sheets.append(export.Sheet(title, frame, columns))

    def selection(self, key: str, label: str, *, drill: bool = False, root: str = "All") -> list[str]:
        """What a click on the chart drawn with `select=key` chose, shown above the charts so it can be cleared.

        drill: clicks go one level deeper each time (channel, then subchannel) and the chip is a breadcrumb.
        """
        chosen = list(st.session_state.get(key, []))
        st.session_state.setdefault(f"{key}.drill", drill)
        if drill:
            with self._chips, st.container(horizontal=True, gap="small"):
                st.button(root, key=f"{key}.crumb.root", type="tertiary", icon=":material/home:",
                          on_click=_step_back, args=(key, 0), disabled=not chosen)
                for level, value in enumerate(chosen, start=1):
                    st.button(f"› {value}", key=f"{key}.crumb.{level}", type="tertiary",
                              on_click=_step_back, args=(key, level), disabled=level == len(chosen))
        elif chosen:
            with self._chips:
                st.button(f"{label}: {', '.join(chosen)}", key=f"{key}.chip", icon=":material/close:",
                          on_click=_step_back, args=(key, 0), help="Clear this selection")
        return chosen

    # -- tables ----------------------------------------------------------------------------------------------

    def table(
        self,
        title: str,
        frame: pl.DataFrame,
        columns: Sequence[Col],
        *,
        key: str,
        customer_column: str | None = None,
        caption: str | None = None,
        height: int | None = None,
        empty_hint: str = EMPTY_HINT,
    ) -> None:
        """A sortable, searchable table with CSV and Excel downloads; with `customer_column`, clicking a row
        opens that customer's detail view."""
        st.markdown(f"**{title}**")
        if frame.is_empty():
            st.info(empty_hint, icon=":material/filter_alt_off:")
            return
        shown = [c for c in columns if c.name in frame.columns]
        options = dict(
            hide_index=True, height=height or min(TABLE_HEIGHT, 38 + 35 * frame.height), width="stretch",
            column_order=[c.name for c in shown],
            column_config={c.name: c.column_config(self.currency) for c in shown}, placeholder=fmt.MISSING,
        )
        shown_frame = for_display(frame, shown)
        if customer_column:
            st.dataframe(shown_frame, key=key, on_select=lambda: _on_customer_row(key, frame, customer_column),
                         selection_mode="single-row", **options)
        else:
            st.dataframe(shown_frame, key=key, **options)
        notes, csv_button, xlsx_button = st.columns([4, 1, 1], vertical_alignment="center")
        rows = f"{frame.height:,} rows" + (" · click a row to open the customer" if customer_column else "")
        notes.caption(f"{rows}. {caption}" if caption else rows)
        csv_button.download_button("CSV", export.csv(frame, shown), file_name=f"{key}.csv", mime="text/csv",
                                   icon=":material/download:", key=f"{key}.csv", on_click="ignore",
                                   width="stretch")
        xlsx_button.download_button(
            "Excel", lambda: export.workbook([export.Sheet(title, frame, shown)], self.currency),
            file_name=f"{key}.xlsx", icon=":material/download:", key=f"{key}.xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
        self._sheets.append(export.Sheet(title, frame, shown))

    def finish(self) -> None:
        """Fill in "Export page to Excel" with every chart's and table's data, and open a requested customer."""
        sheets = list(self._sheets)
        st.session_state[EXPORTED_SHEETS] = sheets  # what the button will write, for anyone checking it
        self._export_slot.download_button(
            "Export page to Excel", lambda: export.workbook(sheets, self.currency),
            file_name=f"{self.file_stem}.xlsx", icon=":material/table_view:", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
        customer_id = st.session_state.pop(CUSTOMER_REQUEST, None)
        if customer_id:
            from app.customer import show_customer  # imported late: the dialog module imports this one

            show_customer(customer_id)

    @property
    def sheets(self) -> list[export.Sheet]:
        return list(self._sheets)


def draw(chart: Chart, **selection) -> None:
    """Draw a chart by its Vega-Lite spec (st.altair_chart would rebuild the spec on every run, under a lock shared
    by all sessions). `selection`: key, on_select and selection_mode, as st.vega_lite_chart takes them."""
    st.vega_lite_chart(spec=chart.spec(), **selection)


CUSTOMER_REQUEST = "customer.open"
EXPORTED_SHEETS = "page.exported_sheets"


def _widget_key(key: str) -> str:
    return f"{key}.chart.{st.session_state.get(f'{key}.generation', 0)}"


def _on_pick(key: str) -> None:
    event = st.session_state.get(_widget_key(key)) or {}
    points = (event.get("selection") or {}).get(PICK) or []
    values = [str(v) for point in points for k, v in point.items() if not k.startswith("_") and v is not None]
    if st.session_state.get(f"{key}.drill"):
        if values:
            st.session_state[key] = [*st.session_state.get(key, []), values[0]]
            _new_chart(key)
    else:
        st.session_state[key] = values


def _step_back(key: str, level: int) -> None:
    st.session_state[key] = list(st.session_state.get(key, []))[:level]
    _new_chart(key)


def _new_chart(key: str) -> None:
    """A fresh chart widget: the old one would keep showing the cleared selection."""
    st.session_state[f"{key}.generation"] = st.session_state.get(f"{key}.generation", 0) + 1


def _on_customer_row(key: str, frame: pl.DataFrame, column: str) -> None:
    rows = (st.session_state.get(key) or {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < frame.height:
        st.session_state[CUSTOMER_REQUEST] = frame[column][rows[0]]
