import streamlit as st

st.title("digital (being built)")
