"""Customers & churn: how the customer base grows, who our customers are, how long they stay and why they leave."""

import polars as pl
import streamlit as st

from app import charts, fmt
from app import columns as c
from app import customers_charts as cc
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import customers

page = Page("Customers & churn", "Is the customer base growing, who are our customers, how long do they stay, "
            "and why do they leave?")
ctx, money = page.context, page.currency
segments = page.selection("customers.segment", "Segment")  # a click on "Active customers by segment"

# layout first, so the churn grain control sits above its chart and is read before the one data call
cards = st.container()
row_growth = page.row()
row_churn = page.row()
with row_churn[0]:
    grain = st.segmented_control("Churn by", ["Month", "Quarter"], default="Month", required=True,
                                 key="customers.churn_grain", bind="query-params", label_visibility="collapsed",
                                 help="Show product exits per month or per quarter.")
data = customers.load(ctx.db, ctx.scope, churn_grain=(grain or "Month").lower(), selected_segments=tuple(segments))

page.stop_unless(data["has_data"], "customer accounts")

figures, growth = data["kpis"], data["growth"]
with cards:
    page.kpis([
        Kpi("Active customers", figures["active_customers"], "count", trend=growth["end_customers"],
            help="Customers holding at least one open account at the period end."),
        Kpi("New customers", figures["new_customers"], "count", trend=growth["new_customers"],
            help="Customers whose first account opened in the period."),
        Kpi("Churned customers", figures["churned_customers"], "count", better="lower",
            trend=growth["churned_customers"], help="Customers whose last open account closed in the period."),
        Kpi("Churn rate", figures["churn_rate"], "percent", better="lower", trend=growth["churn_rate"],
            help="Average monthly churn: customers churned in a month over customers active at its start, "
                 "weighted over the months of the period."),
        Kpi("Retention", figures["retention"], "percent", trend=growth["retention_rate"],
            help="Share of the customers active at the period start who were still active at its end."),
    ])

# -- growth -------------------------------------------------------------------------------------------------
month, channel = c.month("month"), c.text("acquisition_channel", "Channel")
new = c.count("new_customers", "New customers")
acquisition = data["acquisition"]
page.chart(row_growth[0], "New customers by acquisition channel", Chart(charts.stacked,
    acquisition, month, new, channel, currency=money, scale=cc.channel_scale(acquisition[channel.name].to_list()),
    legend_columns=4),
    acquisition, [month, channel, new],
    caption="By enrollment month; the channel is the one the customer's first account was opened through.")

steps = data["waterfall"]
page.chart(row_growth[1], "How the customer base changed over the period", Chart(cc.waterfall,
    steps, currency=money), steps, [c.text("step", "Step"), c.count("change", "Customers")],
    caption="Customers at the start + new + returning − churned = customers at the end.")

# -- churn and segments -------------------------------------------------------------------------------------
reasons = data["churn_reasons"]
period_col = c.month("period", "Quarter" if grain == "Quarter" else "Month")
reason, exits = c.text("reason", "Reason"), c.count("product_exits", "Product exits")
reason_extra = [c.count("customer_churn_exits", "Of which the customer left"),
                c.count("recovered_exits", "Won back"), c.money("lifetime_value", "Lifetime value lost"),
                c.score("exit_score", "Exit survey score (1-5)")]
page.chart(row_churn[0], f"Why customers leave: product exits by reason, per {grain.lower()}",
           Chart(charts.stacked, reasons, period_col, exits, reason, currency=money, grain=grain.lower(),
                                  extra_tooltip=reason_extra[:2], legend_columns=4),
           reasons, [period_col, reason, exits, *reason_extra],
           caption="A product exit is a customer leaving one product; \"of which the customer left\" counts exits "
                   "that closed the customer's last account.")

mix = data["segment_mix"]
segment, active = c.text("segment", "Segment"), c.count("customers", "Active customers")
share = c.percent("share", "Share of customers")
page.chart(row_churn[1], "Active customers by segment at the period end", Chart(charts.bar,
    mix, segment, active, currency=money, select="pick", selected=segments, extra_tooltip=[share]),
    mix, [segment, active, share], select="customers.segment",
    caption="Click a segment to focus the page on it.")

# -- cohorts --------------------------------------------------------------------------------------------------
cohorts = data["cohorts"]
cohort_grain = data["cohort_grain"]
label = {"month": "%b %Y", "quarter": None, "year": "%Y"}[cohort_grain]
cohorts = cohorts.with_columns(
    (pl.col("cohort").dt.strftime(label) if label else
     pl.format("Q{} {}", pl.col("cohort").dt.quarter(), pl.col("cohort").dt.year())).alias("cohort_label"))
