"""The app's pages, grouped by area, in the order the sidebar lists them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from warehouse.access import Access
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


def build(access: Access):
    """The sidebar's pages, by area: those this viewer may open. The others stay reachable by their address but
    hidden, so a link to one says it is not available rather than opening something else."""
    first = next(m for m in PAGES if m in access.pages)
    sections = {section: [st.Page(page_file(m), title=PAGES[m], icon=ICONS[m], default=m == first)
                          for m in modules if m in access.pages]
                for section, modules in SECTIONS.items()}
    sections = {section: pages for section, pages in sections.items() if pages}
    refused = [_refusal(access, m) for m in PAGES if m not in access.pages]
    sections[next(iter(sections))] += refused  # hidden: where they are listed does not show
    return st.navigation(sections)


def routes_only() -> None:
    """Declare every page, hidden, to leave Streamlit's folder-of-pages mode (see context.current); nothing runs
    before the rerun that follows, which applies the viewer's access."""
    st.navigation([st.Page(page_file(m), default=m == "overview") for m in PAGES], position="hidden")


def _refusal(access: Access, module: str):
    """A hidden page at `module`'s address that says why this viewer may not open it."""
    def refuse() -> None:
        st.title(PAGES[module])
        st.warning(access.why_not(module), icon=":material/lock:")

    return st.Page(refuse, title=PAGES[module], icon=ICONS[module], url_path=Path(page_file(module)).stem,
                   visibility="hidden")
