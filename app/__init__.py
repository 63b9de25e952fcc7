"""Streamlit-side helpers shared by the pages: the cached gateway, formatting and layout pieces.

Pages import from here and from warehouse's data-access functions; they never import duckdb.
"""
