"""The app's single, shared gateway to the warehouse, reopened automatically after a rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from warehouse import settings
from warehouse.gateway import Gateway, ViewFailed, WarehouseUnavailable


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


def show_view_failed(failure: ViewFailed) -> None:
    """What a page says when a view of the warehouse it reads is broken: which one, and how to restore it."""
    objects = " and ".join(f"{kind} `{name}`" for name, (kind, _) in failure.broken.items())
    errors = "; ".join(error for _, error in failure.broken.values())
    verb = "fails" if len(failure.broken) == 1 else "fail"
    st.error(f"This page cannot be shown: the warehouse {objects} it reads {verb} ({errors}). It was probably "
             "changed, or added to sql/, after the warehouse was built. Re-apply the views of sql/ with the command "
             "below; if that fails too, rebuild the warehouse.")
    st.code(f"python -m warehouse views --db {warehouse_path()}", language=None)
