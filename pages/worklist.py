"""Worklist: the overdue bills to chase today; select some, send reminder e-mails or record what was done."""

import uuid

import streamlit as st

from app import charts, export, fmt, mailer, worklist_flow
from app import columns as c
from app.connection import warehouse_path
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.actions import NAME_MAX, NOTE_MAX, OUTCOMES
from warehouse.queries import worklist

page = Page("Worklist", "Which overdue bills do we chase today, and what have we already done about them?")
ctx, money = page.context, page.currency
gateway = ctx.db.gateway
GENERATION, RESULT, USER, ENTRY = "worklist.generation", "worklist.result", "worklist.user", "worklist.entry"
generation = st.session_state.get(GENERATION, 0)  # bumped after each recorded action: new keys clear the
table_key = f"worklist.bills.{generation}"        # selection and the note


def signed_in_user() -> str | None:
    """The logged-in user's name or e-mail when authentication is configured and they are logged in."""
    if not st.user.get("is_logged_in"):
        return None
    return str(st.user.get("name") or st.user.get("email") or "") or None


def keep_name() -> None:
    st.session_state[USER] = st.session_state["worklist.user_input"].strip()


# -- filters ---------------------------------------------------------------------------------------------------

options = worklist.options(ctx.db, ctx.scope)
group_names, collector_names = options["billing_groups"], options["collectors"]
by_group, by_collector, by_bucket, by_amount = st.columns(4)
groups = by_group.multiselect("Billing group", list(group_names), format_func=lambda g: group_names.get(g, g),
                              key="worklist.groups", placeholder="All billing groups")
collectors = by_collector.multiselect("Collector", list(collector_names),
                                      format_func=lambda e: collector_names.get(e, e), key="worklist.collectors",
                                      placeholder="All collectors")
buckets = by_bucket.multiselect("Days past due", options["buckets"], key="worklist.buckets",
                                placeholder="Any aging bucket")
min_amount = by_amount.number_input(f"Owed on the bill at least ({fmt.symbol(money).strip()})", min_value=0.0,
                                    value=0.0, step=100.0, key="worklist.min_amount")
data = worklist.load(ctx.db, ctx.scope, billing_groups=tuple(groups), collectors=tuple(collectors),
                     buckets=tuple(buckets), min_amount=min_amount or None)
bills, figures = data["bills"], data["kpis"]
if data["as_of"]:
    st.caption(f"Bills open and past due on {data['as_of']:%b %d, %Y} (the data as-of date); the sidebar's "
               "region, segment and tier filters apply, its period does not. Last actions include those "
               "recorded here.")

page.kpis([
    Kpi("Overdue bills", figures["bills"], "count", help="Bills past their due date with an amount still owed."),
    Kpi("Customers to chase", figures["customers"], "count", help="Customers owing on those bills."),
    Kpi("Owed on them", figures["open_amount"], "money", help="Amount still owed on the overdue bills."),
    Kpi("Over 90 days", figures["over_90_amount"], "money", help="Owed on bills more than 90 days past due."),
    Kpi("Never chased", figures["never_chased"], "count",
        help="Customers of these bills with no collection action on record."),
])

left, right = page.row()
bucket, owed = c.text("aging_bucket", "Days past due"), c.money("open_amount", "Owed")
counts = [c.count("bills", "Bills"), c.count("customers", "Customers")]
page.chart(left, "Owed on overdue bills by days past due", Chart(charts.bar,
    data["by_bucket"], bucket, owed, currency=money, horizontal=False, sort_by_value=False, extra_tooltip=counts),
    data["by_bucket"], [bucket, owed, *counts])
collector = c.text("collector_name", "Collector")
page.chart(right, "Owed on overdue bills by collector", Chart(charts.bar,
    data["by_collector"], collector, owed, currency=money, extra_tooltip=counts),
    data["by_collector"], [collector, owed, *counts])

# -- the bills, with row selection ----------------------------------------------------------------------------

BILL_COLUMNS = [
    c.text("bill_id", "Bill"), c.text("customer_name", "Customer"), c.money("open_amount", "Owed"),
    c.day("due_date", "Due"), c.count("days_past_due", "Days past due"), c.text("aging_bucket", "Aging bucket"),
    c.timestamp("last_action_at", "Last action"), c.text("last_action_type", "Last action type"),
    c.text("last_action_by", "Last action by"), c.text("billing_group_name", "Billing group"),
    c.text("collector_name", "Collector"), c.text("billing_email", "Reminders go to"),
    c.text("customer_id", "Customer id"), c.money("amount", "Billed"),
]
st.markdown("**Overdue bills: tick the rows to chase**")
if bills.is_empty():
    st.info("No overdue bills for these filters: clear a billing group, collector or bucket filter, or lower the "
            "minimum amount.", icon=":material/filter_alt_off:")
    chosen_rows: list[int] = []
