"""Lending, risk & fraud: the loan book, how risky our borrowers are, and the fraud cases being worked on."""

import streamlit as st

from app import charts, risk_charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page, draw
from warehouse.queries import risk
from warehouse.queries.common import has_rows

# Risk appetite the gauges are read against (lower is better for both).
HIGH_RISK_SHARE_TARGET, HIGH_RISK_SHARE_LIMIT = 0.05, 0.08
DEFAULT_PROBABILITY_TARGET, DEFAULT_PROBABILITY_LIMIT = 0.025, 0.04

page = Page("Lending, risk & fraud", "How big is the loan book, how risky are our borrowers, and which fraud "
            "cases are still open?")
ctx, money = page.context, page.currency
page.stop_unless(has_rows(ctx.db, "stg_loans", "stg_risk_assessments", "stg_fraud_cases"),
                 "loans, credit risk assessments and fraud cases")
data = risk.load(ctx.db, ctx.scope)
figures, trends = data["kpis"], data["trends"]

page.kpis([
    Kpi("Active loans", figures["active_loans"], "count", trend=trends["active_loans"],
        help="Loans on the books at the end of the period."),
    Kpi("Outstanding principal", figures["outstanding_principal"], "money", trend=trends["outstanding_principal"],
        help="Principal still owed on the active loans at the end of the period (straight-line amortisation)."),
    Kpi("Loans issued", figures["loans_issued"], "count", trend=trends["loans_issued"],
        help="Loans paid out in the period."),
])
page.kpis([
    Kpi("Avg default probability", figures["default_probability"], "percent", better="lower",
        help="Average 12-month probability of default of the customers assessed, each at their latest "
             "assessment up to the period end.", target=DEFAULT_PROBABILITY_TARGET),
    Kpi("High-risk customers", figures["high_risk_customers"], "count", better="lower",
        help="Customers rated High at their latest assessment up to the period end."),
    Kpi("Open fraud cases", figures["open_fraud_cases"], "count", better="lower",
        help="Fraud cases flagged and not yet closed (Open or Under Investigation) at the period end."),
])

month, loan_type = c.month("month"), c.text("loan_type", "Loan type")
amount_issued, loans_issued = c.money("amount_issued", "Amount lent"), c.count("loans_issued", "Loans issued")
active_loans = c.count("active_loans", "Active loans")
outstanding = c.money("outstanding_principal", "Outstanding principal")
by_type = data["loans_by_type_monthly"]

left, right = page.row()
page.chart(left, "Amount lent per month, by loan type", Chart(risk_charts.stacked_bars,
    by_type, month, amount_issued, loan_type, colors=None, currency=money, extra_tooltip=[loans_issued]),
    by_type.filter(by_type["loans_issued"] > 0), [month, loan_type, loans_issued, amount_issued])
page.chart(right, "Active loans at month end, by loan type", Chart(charts.line,
    by_type, month, active_loans, currency=money, color=loan_type, extra_tooltip=[outstanding]),
    by_type.filter(by_type["active_loans"] > 0), [month, loan_type, active_loans, outstanding])

left, right = page.row()
region, status = c.text("region", "Region"), c.text("status", "Status today")
loans, principal = c.count("loans", "Loans"), c.money("principal", "Principal lent")
by_region = data["loans_by_region_status"]
page.chart(left, "Loans issued in the period, by region and status", Chart(risk_charts.stacked_bars,
    by_region, region, principal, status, colors=risk_charts.LOAN_STATUS_COLORS, currency=money,
    extra_tooltip=[loans]), by_region, [region, status, loans, principal])

scatter, in_scope = data["rate_vs_amount"], data["loans_in_scope"]
rate = c.percent("interest_rate", "Interest rate (yearly)")
amount = c.money("principal", "Amount lent")
scatter_caption = (f"A fixed sample of {scatter.height:,} of the {in_scope:,} loans issued in the period."
                   if in_scope > scatter.height else f"All {in_scope:,} loans issued in the period.")
page.chart(right, "Interest rate vs amount of the loans issued", Chart(risk_charts.rate_vs_amount,
    scatter, amount, rate, loan_type, currency=money,
    extra_tooltip=[c.text("loan_id", "Loan"), c.count("term_months", "Term (months)"), status]),
    scatter, [c.text("loan_id", "Loan"), c.text("customer_id", "Customer"), loan_type, status, amount, rate,
              c.count("term_months", "Term (months)"), c.day("issue_date", "Issued"), region],
    caption=scatter_caption + " Amount on a logarithmic scale.")

left, right = page.row()
scores = data["credit_scores"]
band, customers = c.text("credit_score_band", "Credit score"), c.count("customers", "Customers")
share = c.percent("share", "Share of customers")
page.chart(left, "Credit score distribution (latest assessment)", Chart(charts.bar,
    scores, band, customers, currency=money, horizontal=False, sort_by_value=False, extra_tooltip=[share]),
    scores, [band, customers, share])
