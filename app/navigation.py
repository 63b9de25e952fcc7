"""The app's pages, grouped by area, in the order the sidebar lists them."""

from __future__ import annotations

import streamlit as st

from warehouse.queries import PAGES

ICONS = {
    "overview": ":material/dashboard:", "wealth": ":material/savings:", "customers": ":material/groups:",
    "rfm": ":material/campaign:", "service": ":material/support_agent:", "digital": ":material/smartphone:",
    "risk": ":material/gpp_maybe:", "receivables": ":material/receipt_long:", "collections": ":material/call:",
    "worklist": ":material/checklist:",
    "operations": ":material/work:", "catalog": ":material/database:",
}
SECTIONS = {
    "Overview": ["overview"],
    "Wealth & customers": ["wealth", "customers", "rfm"],
    "Service & digital": ["service", "digital"],
    "Risk & receivables": ["risk", "receivables", "collections", "worklist"],
    "Operations & data": ["operations", "catalog"],
}


def page_file(module: str) -> str:
    """The page script showing a query module's data."""
    return f"pages/{'data_and_measures' if module == 'catalog' else module}.py"


def build(position: str = "sidebar"):
    return st.navigation(
        {section: [st.Page(page_file(m), title=PAGES[m], icon=ICONS[m], default=m == "overview") for m in modules]
         for section, modules in SECTIONS.items()},
        position=position,
    )