order = cohorts.sort("cohort")["cohort_label"].unique(maintain_order=True).to_list()
cohort, since = c.text("cohort_label", f"Enrolled in ({cohort_grain})"), c.count("months_since_enrollment",
                                                                                  "Months since enrollment")
kept = c.percent("retention_share", "Still active")
cohort_extra = [c.count("cohort_customers", "Customers in the cohort"),
                c.count("active_customers", "Still active customers")]
page.chart(st.container(), "Retention of customers who enrolled in the period, by months since enrollment",
           Chart(charts.heatmap, cohorts, since, cohort, kept, currency=money, y_sort=order,
                                  extra_tooltip=cohort_extra, height=max(220, min(620, 28 * len(order)))),
           cohorts.select("cohort", "months_since_enrollment", "cohort_customers", "active_customers",
                          "retention_share"),
           [c.month("cohort", "Cohort"), since, *cohort_extra, kept],
           caption=f"Each row is a {cohort_grain}'s enrollment cohort; each cell, the share of it still active "
                   f"that many months later (first {customers.COHORT_MONTHS_SHOWN} months). The last cell of a "
                   f"row is the current month.")

# -- who the customers are --------------------------------------------------------------------------------------
left, right = page.row()
by_age = data["balance_by_age_band"]
bands = by_age.sort("age_band_order")["age_band"].unique(maintain_order=True).to_list()
age_band, average = c.text("age_band", "Age band"), c.money("average_balance", "Average balance")
age_extra = [c.count("customers", "Customers"), c.money("total_balance", "Total balance")]
as_of = by_age["balance_month_end"].max() if not by_age.is_empty() else None
page.chart(left, "Average balance by segment and age band", Chart(cc.labelled_heatmap,
    by_age, age_band, segment, average, currency=money, x_sort=bands,
    y_sort=[s for s in ctx.options.segments if s in by_age["segment"].to_list()], extra_tooltip=age_extra),
    by_age, [segment, age_band, *age_extra, average],
    caption=f"Balances at {as_of:%b %d, %Y}, the latest month end; the period does not apply." if as_of else None)

grid = data["tenure_balance"]
symbol = fmt.symbol(money)


def balance_label(band: int) -> str:
    low, high = customers.balance_bounds(band)
    if low is None:
        return f"Under {symbol}{fmt.compact(high, 0)}"
    if high is None:
        return f"{symbol}{fmt.compact(low, 0)}+"
    return f"{symbol}{fmt.compact(low, 0)}–{symbol}{fmt.compact(high, 0)}"


balance_names = [balance_label(b) for b in range(len(customers.BALANCE_EDGES) + 1)]
tenure_names = [customers.tenure_label(b) for b in range(len(customers.TENURE_EDGES) + 1)]
grid = grid.with_columns(pl.col("balance_band").replace_strict(dict(enumerate(balance_names)), return_dtype=pl.String)
                         .alias("balance"))
tenure, balance = c.text("tenure", "Years with the bank"), c.text("balance", "Balance")
in_grid = c.count("customers", "Customers")
grid_extra = [c.percent("share", "Share of customers"), c.money("average_balance", "Average balance"),
              c.money("total_balance", "Total balance")]
page.chart(right, "Customers by balance and time with the bank", Chart(cc.labelled_heatmap,
    grid, tenure, balance, in_grid, currency=money, x_sort=tenure_names, y_sort=balance_names[::-1],
    extra_tooltip=grid_extra, x_title=True), grid, [tenure, balance, in_grid, *grid_extra],
    caption="Customers holding a balance at the latest month end; the period does not apply.")

# -- account flow -----------------------------------------------------------------------------------------------
flows = data["account_flows"]
flow_levels = [c.text("channel", "Channel"), c.text("product_category", "Product category"),
               c.text("account_status", "Status now")]
accounts = c.count("accounts", "Accounts")
page.chart(st.container(), "Accounts opened in the period: channel → product category → status today",
           Chart(cc.flow, flows, flow_levels, accounts, currency=money, link_colors={
               "channel": cc.channel_scale(flows["channel"].to_list()),
               "account_status": cc.status_scale(flows["account_status"].to_list())}),
           flows, [*flow_levels, accounts],
           caption="Band widths are accounts. Hover a band or a bar for the numbers.")

# -- detail ---------------------------------------------------------------------------------------------------
page.table("Customer base month by month", growth, [
    month, c.count("start_customers", "Active at start"), c.count("new_customers", "New"),
    c.count("returning_customers", "Returning"), c.count("churned_customers", "Churned"),
    c.count("end_customers", "Active at end"), c.percent("churn_rate", "Churn rate"),
    c.percent("retention_rate", "Retention in the month"),
], key="customers_monthly")
page.finish()
