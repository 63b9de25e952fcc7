import streamlit as st

st.title("customers (being built)")
