"""Customer Finance Insights: navigation by area, the shared sidebar filters, then the chosen page."""

import streamlit as st

from app import context, navigation

st.set_page_config(page_title="Customer Finance Insights", page_icon=":material/account_balance:", layout="wide")
chosen_page = navigation.build()
context.setup()
chosen_page.run()
