"""Data & measures: what the warehouse holds, when and from what it was built, and every measure documented."""

import polars as pl
import streamlit as st

from app import columns as c
from app.connection import warehouse_path
from app.ui import Page
from warehouse.queries import catalog

page = Page("Data & measures", "What is in the warehouse, where did it come from, and how is each measure defined "
            "and used?")
ctx = page.context
info = ctx.info
# drawn once the detail view's choice is known
status, imported, listings = st.container(), st.container(), st.container()

st.subheader("A measure in detail")
names = catalog.object_names(ctx.db)
picked = st.selectbox("View, table or macro", names, index=0 if names else None, key="catalog.view",
                      bind="query-params", help="Type to search by name. The link keeps the choice.")
data = catalog.load(ctx.db, ctx.scope, view=picked)
tables, listing = data["tables"], data["catalog"]

with status:
    built, counted = st.columns(3), st.columns(3)
    built[0].metric("Data as of", f"{info.as_of_date:%b %d, %Y}" if info.as_of_date else "unknown", border=True,
                    help="The last day the data is complete for.")
    built[1].metric("Built", f"{info.built_at:%b %d, %Y}", border=True,
                    help=f"{info.built_at:%Y-%m-%d %H:%M} UTC; views last applied "
                         f"{info.views_applied_at:%Y-%m-%d %H:%M} UTC")
    built[2].metric("Built from", catalog.source_label(info), border=True, help=catalog.source_summary(info))
    counted[0].metric("Source rows", f"{int(tables['row_count'].sum()):,}", border=True,
                      help="Rows loaded into the source tables listed below.")
    counted[1].metric("Source tables", f"{tables.height:,}", border=True,
                      help="Tables of the data contract, loaded as delivered.")
    counted[2].metric("Measures and views", f"{listing.height:,}", border=True,
                      help="Views, stored tables and table macros built from the files in sql/.")
    st.caption(f"{catalog.source_summary(info)} · amounts in {info.currency} · warehouse file `{warehouse_path()}`")

last_import = catalog.last_import(ctx.db, ctx.scope) if info.source_kind == "import" else None
if last_import is not None:
    with imported:
        st.subheader("Last import")
        page.table("Files imported", last_import["files"], [
            c.text("file", "File"), c.text("table_name", "Into table"), c.count("rows_read", "Rows read"),
            c.count("rows_loaded", "Rows loaded"), c.count("duplicates_dropped", "Duplicates dropped"),
        ], key="import_files", caption="An import with any error is rejected and leaves the warehouse as it was, so "
                                       "this is always an import that succeeded.")
        if last_import["report"] is None:
            st.info("The row-by-row import report quotes values from every region and segment, so it is shown only "
                    "to viewers who may see all of them.", icon=":material/lock:")
        elif last_import["report"].is_empty():
            st.success("Every row of every mapped file was loaded: nothing to report.", icon=":material/check:")
        else:
            page.table("Import report", last_import["report"], [
                c.text("severity", "Outcome", help="dropped: left out on purpose (drop_duplicates); note: changed "
                                                   "nothing"),
                c.text("rule", "Rule"), c.text("file", "File"), c.count("row", "Row"), c.text("column", "Column"),
                c.text("target", "Contract column"), c.text("value", "Value"), c.text("message", "What happened"),
            ], key="import_report")

with listings:
    page.table("Source tables and their row counts", tables, [
        c.text("table_name", "Table"), c.text("area", "Area"), c.count("row_count", "Rows"),
        c.text("grain", "Grain"), c.text("description", "Description"),
    ], key="catalog_tables")
    page.table("Views and measures", listing, [
        c.text("name", "Name"), c.text("answers", "Answers"), c.text("grain", "Grain"),
        c.text("kind", "Kind", help="view: computed on read; table: stored at build time; macro: takes parameters"),
        c.text("area_title", "Area"),
        c.text("pages", "Used by pages", help="Pages whose queries read it directly."),
        c.text("pages_through", "Feeds pages through other views",
               help="Pages that read a view built on this one (and not this one directly)."),
        c.text("path", "File in sql/"),
    ], key="catalog_views", caption="Choose one below to see its columns and a preview.")

detail = data["detail"]
if detail is None:
    st.info("The warehouse holds no views. Apply sql/ with `python -m warehouse views`.", icon=":material/info:")
    page.finish()
    st.stop()

obj, call = detail["object"], detail["call"]
about, usage = st.columns([3, 2], gap="medium")
with about:
    st.markdown(f"**{obj['answers']}**")
    st.markdown(f"*Grain:* {obj['grain']}")
    kind = {"view": "View (computed on read)", "table": "Table (stored at build time)",
            "macro": "Table macro (takes parameters)"}.get(obj["kind"], obj["kind"])
    st.caption(f"{kind} · {obj['area_title']} · file `sql/{obj['path']}`")
with usage:
    st.markdown("**Used by pages:** " + (obj["pages"] or "none directly"))
    if obj["pages_through"]:
        st.markdown(f"**Feeds, through other views:** {obj['pages_through']}")
    if detail["reads"]:
        st.markdown("**Reads:** " + ", ".join(f"`{n}`" for n in detail["reads"]))
    if detail["read_by"]:
        st.markdown("**Read by:** " + ", ".join(f"`{n}`" for n in detail["read_by"]))
    if not detail["documented"]:
        st.caption("This warehouse was built before column descriptions and dependencies were recorded: "
                   "re-apply the views (`python -m warehouse views`) to see them here.")

page.table(f"Columns of {obj['name']}", detail["columns"], [
    c.text("column_name", "Column"), c.text("data_type", "Type"),
    *([c.text("description", "Meaning")] if detail["documented"] else []),
], key="catalog_columns")

if obj["kind"] == "macro":
    st.markdown(f"**How to read {obj['name']}**")
    st.caption("A table macro, previewed with default arguments: the data as-of date, the twelve months up to it, "
               "all groups." if call.sql else "A table macro: it needs arguments to be read.")
    st.code(call.example, language="sql")
preview = detail["preview"]
if preview is None or preview.is_empty():
    st.markdown(f"**First rows of {obj['name']}**")
    st.info(f"No preview: {detail['preview_note']}" if preview is None else
            "It has no rows in this warehouse" + (" for the sidebar's groups." if ctx.scope.regions or
                                                   ctx.scope.segments or ctx.scope.wealth_tiers else "."),
            icon=":material/info:")
else:
    meaning = dict(zip(detail["columns"]["column_name"], detail["columns"]["description"], strict=True))

    def spec(name: str, dtype: pl.DataType) -> c.Col:
        """The raw column name as its title (this is a look at the data as stored), its meaning on hover."""
        if dtype.is_integer():
            kind = "count"
        elif dtype.is_float():
            kind = "number"
        else:
            kind = {pl.Date: "date", pl.Datetime: "datetime"}.get(dtype.base_type(), "text")
        return c.Col(name, name, kind, meaning.get(name))

    page.table(f"First rows of {obj['name']}", preview, [spec(n, t) for n, t in preview.schema.items()],
               key="catalog_preview", caption=detail["preview_note"])
page.finish()
