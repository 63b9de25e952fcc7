"""Data & measures: what the warehouse holds, when it was built, and from what."""

import streamlit as st

from app.connection import gateway, warehouse_path
from warehouse import access

st.title("Data & measures")
st.caption("What is in the warehouse, where it came from, and every measure defined in sql/.")

warehouse = gateway()
info = warehouse.build_info
tables = access.table_rows(warehouse)
objects = access.sql_objects(warehouse)

cards = st.columns(4)
cards[0].metric("Data as of", f"{info.as_of_date:%b %d, %Y}" if info.as_of_date else "unknown", border=True)
cards[1].metric("Built", f"{info.built_at:%b %d, %Y}", border=True, help=f"{info.built_at:%Y-%m-%d %H:%M} UTC; "
                f"views last applied {info.views_applied_at:%Y-%m-%d %H:%M} UTC")
cards[2].metric("Source rows", f"{int(tables['row_count'].sum()):,}", border=True)
cards[3].metric("Measures and views", f"{objects.height:,}", border=True)
st.caption(f"{access.source_summary(info)} · amounts in {info.currency} · warehouse file `{warehouse_path()}`")

st.subheader("Source tables")
st.dataframe(
    tables,
    hide_index=True,
    column_config={
        "table_name": st.column_config.TextColumn("Table"),
        "area": st.column_config.TextColumn("Area"),
        "grain": st.column_config.TextColumn("Grain"),
        "description": st.column_config.TextColumn("Description", width="large"),
        "row_count": st.column_config.NumberColumn("Rows", format="localized"),
    },
)

st.subheader("Views and measures")
st.dataframe(
    objects,
    hide_index=True,
    column_config={
        "name": st.column_config.TextColumn("Name"),
        "answers": st.column_config.TextColumn("Answers", width="large"),
        "grain": st.column_config.TextColumn("Grain"),
        "kind": st.column_config.TextColumn("Kind", help="view: computed on read; table: stored at build time; "
                                            "macro: takes parameters"),
        "area": st.column_config.TextColumn("Area"),
        "path": st.column_config.TextColumn("File in sql/"),
    },
)
