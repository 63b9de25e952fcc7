"""Customer Finance Insights: navigation, theme and the shared frame around every page."""

import streamlit as st

st.set_page_config(page_title="Customer Finance Insights", page_icon=":material/account_balance:", layout="wide")

navigation = st.navigation(
    {
        "Data": [
            st.Page("pages/data_and_measures.py", title="Data & measures", icon=":material/database:"),
        ],
    }
)
navigation.run()
