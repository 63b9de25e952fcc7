import streamlit as st

st.title("receivables (being built)")
