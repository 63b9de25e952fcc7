"""Receivables: what customers owe on a chosen date, how late it is, where, and what collections last did."""

import streamlit as st

from app import charts, fmt
from app import columns as c
from app.receivables_charts import aging_stacked
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import receivables

page = Page("Receivables", "What do customers owe us, how much of it is overdue, where, and who chased it last?")
ctx, money = page.context, page.currency
CHANNEL_KEY = "receivables.channel"
AGING_HEIGHT = 500  # axes and legend included: room for 20 locations; the month-end chart beside it matches
path = page.selection(CHANNEL_KEY, "Channel", drill=True, root="All channels")

data_date = ctx.as_of or ctx.options.last_date
picker, evolution, note = st.columns([2, 3, 3], vertical_alignment="bottom")
as_of = picker.date_input(
    "Position on", value=data_date, min_value=ctx.options.first_date, max_value=data_date,
    key="receivables.as_of", bind="query-params", format="YYYY-MM-DD",
    help="The receivables position on any past date, rebuilt from bills and payments.",
)
measure = evolution.radio("Month-end evolution of", ["Overdue amount", "Share overdue"], horizontal=True,
                          key="receivables.evolution", help="What the line chart of month ends shows.")
data = receivables.load(ctx.db, ctx.scope, as_of=as_of, channel_path=tuple(path))
if as_of == data_date:
    note.caption(f"Position on the data as-of date, {data_date:%b %d, %Y}.")
else:
    note.caption(f"Position on {as_of:%b %d, %Y}, restated: payments known today are applied as of that date.")

page.stop_unless(data["has_bills"], "receivables: bills and payments")

figures, trends = data["kpis"], data["month_ends"]
versus = f"Change against the position on {data['previous_as_of']:%b %d, %Y}, one period earlier."
page.kpis([
    Kpi("Receivables", figures["open_amount"], "money", better="neutral", trend=trends["open_amount"],
        help=f"Amount still owed on all open bills. {versus}"),
    Kpi("Overdue", figures["overdue_amount"], "money", better="lower", trend=trends["overdue_amount"],
        help=f"Owed on bills past their due date. {versus}"),
    Kpi("Share overdue", figures["share_overdue"], "percent", better="lower", trend=trends["share_overdue"],
        help=f"Overdue amount / open receivables. {versus}"),
    Kpi("Bills in default", figures["bills_in_default"], "count", better="lower",
        help=f"Open bills more than 60 days past due with more than "
             f"{fmt.money(data['default_tolerance'], money)} still owed. {versus}"),
    Kpi("Late customers", figures["customers_overdue"], "count", better="lower",
        help=f"Customers with at least one overdue bill. {versus}"),
    Kpi("Over 90 days", figures["over_90_amount"], "money", better="lower", trend=trends["over_90_amount"],
        help=f"Owed on bills more than 90 days past due. {versus}"),
])

left, right = page.row()
channels = data["by_channel"]
at_leaf = len(path) >= 2
level = c.text("channel", "Subchannel" if path else "Sales channel")
open_amount, overdue = c.money("open_amount", "Open amount"), c.money("overdue_amount", "Overdue amount")
share, bills = c.percent("share_overdue", "Share overdue"), c.count("open_bills", "Open bills")
page.chart(
    left, f"Open receivables by subchannel: {path[0]}" if path else "Open receivables by sales channel",
    Chart(charts.bar, channels, level, open_amount, currency=money, select=None if at_leaf else "pick",
                       selected=path[1:2], extra_tooltip=[overdue, share, bills]),
    channels, [level, open_amount, overdue, share, bills], select=None if at_leaf else CHANNEL_KEY,
    caption=("Showing the subchannel chosen; step back with the breadcrumb above." if at_leaf else
             "Click a bar to focus the page on it" + ("." if path else " and see its subchannels.")),
)

month_end, total = c.month("month_end", "Month end"), c.money("open_amount", "Open receivables")
line_value, other = (overdue, share) if measure == "Overdue amount" else (share, overdue)
page.chart(right, f"{measure} at each month end", Chart(charts.line,
    trends, month_end, line_value, currency=money, extra_tooltip=[total, other]),
    trends, [month_end, total, overdue, share, c.money("over_90_amount", "Over 90 days"), bills],
    caption="Month ends of the period; the current month appears once its month end is reached.")

left, right = page.row()
buckets = data["aging_buckets"]
bucket = c.text("aging_bucket", "Days past due")
by_month = data["aging_by_month_end"]
page.chart(left, "Open receivables by aging bucket at each month end", Chart(aging_stacked,
    by_month, month_end, open_amount, bucket, buckets=buckets, currency=money, extra_tooltip=[bills],
    height=AGING_HEIGHT),
    by_month, [c.day("month_end", "Month end"), bucket, open_amount, bills])
by_location = data["aging_by_location"]
location = c.text("location", "Location")
largest = by_location["location"].unique(maintain_order=True).head(20).to_list()  # rows come largest location first
page.chart(right, f"Open receivables by location and aging bucket on {data['as_of']:%b %d, %Y}",
           Chart(aging_stacked, by_location.filter(by_location["location"].is_in(largest)), location,
                                 open_amount, bucket, buckets=buckets, currency=money, horizontal=True,
                                 extra_tooltip=[bills], height=AGING_HEIGHT),
           by_location, [location, bucket, open_amount, bills],
           caption="The 20 locations owed the most." if by_location["location"].n_unique() > 20 else None)

page.table("Last collection action per customer, and by whom", data["last_actions"], [
    c.text("customer_id", "Customer"), c.text("customer_name", "Name"),
    c.timestamp("last_action_at", "Last action"), c.text("last_action_type", "Action"),
    c.text("last_action_by", "By"), c.text("last_action_outcome", "Outcome"),
    c.money("open_amount", "Owed"), c.money("overdue_amount", "Overdue"), c.count("open_bills", "Open bills"),
    c.count("max_days_past_due", "Most days past due"), c.count("collection_actions", "Actions in total"),
    c.text("region", "Region"), c.text("segment", "Segment"),
], key="receivables_last_actions", customer_column="customer_id",
    caption=f"What they owe on {data['as_of']:%b %d, %Y}; the last action is the latest recorded to date.")
page.finish()
