"""Collections: are customers paying their bills on time, and what is chasing them achieving?"""

from datetime import date

import streamlit as st

from app import charts, collections_charts, fmt
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page, draw
from warehouse.queries import collections
from warehouse.queries.common import has_rows

# Thresholds the gauges are read against.
DEFAULT_RATE_TARGET, DEFAULT_RATE_LIMIT = 0.05, 0.08  # amount defaulted at D+60 / amount billed: lower is better
CURE_RATE_FLOOR, CURE_RATE_TARGET = 0.25, 0.35  # bills fully paid within 14 days of an action: higher is better
WORKED_FLOOR, WORKED_TARGET = 0.5, 0.8  # defaulted bills with at least one collection action: higher is better
PENDING_LABEL = "Pending: D+60 not reached"

page = Page("Collections", "Are customers paying their bills on time, and what is chasing the late ones "
            "achieving?")
ctx, money = page.context, page.currency
page.stop_unless(has_rows(ctx.db, "stg_bills"), "bills, payments and collection actions")


def _month_label(value: str) -> str:
    return fmt.month(date.fromisoformat(value))


# -- controls: they change everything below them ------------------------------------------------------------
options = [m.isoformat() for m in collections.due_months(ctx.scope)]
chosen = st.session_state.get("collections.months")
if chosen is not None and (len(chosen) != 2 or not set(chosen) <= set(options)):
    del st.session_state["collections.months"]  # a range from another period: start again from the whole period
slider, measure, splitter = st.columns([5, 4, 5], vertical_alignment="bottom", gap="medium")
months = None
if len(options) > 1:
    first, last = slider.select_slider(
        "Due months", options=options, value=(options[0], options[-1]), format_func=_month_label,
        key="collections.months", bind="query-params",
        help="Bills by the month they fell due; narrows every figure on the page within the sidebar period.")
    months = (date.fromisoformat(first), date.fromisoformat(last))
metric = measure.segmented_control(
    "Measure by group", list(collections.METRICS), format_func=collections.METRICS.get, default="default_rate",
    required=True, key="collections.metric", bind="query-params",
    help="What the chart by group shows: default rate at D+60, amount billed, or amount paid by D+60.")
split = splitter.segmented_control(
    "Group by", list(collections.SPLITS), format_func=collections.SPLITS.get, default="income_band",
    required=True, key="collections.split", bind="query-params", help="The customer groups of the chart by group.")

data = collections.load(ctx.db, ctx.scope, months=months, metric=metric or "default_rate",
                        split=split or "income_band")
figures, trends, pending_months = data["kpis"], data["trends"], data["pending_months"]
pending_bills = int(figures["pending_bills"].current or 0)

page.kpis([
    Kpi("Billed", figures["billed"], "money", trend=trends["billed"],
        help="Amount billed on the bills due in the period, including those still pending."),
    Kpi("Default rate (D+60)", figures["default_rate"], "percent", better="lower", trend=trends["default_rate"],
        target=DEFAULT_RATE_TARGET,
        help="Amount still owed 60 days after the due date on defaulted bills / amount billed, over the bills "
             f"whose D+60 has passed. {pending_bills:,} bills due in the period are still pending and not counted."),
    Kpi("Amount defaulted", figures["defaulted_amount"], "money", better="lower", trend=trends["defaulted_amount"],
        help="Amount still owed 60 days after the due date on the bills that defaulted (pending bills excluded)."),
    Kpi("Actions taken", figures["actions"], "count", better="neutral", trend=trends["actions"],
        help="Collection actions recorded in the period (reminders, calls, letters, arrangements, visits), "
             "including those recorded live in the app."),
    Kpi("Cure rate", figures["cure_rate"], "percent", trend=trends["cure_rate"], target=CURE_RATE_TARGET,
        help="Share of the actions on open bills after which the bill was fully paid within 14 days; actions "
             "whose 14 days are not over yet are left out."),
])

