"""Query results cached per server, keyed on the SQL, its parameters and the warehouse's version.

A rebuilt warehouse, or one changed by hand, has a new version, so nothing cached from the old one is ever served
for it. A query that fails is not cached (the next run asks the warehouse again), so a repaired view shows at once.
Results that read collection actions are keyed on the action log's state as well, so an action recorded in any
session shows at once; the log is listed at most once per page run (the reader lives for one run), and only when
the run reads actions at all.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from warehouse.gateway import Gateway
from warehouse.scope import Params


class CachedReader:
    """The pages' reader: the gateway's `frame`, with results cached across sessions."""

    def __init__(self, gateway: Gateway):
        self.gateway = gateway
        self._actions_stamp: str | None = None

    def frame(self, sql: str, params: Params | None = None) -> pl.DataFrame:
        version = self.gateway.version
        if self.gateway.reads_actions(sql):
            if self._actions_stamp is None:
                self._actions_stamp = self.gateway.actions_stamp()
            version = f"{version}+actions:{self._actions_stamp}"
        return _cached_frame(self.gateway, version, sql, params)

    def actions_recorded(self) -> None:
        """Forget the log's state read in this run: called after recording, so what follows sees the action."""
        self._actions_stamp = None


@st.cache_data(show_spinner=False, max_entries=4000, ttl=6 * 3600)
def _cached_frame(_gateway: Gateway, version: str, sql: str, params: Params | None) -> pl.DataFrame:
    return _gateway.frame(sql, params)