segments = data["default_probability_by_segment"]
segment, probability = c.text("segment", "Segment"), c.percent("default_probability", "Avg default probability")
segment_tips = [c.count("assessed_customers", "Customers assessed"),
                c.count("high_risk_customers", "Rated High"), c.percent("high_risk_share", "Share rated High"),
                c.number("expected_defaults", "Expected defaults in 12 months")]
page.chart(right, "Average default probability by segment (latest assessment)", Chart(charts.bar,
    segments, segment, probability, currency=money, extra_tooltip=segment_tips),
    segments, [segment, probability, *segment_tips])

left, right = page.row()
high_share = data["high_risk_share"]
with left:
    st.markdown("**Share of assessed customers rated High risk today**")
    if high_share is None:
        st.info("No risk assessments for these filters.", icon=":material/filter_alt_off:")
    else:
        draw(Chart(charts.gauge, high_share, target=HIGH_RISK_SHARE_TARGET,
                   bands=(HIGH_RISK_SHARE_TARGET, HIGH_RISK_SHARE_LIMIT), higher_is_better=False,
                   label="High-risk share", maximum=max(0.2, high_share * 1.2)))
        st.caption(f"{page.format(high_share, 'percent')} of customers assessed are rated High "
                   f"({data['high_risk_total']:,} customers). Target {page.format(HIGH_RISK_SHARE_TARGET, 'percent')}"
                   f", limit {page.format(HIGH_RISK_SHARE_LIMIT, 'percent')}.")
all_probability = (float(segments["expected_defaults"].sum()) / float(segments["assessed_customers"].sum())
                   if segments.height and segments["assessed_customers"].sum() else None)
with right:
    st.markdown("**Average default probability today**")
    if all_probability is None:
        st.info("No risk assessments for these filters.", icon=":material/filter_alt_off:")
    else:
        draw(Chart(charts.gauge, all_probability, target=DEFAULT_PROBABILITY_TARGET,
                   bands=(DEFAULT_PROBABILITY_TARGET, DEFAULT_PROBABILITY_LIMIT),
                   higher_is_better=False, label="Avg default probability",
                   maximum=max(0.1, all_probability * 1.2)))
        st.caption(f"Customers' average 12-month default probability: {page.format(all_probability, 'percent')}. "
                   f"Target {page.format(DEFAULT_PROBABILITY_TARGET, 'percent')}, limit "
                   f"{page.format(DEFAULT_PROBABILITY_LIMIT, 'percent')}.")

left, right = page.row()
fraud = data["fraud_by_status_monthly"]
fraud_status, cases = c.text("status", "Investigation status"), c.count("cases", "Cases")
at_stake = c.money("amount", "Amount at stake")
page.chart(left, "Fraud cases flagged per month, by status today", Chart(risk_charts.stacked_bars,
    fraud, month, cases, fraud_status, colors=risk_charts.FRAUD_STATUS_COLORS, currency=money,
    extra_tooltip=[at_stake]), fraud, [month, fraud_status, cases, at_stake])
by_status = data["fraud_by_status"]
page.chart(right, "Amount at stake in cases flagged in the period, by status", Chart(charts.bar,
    by_status, fraud_status, at_stake, currency=money, extra_tooltip=[cases]), by_status,
    [fraud_status, cases, at_stake])

high_risk = data["high_risk_customers"]
listed = (f"Showing the {high_risk.height:,} largest exposures of {data['high_risk_total']:,}."
          if data["high_risk_total"] > high_risk.height else None)
page.table("Customers rated High risk today", high_risk, [
    c.text("customer_id", "Customer"), c.text("full_name", "Name"), region, segment,
    c.day("assessed_on", "Assessed on"),
    c.count("credit_score", "Credit score"), c.percent("default_probability", "Default probability"),
    c.count("open_loans", "Open loans"), c.money("open_loan_principal", "Open loan principal"),
], key="risk_high_risk", customer_column="customer_id",
    caption=" ".join(filter(None, ["Largest exposure first.", listed])))

investigations = data["open_fraud_investigations"]
page.table("Open fraud investigations", investigations, [
    c.text("case_id", "Case"), c.text("status", "Status"), c.day("flagged_date", "Flagged on"),
    c.count("days_open", "Days open"), c.money("amount", "Amount at stake"), c.text("customer_id", "Customer"),
    c.text("full_name", "Name"), region, c.text("transaction_id", "Transaction"),
], key="risk_open_fraud", customer_column="customer_id", caption="Longest open first; days counted to the "
    "data's as-of date.")
page.finish()
