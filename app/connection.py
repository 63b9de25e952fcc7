"""The app's single, shared gateway to the warehouse, reopened automatically after a rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from warehouse import settings
from warehouse.gateway import Gateway, WarehouseUnavailable


def warehouse_path() -> Path:
    return Path(os.environ.get("CFI_DB", settings.DEFAULT_DB_PATH))


@st.cache_resource(
    show_spinner=False,
    validate=lambda gateway: gateway.is_current(),  # a rebuilt file is picked up without restarting the server
    on_release=lambda gateway: gateway.close(),
)
def _open(path: str) -> Gateway:
    return Gateway.open(path)


def gateway() -> Gateway:
    """The gateway for this server, or a clear stop page when the warehouse cannot be used."""
    try:
        return _open(str(warehouse_path()))
    except WarehouseUnavailable as problem:
        st.error("The data warehouse is not available.")
        st.code(str(problem), language=None)
        st.stop()
