"""Query results cached per server, keyed on the SQL, its parameters and the warehouse's build version.

A rebuilt warehouse has a new build version, so nothing cached from the old one is ever served for it.
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

    def frame(self, sql: str, params: Params | None = None) -> pl.DataFrame:
        return _cached_frame(self.gateway, self.gateway.version, sql, params)


@st.cache_data(show_spinner=False, max_entries=4000, ttl=6 * 3600)
def _cached_frame(_gateway: Gateway, version: str, sql: str, params: Params | None) -> pl.DataFrame:
    return _gateway.frame(sql, params)
