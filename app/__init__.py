"""Streamlit-side helpers shared by the pages: the cached gateway, formatting and layout pieces.

Pages import from here and from warehouse's data-access functions; they never import duckdb.
"""

# Imported whole before any session touches Altair: Altair uses pandas when it finds it in sys.modules, and on a
# fresh server several sessions starting at once could otherwise see pandas half imported by another's thread
# ("partially initialized module 'pandas' has no attribute 'Timestamp'").
import pandas  # noqa: E402, F401
