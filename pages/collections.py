import streamlit as st

st.title("collections (being built)")
