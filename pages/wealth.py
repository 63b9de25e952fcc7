import streamlit as st

st.title("wealth (being built)")
