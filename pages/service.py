import streamlit as st

st.title("service (being built)")
