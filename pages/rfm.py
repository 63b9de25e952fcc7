import streamlit as st

st.title("rfm (being built)")