else:
    event = st.dataframe(
        c.for_display(bills, BILL_COLUMNS), key=table_key, on_select="rerun", selection_mode="multi-row",
        hide_index=True, width="stretch", height=min(420, 38 + 35 * bills.height),
        column_order=[col.name for col in BILL_COLUMNS],
        column_config={col.name: col.column_config(money) for col in BILL_COLUMNS}, placeholder=fmt.MISSING)
    chosen_rows = [r for r in event.selection.rows if r < bills.height]
    notes, csv_button, xlsx_button = st.columns([4, 1, 1], vertical_alignment="center")
    notes.caption(f"{bills.height:,} overdue bills, most overdue first.")
    csv_button.download_button("CSV", export.csv(bills, BILL_COLUMNS), file_name="worklist.csv", mime="text/csv",
                               icon=":material/download:", key="worklist.csv", on_click="ignore", width="stretch")
    xlsx_button.download_button(
        "Excel", lambda: export.workbook([export.Sheet("Worklist", bills, BILL_COLUMNS)], money),
        file_name="worklist.xlsx", icon=":material/download:", key="worklist.xlsx", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
selected = bills[chosen_rows]

# -- chase them -----------------------------------------------------------------------------------------------

with st.container(border=True):
    st.markdown("**Chase the selected bills**")
    result = st.session_state.pop(RESULT, None)
    if result is not None:
        show = {"success": st.success, "warning": st.warning, "error": st.error}[result.level]
        show(worklist_flow.escape_markdown(result.text))
    st.caption(worklist_flow.summary(selected, money))

    who = signed_in_user()
    if who:
        st.caption(f"Recorded as {worklist_flow.escape_markdown(who)}.")
    else:
        st.text_input("Your name (kept for this session and recorded with each action)", key="worklist.user_input",
                      value=st.session_state.get(USER, ""), max_chars=NAME_MAX, on_change=keep_name,
                      placeholder="e.g. Maria Lopez")
        who = st.session_state.get(USER) or None

    what, result_of, note_box = st.columns([1, 1, 2])
    choice = what.selectbox("Action", list(worklist_flow.ACTIONS), key="worklist.action")
    is_email = choice == worklist_flow.EMAIL
    outcomes = OUTCOMES[worklist_flow.ACTIONS[choice]]
    if is_email:
        result_of.selectbox("Outcome", ["Sent"], disabled=True, key="worklist.outcome_email",
                            help="Recorded for each message actually written to the outbox or sent.")
        outcome = "Sent"
    else:
        outcome = result_of.selectbox("Outcome", outcomes, index=None, key=f"worklist.outcome.{choice}",
                                      placeholder="Not known yet")
    note = note_box.text_area(
        "Message added to the e-mail (also kept as the note)" if is_email else "Note",
        key=f"worklist.note.{generation}", max_chars=NOTE_MAX, height=80,
        placeholder="Shown to the customer in the e-mail" if is_email else "What was said or agreed")

    smtp = mailer.smtp_settings()
    outbox = mailer.outbox_for(warehouse_path())
    count = selected.height  # bills to record; for e-mails, the messages to send
    if is_email and not selected.is_empty():
        composed = worklist_flow.preview(selected, currency=money, sender=who, note=note)
        count = len(composed.reminders)
        if composed.without_address:
            names = worklist_flow.escape_markdown(", ".join(composed.without_address[:5]))
            st.warning(f"No billing e-mail address for {names}"
                       f"{' and more' if len(composed.without_address) > 5 else ''}: they will not be e-mailed.")
        for reminder in composed.reminders[:10]:
            label = worklist_flow.escape_markdown(f"Preview: {reminder.customer_name} · {reminder.to}")
            with st.expander(label, icon=":material/mail:"):
                st.text(f"To: {reminder.to}\nSubject: {reminder.subject}\n\n{reminder.text}")
        if len(composed.reminders) > 10:
            st.caption(f"… and {len(composed.reminders) - 10} more e-mails like these.")
    if is_email:
        st.caption(worklist_flow.escape_markdown(
            f"E-mails go through {smtp.host}." if smtp else f"E-mails are written as .eml files to {outbox} "
            "(configure SMTP to send them)."))

    label = (f"Send {count:,} e-mail{'s' * (count != 1)}" if count else "Send e-mails") if is_email \
        else "Record action"
    if st.button(label, type="primary", key="worklist.go", icon=":material/send:" if is_email else ":material/check:"):
        entry = st.session_state.setdefault(ENTRY, uuid.uuid4().hex)  # reused if this attempt is interrupted
        log = gateway.action_log
        if log is None:
            outcome_now = worklist_flow.Outcome("error", "This warehouse has no action log; nothing was recorded.")
        elif is_email:
            outcome_now = worklist_flow.send(ctx.db, log, selected, performed_by=who, note=note, currency=money,
                                             outbox=outbox, smtp=smtp, from_address=mailer.sender(), entry_id=entry)
        else:
            outcome_now = worklist_flow.record(ctx.db, log, selected, choice=choice, performed_by=who,
                                               outcome=outcome, note=note, entry_id=entry)
        st.session_state[RESULT] = outcome_now
        if outcome_now.done:
            ctx.db.actions_recorded()
            st.session_state.pop(ENTRY, None)
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
        st.rerun()

page.table("Actions recorded in the app (latest 100)", data["recorded"], [
    c.timestamp("action_at", "When"), c.text("performed_by", "By"), c.text("customer_name", "Customer"),
    c.text("bill_id", "Bill"), c.text("action_type", "Action"), c.text("outcome", "Outcome"), c.text("note", "Note"),
    c.text("customer_id", "Customer id"),
], key="worklist_recorded", customer_column="customer_id",
    empty_hint="No actions recorded in the app yet for these filters: they appear here as soon as one is recorded.",
    caption="Recorded actions are kept beside the warehouse and survive every rebuild.")
page.finish()
