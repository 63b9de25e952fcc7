"""The customer detail view, opened from any table that lists customers."""

from __future__ import annotations

import streamlit as st

from app import columns as c
from app import context, fmt
from warehouse.queries import customer

SECTIONS = {
    "products": ("Products and balances", [
        c.text("product_name", "Product"), c.text("product_category", "Category"), c.text("channel", "Opened via"),
        c.text("account_status", "Status"), c.day("open_date", "Opened"), c.day("close_date", "Closed"),
        c.money("balance", "Latest balance"), c.day("balance_month_end", "Balance at")]),
    "loans": ("Loans", [
        c.text("loan_id", "Loan"), c.text("loan_type", "Type"), c.text("status", "Status"),
        c.money("principal", "Principal"), c.percent("interest_rate", "Rate"), c.count("term_months", "Months"),
        c.day("issue_date", "Issued")]),
    "bills": ("Bills", [
        c.text("bill_id", "Bill"), c.day("issue_date", "Issued"), c.day("due_date", "Due"),
        c.money("amount", "Amount"), c.money("paid_amount", "Paid"), c.day("settled_date", "Fully paid on"),
        c.text("sales_channel", "Channel"), c.text("location", "Location")]),
    "contacts": ("Service contacts", [
        c.timestamp("opened_at", "Opened"), c.text("channel", "Channel"), c.text("reason", "Reason"),
        c.text("resolution_status", "Outcome"), c.number("satisfaction", "Satisfaction"),
        c.number("resolution_hours", "Hours to close")]),
}


@st.dialog("Customer", width="large")
def show_customer(customer_id: str) -> None:
    ctx = context.current()
    sections = customer.load(ctx.db, ctx.scope, customer_id)
    profile = sections["profile"]
    if profile.is_empty():
        st.warning(f"Customer {customer_id!r} is not in the data you can see.")
        return
    person = profile.row(0, named=True)
    st.subheader(person["full_name"])
    st.caption(" · ".join(str(v) for v in (person["customer_id"], person["segment"], person["wealth_tier"],
                                           person["region"], f"{person['city']}, {person['state']}") if v))
    facts = st.columns(4)
    facts[0].metric("Customer since", f"{person['enrollment_date']:%b %Y}", border=True)
    facts[1].metric("Age", fmt.count(person["age_years"]), border=True)
    risk, rfm = sections["risk"], sections["rfm"]
    facts[2].metric("Credit score", fmt.count(risk["credit_score"][0]) if risk.height else fmt.MISSING, border=True,
                    help=f"Risk level {risk['risk_level'][0]}, assessed {risk['assessed_on'][0]:%Y-%m-%d}"
                    if risk.height else None)
    facts[3].metric("RFM segment", rfm["rfm_segment"][0] if rfm.height else "No card spend", border=True,
                    help=f"Code {rfm['rfm_code'][0]}: last purchase {rfm['recency_days'][0]} days ago, "
                    f"{rfm['frequency'][0]} purchases, {fmt.money(rfm['monetary'][0], ctx.currency)}"
                    if rfm.height else None)
    for name, tab in zip(SECTIONS, st.tabs([title for title, _ in SECTIONS.values()]), strict=True):
        title, cols = SECTIONS[name]
        frame = sections[name]
        with tab:
            if frame.is_empty():
                st.caption(f"No {title.lower()} for this customer.")
            else:
                st.dataframe(c.for_display(frame, cols), hide_index=True, column_order=[col.name for col in cols],
                             column_config={col.name: col.column_config(ctx.currency) for col in cols},
                             placeholder=fmt.MISSING)
