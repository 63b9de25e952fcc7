"""Customer Finance Insights: navigation by area, the shared sidebar filters, then the chosen page."""

import streamlit as st

from app import context

st.set_page_config(page_title="Customer Finance Insights", page_icon=":material/account_balance:", layout="wide")

navigation = st.navigation(
    {
        "Overview": [
            st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        ],
        "Wealth & customers": [
            st.Page("pages/wealth.py", title="Wealth & products", icon=":material/savings:"),
            st.Page("pages/customers.py", title="Customers & churn", icon=":material/groups:"),
            st.Page("pages/rfm.py", title="RFM & campaigns", icon=":material/campaign:"),
        ],
        "Service & digital": [
            st.Page("pages/service.py", title="Service quality", icon=":material/support_agent:"),
            st.Page("pages/digital.py", title="Digital engagement", icon=":material/smartphone:"),
        ],
        "Risk & receivables": [
            st.Page("pages/risk.py", title="Lending, risk & fraud", icon=":material/gpp_maybe:"),
            st.Page("pages/receivables.py", title="Receivables", icon=":material/receipt_long:"),
            st.Page("pages/collections.py", title="Collections", icon=":material/call:"),
        ],
        "Operations & data": [
            st.Page("pages/operations.py", title="Operations", icon=":material/work:"),
            st.Page("pages/data_and_measures.py", title="Data & measures", icon=":material/database:"),
        ],
    }
)
context.setup()
navigation.run()
