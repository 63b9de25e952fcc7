"""The shared sidebar filters: period, region, segment and wealth tier, kept in the URL so a view can be shared.

Values come from the URL through Streamlit's query-parameter binding, which drops anything not on offer; this
module tells the user what was dropped, and turns what remains into a Scope.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from warehouse.queries.options import FilterOptions, default_period
from warehouse.scope import Scope

GROUP_FILTERS = (("region", "Region", "regions"), ("segment", "Segment", "segments"),
                 ("tier", "Wealth tier", "wealth_tiers"))
FILTER_KEYS = ("period", *(key for key, _, _ in GROUP_FILTERS))
_LAST_SCOPE = "filters.last_complete_scope"


def sidebar(options: FilterOptions) -> Scope:
    """Draw the filters in the sidebar and return the scope they select."""
    raw = {key: st.query_params.get_all(key) for key in FILTER_KEYS}
    first, last = default_period(options)
    lowest, highest = options.first_date or first, options.last_date or last
    with st.sidebar:
        st.markdown("**Filters**")
        period = st.date_input(
            "Period", value=(first, last), min_value=lowest, max_value=highest, key="period",
            bind="query-params", format="YYYY-MM-DD", help="Both ends included. Monthly measures cover every "
            "month the period touches.",
        )
        chosen = {}
        for key, label, field in GROUP_FILTERS:
            chosen[field] = tuple(st.multiselect(
                label, getattr(options, field), key=key, bind="query-params", placeholder="All",
            ))
        st.button("Reset filters", icon=":material/restart_alt:", on_click=_reset, width="stretch")
        _report_ignored(raw, options, lowest, highest)
    scope = _scope(period, chosen)
    if scope is None:  # the date picker is half-way through choosing a range: keep showing the last one
        return st.session_state.get(_LAST_SCOPE) or Scope(first, last, **chosen)
    st.session_state[_LAST_SCOPE] = scope
    return scope


def _scope(period: object, chosen: dict[str, tuple[str, ...]]) -> Scope | None:
    if not isinstance(period, (tuple, list)) or len(period) != 2 or None in period:
        return None
    start, end = sorted(period)
    return Scope(start, end, **chosen)


def _reset() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def _report_ignored(raw: dict[str, list[str]], options: FilterOptions, lowest: date, highest: date) -> None:
    """Say which values from the link were not used, and why."""
    ignored = []
    for key, label, field in GROUP_FILTERS:
        unknown = [v for v in raw[key] if v and v not in getattr(options, field)]
        if unknown:
            shown = ", ".join(repr(v[:40]) for v in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
            ignored.append(f"{label}: {shown} (not in the data)")
    if raw["period"]:
        try:
            dates = [date.fromisoformat(v) for v in raw["period"]]
            valid = len(dates) == 2 and all(lowest <= d <= highest for d in dates)
        except ValueError:
            valid = False
        if not valid:
            ignored.append(f"Period: {', '.join(repr(v[:40]) for v in raw['period'][:2])} (the data runs from "
                           f"{lowest:%Y-%m-%d} to {highest:%Y-%m-%d})")
    if ignored:
        st.warning("Ignored from the link: " + "; ".join(ignored) + ".", icon=":material/link_off:")
