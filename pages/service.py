"""Service quality: how many contacts customers make, how well and how fast we resolve them, how satisfied they are."""

import polars as pl

from app import charts, service_charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import service

page = Page("Service quality", "Do we solve customers' issues the first time, quickly, and leave them satisfied?")
ctx, money = page.context, page.currency
as_of = f"{ctx.as_of:%b %d, %Y}" if ctx.as_of else "the data's as-of date"

page.stop_unless(service.has_data(ctx.db), "customer service contacts")

data = service.load(ctx.db, ctx.scope)
figures, trends = data["kpis"], data["trends"]
fcr_target, satisfaction_target = service.FCR_TARGET, service.SATISFACTION_TARGET

page.kpis([
    Kpi("Contacts", figures["contacts"], "count", better="neutral", trend=trends["contacts"],
        help="Contacts customers opened in the period, on every channel, repeats included."),
    Kpi("FCR", figures["fcr"], "percent", trend=trends["fcr"], target=fcr_target,
        help="First-contact resolution: share of first contacts resolved with no repeat about the same reason "
        "within 7 days."),
    Kpi("Avg satisfaction", figures["satisfaction"], "score", trend=trends["satisfaction"],
        target=satisfaction_target, help="Average score (1 to 5) customers gave; unscored contacts left out."),
    Kpi("Avg hours to close", figures["hours_to_close"], "number", better="lower", trend=trends["hours_to_close"],
        help="Average hours from opening to closing, over the contacts closed in the period."),
    Kpi("Repeat contacts", figures["repeat_share"], "percent", better="lower", trend=trends["repeat_share"],
        help="Share of contacts that repeat a contact about the same reason from the 7 days before."),
])

month, channel = c.month("month"), c.text("channel", "Channel")
contacts = c.count("contacts", "Contacts")

left, right = page.row()
volume = data["volume_by_channel"]
page.chart(left, "Contacts by channel", Chart(charts.stacked,
    volume, month, contacts, channel, currency=money),
           volume, [month, channel, contacts])

fcr = figures["fcr"].current
gauge_frame = pl.DataFrame({"fcr": [fcr], "target": [fcr_target]}) if fcr is not None else pl.DataFrame()
page.chart(right, f"First-contact resolution against the {fcr_target:.0%} target", Chart(charts.gauge,
    fcr, target=fcr_target, bands=service.FCR_BANDS, higher_is_better=True, label="First-contact resolution"),
    gauge_frame, [c.percent("fcr", "First-contact resolution"), c.percent("target", "Target")],
    caption=f"Red below {service.FCR_BANDS[0]:.0%}, amber below the target, green from it; the tick is the target.")
by_channel = data["fcr_by_channel"]
fcr_col = c.percent("fcr", "First-contact resolution")
fcr_details = [c.count("first_contacts", "First contacts"), c.count("resolved_first_contact", "Resolved at first")]
page.chart(right, "First-contact resolution by channel", Chart(charts.bar,
    by_channel, channel, fcr_col, currency=money, extra_tooltip=fcr_details, height=190),
    by_channel, [channel, fcr_col, *fcr_details],
    caption=f"First contacts in the 7 days before {as_of} count as resolved provisionally: a repeat may still come.")

left, right = page.row()
funnel = data["funnel"]
stage, stage_count = c.text("stage", "Stage"), c.count("count", "Contacts")
stage_details = [c.percent("share_of_contacts", "Share of all contacts"),
                 c.percent("share_of_previous", "Share of the stage before")]
page.chart(left, "Resolution funnel", Chart(service_charts.funnel,
    funnel, stage, stage_count, stage_details[0], currency=money, extra_tooltip=stage_details[1:]),
    funnel, [stage, stage_count, *stage_details],
    caption="Contacts opened, those that ended resolved, and first contacts resolved with no repeat within 7 days; "
    "each with its share of all contacts.")

satisfaction = data["satisfaction_by_reason"]
reason, score = c.text("reason", "Contact reason"), c.score("satisfaction", "Avg satisfaction")
satisfaction_details = [c.count("responses", "Scores given"), c.percent("response_rate", "Response rate")]
page.chart(right, "Satisfaction by contact reason", Chart(charts.bar,
    satisfaction, reason, score, currency=money, extra_tooltip=satisfaction_details),
    satisfaction, [reason, score, *satisfaction_details],
    caption=f"Average score from 1 (worst) to 5 (best); target {satisfaction_target:.1f}.")

left, right = page.row()
hours = data["resolution_time"]
hours_col = c.number("hours_to_close", "Avg hours to close")
page.chart(left, "Hours to close a contact, by channel", Chart(charts.line,
    hours, month, hours_col, currency=money, color=channel, extra_tooltip=[c.count("closed_contacts", "Closed")]),
    hours, [month, channel, hours_col, c.count("closed_contacts", "Contacts closed")],
    caption="By the month contacts closed; contacts still open are left out.")

issues = data["issues_by_group"]
category, segment = c.text("product_category", "Product category"), c.text("segment", "Customer segment")
page.chart(right, "Contacts by product category and customer segment", Chart(charts.bar,
    issues, category, contacts, currency=money, color=segment), issues, [category, segment, contacts],
    caption="\"No product\": contacts about no particular product.")

page.table("Contact reasons", data["top_reasons"], [
    reason, contacts, c.percent("share_of_contacts", "Share of contacts"),
    c.percent("repeat_share", "Repeat contacts"), c.percent("resolved_share", "Resolved"),
    c.percent("fcr", "First-contact resolution"), score, c.number("hours_to_close", "Avg hours to close"),
], key="service_reasons", caption="Most contacts first. Hours to close cover the contacts closed in the period.")
page.finish()
