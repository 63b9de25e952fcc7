"""Digital engagement: who uses our digital channels, on which devices, for what, and does it go with growth."""

import streamlit as st

from app import charts
from app import columns as c
from app import customers_charts as cc
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import digital

page = Page("Digital engagement", "How many customers bank digitally, on which devices, doing what, and do the "
            "engaged ones grow their balances more?")
ctx, money = page.context, page.currency

# layout first, so the grain control sits above its chart and is read before the one data call
cards = st.container()
row_users = page.row()
with row_users[0]:
    grain = st.segmented_control("Active users by", ["Month", "Day"], default="Month", required=True,
                                 key="digital.users_grain", bind="query-params", label_visibility="collapsed",
                                 help="Monthly active users, or daily active users.")
data = digital.load(ctx.db, ctx.scope, users_grain=(grain or "Month").lower())

page.stop_unless(data["has_data"], "digital sessions")

figures, months = data["kpis"], data["monthly"]
with cards:
    page.kpis([
        Kpi("Active users", figures["monthly_active_users"], "count", trend=months["active_users"],
            help="Customers with at least one digital session in the period's last month, on any device."),
        Kpi("Sessions", figures["sessions"], "count", trend=months["sessions"],
            help="Digital sessions started in the period."),
        Kpi("Mobile adoption", figures["mobile_adoption"], "percent", trend=months["mobile_adoption"],
            help="Share of the last month's active users who used the Mobile App."),
        Kpi("Session minutes", figures["session_minutes"], "number", better="neutral",
            trend=months["session_minutes"], help="Average length of the period's sessions, in minutes."),
        Kpi("Actions per session", figures["actions_per_session"], "score", trend=months["actions_per_session"],
            help="Payments, transfers, trades and other actions completed per session."),
    ])

# -- users and devices ----------------------------------------------------------------------------------------
users = data["users"]
users_col = c.count("active_users", "Active users")
sessions = c.count("sessions", "Sessions")
if grain == "Day":
    when = c.day("day", "Day")
    page.chart(row_users[0], "Daily active users", Chart(charts.line,
        users, when, users_col, currency=money, extra_tooltip=[sessions]),
        users, [when, users_col, sessions], caption="Customers with at least one session that day.")
else:
    when = c.month("month")
    page.chart(row_users[0], "Monthly active users", Chart(charts.line,
        users, when, users_col, currency=money, extra_tooltip=[sessions]),
        users, [when, users_col, sessions], caption="Customers with at least one session in the month, on any "
                                                    "device.")

mix = data["device_mix"]
device = c.text("device", "Device")
page.chart(row_users[1], "Sessions by device", Chart(charts.donut, mix, device, sessions, currency=money),
           mix, [device, sessions, c.percent("session_share", "Share of sessions"),
                 c.number("session_minutes", "Avg session (minutes)"),
                 c.count("last_month_users", "Users in the last month"),
                 c.percent("user_share", "Share of the last month's active users")],
           caption="Sessions over the period. Export the page for users per device (a customer on two devices "
                   "counts on both).")

# -- what they do, and who ----------------------------------------------------------------------------------
left, right = page.row()
actions = data["top_actions"]
action = c.text("action_type", "Main action")
action_extra = [c.percent("share", "Share of sessions"), c.number("session_minutes", "Avg session (minutes)"),
                c.number("actions_per_session", "Actions per session")]
page.chart(left, "What customers do: sessions by main action", Chart(charts.bar,
    actions, action, sessions, currency=money, extra_tooltip=action_extra), actions,
    [action, sessions, *action_extra])

usage = data["usage_by_age_band"]
age_band, share = c.text("age_band", "Age band"), c.percent("share_of_age_band", "Share of the age band's sessions")
devices = mix["device"].to_list() + sorted(set(usage["device"]) - set(mix["device"]))
page.chart(right, "Devices by age band: share of each age band's sessions", Chart(cc.labelled_heatmap,
    usage, device, age_band, share, currency=money, x_sort=devices,
    y_sort=usage.sort("age_band_order")["age_band"].unique(maintain_order=True).to_list(),
    extra_tooltip=[sessions, c.number("session_minutes", "Avg session (minutes)")]),
    usage, [age_band, device, sessions, share, c.number("session_minutes", "Avg session (minutes)")],
    caption="Each row adds up to 100%. Age at the data's as-of date.")

# -- length and value -----------------------------------------------------------------------------------------
left, right = page.row()
length = data["session_length"]
minutes = c.number("session_minutes", "Avg session (minutes)")
page.chart(left, "Average session length by device (minutes)", Chart(charts.line,
    length, c.month("month"), minutes, color=device, currency=money, extra_tooltip=[sessions]),
    length, [c.month("month"), device, sessions, minutes])

growth = data["engagement_vs_growth"]
engaged = c.number("sessions_per_customer", "Sessions per customer (12 months)")
grew = c.percent("balance_growth_rate", "Balance growth (12 months)")
customers_col = c.count("customers", "Customers")
growth_extra = [c.money("growth_per_customer", "Growth per customer"), c.money("start_balance", "Balance a year ago"),
                c.money("end_balance", "Balance now")]
end = growth["end_month_end"].max() if not growth.is_empty() else None
page.chart(right, "Do engaged customers grow their balances more?", Chart(cc.bubbles,
    growth, engaged, grew, customers_col, c.text("segment", "Segment"),
    label=c.text("engagement_band", "Digital engagement"), extra_tooltip=growth_extra, currency=money),
    growth, [c.text("engagement_band", "Digital engagement"), c.text("segment", "Segment"), customers_col, engaged,
             *growth_extra, grew],
    caption=(f"One bubble per engagement band and segment: sessions and balance change in the twelve months to "
             f"{end:%b %d, %Y}; the period does not apply.") if end else None)

# -- detail -------------------------------------------------------------------------------------------------
page.table("Digital activity month by month", months, [
    c.month("month"), c.count("active_users", "Active users"), c.count("mobile_app_users", "Mobile App users"),
    c.percent("mobile_adoption", "Mobile adoption"), sessions, c.number("sessions_per_user", "Sessions per user"),
    c.number("session_minutes", "Avg session (minutes)"), c.number("actions_per_session", "Actions per session"),
    c.number("pages_per_session", "Pages per session"),
], key="digital_monthly")
page.finish()
