"""What the Worklist page's buttons do: record an action on the selected bills, or send reminder e-mails and
record them. Every outcome comes back as a message in words for the page to show. Pure Python (no Streamlit).

Order of work for e-mails: validate the action first (so nothing is sent that could not be recorded), deliver
each customer's message, then record the action for the bills whose message was actually written or sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from app import fmt, mailer, reminders
from warehouse import actions

# What the page offers -> the contract's action type.
ACTIONS = {
    "Reminder e-mail": "Reminder e-mail",
    "SMS": "SMS",
    "Call logged": "Call",
    "Letter": "Letter",
    "Arrangement agreed": "Arrangement agreed",
}
EMAIL = "Reminder e-mail"


@dataclass(frozen=True)
class Outcome:
    level: str  # success | warning | error
    text: str
    recorded: int = 0  # rows written to the action log

    @property
    def done(self) -> bool:
        return self.recorded > 0


_MARKDOWN = re.compile(r"([\\`*_\[\]<>$#|~])")


def escape_markdown(text: str) -> str:
    """Text from data or users (names, notes, e-mail addresses) shown literally in Streamlit's markdown: no
    emphasis, links, HTML or $...$ formulas."""
    return _MARKDOWN.sub(r"\\\1", text)


def summary(selected: pl.DataFrame, currency: str) -> str:
    if selected.is_empty():
        return "No bills selected: tick rows in the table above."
    bills, customers = selected.height, selected["customer_id"].n_unique()
    owed = fmt.money(float(selected["open_amount"].sum()), currency)
    return (f"{bills:,} bill{'s' * (bills != 1)} of {customers:,} customer{'s' * (customers != 1)} selected, "
            f"{owed} owed.")


def record(reader, log: actions.ActionLog, selected: pl.DataFrame, *, choice: str, performed_by: str | None,
           outcome: str | None, note: str | None, entry_id: str | None = None) -> Outcome:
    """Record a non-e-mail action (an SMS sent, a call, a letter, an arrangement) on the selected bills."""
    try:
        action = log.record(reader, action_type=ACTIONS.get(choice, choice), performed_by=performed_by or "",
                            bills=selected["bill_id"].to_list(), outcome=outcome, note=note, entry_id=entry_id)
    except actions.ActionError as error:
        return Outcome("error", str(error))
    customers = len(action.customer_ids)
    return Outcome("success", f"Recorded \"{choice}\" by {action.performed_by} on {len(action.targets):,} "
                              f"bill{'s' * (len(action.targets) != 1)} of {customers:,} "
                              f"customer{'s' * (customers != 1)}.", len(action.targets))


def preview(selected: pl.DataFrame, *, currency: str, sender: str | None, note: str | None) -> reminders.Composed:
    return reminders.compose(selected, currency=currency, sender=sender or "Collections", note=note)


def send(reader, log: actions.ActionLog, selected: pl.DataFrame, *, performed_by: str | None, note: str | None,
         currency: str, outbox: Path, smtp: mailer.SmtpSettings | None, from_address: str,
         entry_id: str | None = None) -> Outcome:
    """Send (or write to the outbox) one reminder per customer, then record them as sent."""
    try:
        action = actions.prepare(reader, action_type=EMAIL, performed_by=performed_by or "",
                                 bills=selected["bill_id"].to_list(), outcome="Sent", note=note, entry_id=entry_id)
        composed = reminders.compose(selected, currency=currency, sender=action.performed_by, note=action.note)
    except (actions.ActionError, reminders.TemplateError) as error:
        return Outcome("error", str(error))
    skipped = (f" No billing e-mail address for {_names(composed.without_address)}: nothing sent or recorded "
               "for them." if composed.without_address else "")
    if not composed.reminders:
        return Outcome("error", "Nothing sent." + skipped)
    delivery = mailer.deliver(composed.reminders, outbox=outbox, smtp=smtp, from_address=from_address)
    failed = "".join(f" Not sent to {r.customer_name} ({r.to}): {why}." for r, why in delivery.failed)
    if not delivery.delivered:
        return Outcome("error", "No e-mail was sent, so nothing was recorded." + failed + skipped)
    where = f"sent through {smtp.host}" if smtp else f"written to the outbox {outbox}"
    sent = len(delivery.delivered)
    try:
        log.write(action.only(delivery.delivered_bills))
    except actions.ActionError as error:
        return Outcome("error", f"{sent:,} e-mail{'s' * (sent != 1)} {where}, but recording them failed: {error} "
                                "Record them with \"Call logged\" or try again." + failed + skipped)
    bills = len(delivery.delivered_bills)
    text = (f"{sent:,} reminder e-mail{'s' * (sent != 1)} {where} and recorded on {bills:,} "
            f"bill{'s' * (bills != 1)}." + failed + skipped)
    return Outcome("warning" if failed or skipped else "success", text, bills)


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