# -- gauges ------------------------------------------------------------------------------------------------
gauges = st.columns(3, gap="medium")
for where, title, value, target, bands, higher, note in (
    (gauges[0], "Default rate at D+60", figures["default_rate"].current, DEFAULT_RATE_TARGET,
     (DEFAULT_RATE_TARGET, DEFAULT_RATE_LIMIT), False,
     f"Target {fmt.percent(DEFAULT_RATE_TARGET)}, alarm above {fmt.percent(DEFAULT_RATE_LIMIT)}."),
    (gauges[1], "Cure rate after an action", figures["cure_rate"].current, CURE_RATE_TARGET,
     (CURE_RATE_FLOOR, CURE_RATE_TARGET), True,
     f"Target {fmt.percent(CURE_RATE_TARGET)}, alarm below {fmt.percent(CURE_RATE_FLOOR)}."),
    (gauges[2], "Defaulted bills worked", figures["worked_share"].current, WORKED_TARGET,
     (WORKED_FLOOR, WORKED_TARGET), True,
     f"Share of defaulted bills with at least one collection action. Target {fmt.percent(WORKED_TARGET)}."),
):
    with where:
        st.markdown(f"**{title}: {fmt.percent(value)}**")
        if value is None:
            st.info("No final figure for these filters yet.", icon=":material/filter_alt_off:")
            continue
        maximum = 1.0 if higher else max(0.2, value * 1.25, bands[1] * 1.5)
        draw(Chart(charts.gauge, value, target=target, bands=bands, higher_is_better=higher, label=title,
                   maximum=maximum, currency=money))
        st.caption(note)

# -- default rate by due month ------------------------------------------------------------------------------
month = c.month("month", "Due month")
pending_note = (f" Shaded: {', '.join(fmt.month(m) for m in pending_months)}, whose D+60 is not reached yet; "
                "only the checkpoints every bill has reached are drawn, dashed." if pending_months else "")
left, right = page.row()
curve = data["default_curve"]
checkpoint, rate = c.text("checkpoint", "Checkpoint"), c.percent("rate", "Share still unpaid")
curve_tips = [c.money("outstanding", "Still owed"), c.money("base", "Billed")]
page.chart(left, "Default rate by due month, D-3 to D+60", Chart(collections_charts.pending_lines,
    curve, month, rate, color=checkpoint, order=[label for _, label in collections.CHECKPOINTS],
    colors=collections_charts.CHECKPOINT_COLORS, pending_months=pending_months, zone_label=PENDING_LABEL,
    extra_tooltip=curve_tips, currency=money),
    curve, [month, checkpoint, rate, *curve_tips],
    caption="Share of the amount billed still unpaid 3 days before the due date, on it, and 7 to 60 days "
            "after; the D+60 line is the default rate." + pending_note)

grouped, metric, split = data["by_split"], data["metric"], data["split"]
group = c.text(split, collections.SPLITS[split])
group_order = collections.split_order(split, grouped[split].to_list()) if grouped.height else []
group_colors = charts.PALETTE if split == "income_band" else None
split_tips = [c.money("billed", "Billed"), c.money("paid", "Paid by D+60"),
              c.money("defaulted_amount", "Amount defaulted"), c.percent("default_rate", "Default rate (D+60)"),
              c.count("bills", "Bills past D+60")]
split_name = collections.SPLITS[split].lower()
if metric == "default_rate":
    value = c.percent("default_rate", "Default rate (D+60)")
    title = f"Default rate at D+60 by due month and {split_name}"
    by_due_month = Chart(collections_charts.pending_lines,
        grouped, month, value, color=group, order=group_order if group_colors else None, colors=group_colors,
        pending_months=pending_months, zone_label=PENDING_LABEL, extra_tooltip=[*split_tips[:3], split_tips[4]],
        currency=money)
    shown = grouped.filter(grouped["default_rate"].is_not_null())
else:
    value = c.money("billed", "Billed") if metric == "billed" else c.money("paid", "Paid by D+60")
    title = (f"Amount billed by due month and {split_name}" if metric == "billed"
             else f"Amount paid by D+60 by due month and {split_name}")
    by_due_month = Chart(collections_charts.pending_bars,
        grouped, month, value, group, pending_months=pending_months, zone_label=PENDING_LABEL,
        extra_tooltip=[t for t in split_tips if t.name != value.name], currency=money)
    shown = grouped.filter(grouped[value.name].is_not_null())
page.chart(right, title, by_due_month, shown, [month, group, *split_tips],
           caption="Change the measure and the grouping above. " + (
               "Pending months are drawn lighter: their bills are billed but not yet judged." if metric == "billed"
               else "Pending months have no D+60 figure yet."))

