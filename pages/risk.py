import streamlit as st

st.title("risk (being built)")
