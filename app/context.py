"""What every page works with: the cached reader, the scope chosen in the sidebar, the currency and as-of date.

The entry point calls `setup()` once per run, before the page; pages call `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from app import auth, charts, filters, navigation
from app.connection import gateway
from app.data import CachedReader
from warehouse.gateway import BuildInfo
from warehouse.queries.options import FilterOptions, filter_options
from warehouse.scope import Scope

_KEY = "context.current"


@dataclass(frozen=True)
class PageContext:
    db: CachedReader
    scope: Scope
    options: FilterOptions
    info: BuildInfo

    @property
    def currency(self) -> str:
        return self.info.currency

    @property
    def as_of(self) -> date | None:
        return self.info.as_of_date


def setup(viewer: auth.Viewer) -> PageContext:
    """Open the warehouse (or show how to create one and stop), draw the shared filters, remember the result.

    The viewer's row-level security goes into the scope here, once, so every query of every page applies it;
    the filters offer only the regions and segments they may see."""
    db = CachedReader(gateway())
    known = filter_options(db)
    options = viewer.access.offered(known)
    charts.register_domains({"region": options.regions, "segment": options.segments,
                             "wealth_tier": options.wealth_tiers})
    scope = viewer.access.scoped(filters.sidebar(options))
    info = db.gateway.build_info
    as_of = f"data as of {info.as_of_date:%b %d, %Y}" if info.as_of_date else "no as-of date recorded"
    st.sidebar.caption(f"Amounts in {info.currency} · {as_of}")
    auth.show_viewer(viewer, viewer.access.unknown_groups(known))
    context = PageContext(db=db, scope=scope, options=options, info=info)
    st.session_state[_KEY] = context
    return context


def current() -> PageContext:
    """The context the entry point set up for this run."""
    context = st.session_state.get(_KEY)
    if context is None:
        # A page script started without the entry point: Streamlit does that for a direct link to a page on a
        # server whose entry point has not run yet (it takes the pages/ folder for an old-style multipage app).
        # Declaring the app's navigation ends that mode; the rerun then enters through streamlit_app.py.
        navigation.routes_only()
        st.rerun()
    return context