# -- collection work ----------------------------------------------------------------------------------------
left, right = page.row()
actions = data["actions_monthly"].with_columns(is_pending=False)
action_type, taken = c.text("action_type", "Action"), c.count("actions", "Actions")
page.chart(left, "Collection actions per month, by type", Chart(collections_charts.pending_bars,
    actions, c.month("month"), taken, action_type, currency=money), actions,
    [c.month("month"), action_type, taken, c.count("actions_on_bills", "About one bill")])
by_type = data["actions_by_type"]
type_tips = [c.percent("share", "Share of actions"), c.count("actions_on_open_bills", "On open bills"),
             c.percent("cure_rate", "Cure rate")]
page.chart(right, "Actions taken in the period, by type", Chart(charts.bar,
    by_type, action_type, taken, currency=money, extra_tooltip=type_tips), by_type,
    [action_type, taken, *type_tips, c.count("cured_actions", "Cured")])

left, right = page.row()
cure = data["cure_monthly"]
cure_rate = c.percent("cure_rate", "Cure rate")
cure_tips = [c.count("actions_on_open_bills", "Actions on open bills"), c.count("cured_actions", "Cured"),
             c.count("pending_actions", "Window still open")]
cure_pending = cure.filter(cure["is_pending"])["month"].to_list()
page.chart(left, "Cure rate after an action, by month of the action", Chart(collections_charts.pending_lines,
    cure, c.month("month"), cure_rate, pending_months=cure_pending, zone_label="Pending: 14 days not over",
    extra_tooltip=cure_tips, currency=money),
    cure.filter(cure["cure_rate"].is_not_null()), [c.month("month"), cure_rate, *cure_tips],
    caption="Share of the actions on open bills after which the bill was fully paid within 14 days." + (
        " The shaded month still has actions whose 14 days are not over; its rate covers the others only."
        if cure_pending else ""))
cured_by_type = by_type.filter(by_type["cure_rate"].is_not_null())
page.chart(right, "Cure rate by type of action", Chart(charts.bar,
    cured_by_type, action_type, cure_rate, currency=money,
    extra_tooltip=[c.count("actions_on_open_bills", "Actions on open bills"), c.count("cured_actions", "Cured")]),
    cured_by_type, [action_type, cure_rate, c.count("actions_on_open_bills", "Actions on open bills"),
                    c.count("cured_actions", "Cured")])

left, right = page.row()
worked = data["defaulted_bills_worked"].with_columns(is_pending=False)
worked_share = c.percent("worked_share", "Defaulted bills worked")
per_bill = c.number("actions_per_bill", "Actions per defaulted bill")
worked_tips = [c.count("defaulted_bills", "Defaulted bills"), c.count("actioned_defaulted_bills", "Worked"),
               c.count("actions_on_defaulted_bills", "Actions on them")]
page.chart(left, "Share of defaulted bills worked, by due month", Chart(collections_charts.pending_lines,
    worked, month, worked_share, extra_tooltip=[*worked_tips, per_bill], currency=money),
    worked, [month, worked_share, per_bill, *worked_tips],
    caption="Defaulted bills with at least one collection action recorded against them.")
page.chart(right, "Collection actions per defaulted bill, by due month", Chart(collections_charts.pending_lines,
    worked, month, per_bill, extra_tooltip=worked_tips, currency=money),
    worked, [month, per_bill, *worked_tips],
    caption="Actions about a customer as a whole cannot be tied to one bill and are not counted.")

page.table("Collections by due month", data["detail"], [
    month, c.text("status", "Status", help="Pending: some bills of the month have not reached D+60 yet, so its "
                                           "default figures are not known."),
    c.count("all_bills", "Bills due"), c.money("billed", "Billed"),
    c.percent("default_rate", "Default rate"), c.money("defaulted_amount", "Amount defaulted"),
    c.money("paid", "Paid by D+60"), c.count("actions", "Actions taken"), c.percent("cure_rate", "Cure rate"),
    c.percent("worked_share", "Defaulted bills worked"),
], key="collections_by_month", caption="Latest month first. Pending months have no default figures yet.")
page.finish()
