"""Customer Finance Insights: sign-in and access, navigation by area, the shared sidebar filters, then the page."""

import streamlit as st

from app import auth, connection, context, navigation
from warehouse.gateway import ViewFailed

st.set_page_config(page_title="Customer Finance Insights", page_icon=":material/account_balance:", layout="wide")
viewer = auth.gate()  # the sign-in page, or why there is no access, stops here
chosen_page = navigation.build(viewer.access)
try:
    context.setup(viewer)
    chosen_page.run()
except ViewFailed as failure:  # a view broken after the build: name it, not a traceback (st.stop/rerun pass)
    connection.show_view_failed(failure)
