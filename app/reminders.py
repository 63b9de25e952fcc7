"""Reminder e-mails: one per customer and billing address, rendered from editable templates.

The templates live in templates/ (Jinja2): `reminder_email.txt` is the plain-text message, whose first line
is `Subject: ...`; `reminder_email.html` is the HTML alternative, rendered with autoescaping, so a customer
name or a note holding markup arrives as text, never as HTML. Pure functions (no Streamlit), so the exact
text can be tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path

import jinja2
import polars as pl

from app import fmt
from warehouse import settings

TEMPLATES = settings.PROJECT_ROOT / "templates"
TEXT_TEMPLATE = "reminder_email.txt"
HTML_TEMPLATE = "reminder_email.html"


class TemplateError(Exception):
    """A template is missing or broken; the message names the file."""


@dataclass(frozen=True)
class Reminder:
    customer_id: str
    customer_name: str
    to: str
    subject: str
    text: str
    html: str
    bill_ids: tuple[str, ...]


@dataclass(frozen=True)
class Composed:
    reminders: list[Reminder]
    without_address: list[str]  # customers (names) whose selected bills have no usable billing e-mail


def environment(folder: Path = TEMPLATES) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render(customer_name: str, bills: Sequence[dict], *, currency: str, sender: str, note: str | None = None,
           folder: Path = TEMPLATES) -> tuple[str, str, str]:
    """(subject, text, html) of one reminder. bills: dicts with bill_id, open_amount, due_date, days_past_due."""
    shown = [{"bill_id": b["bill_id"], "amount": fmt.money(b["open_amount"], currency),
              "due_date": _iso(b["due_date"]), "days_overdue": f"{int(b['days_past_due']):,}"} for b in bills]
    values = {"customer_name": customer_name, "bills": shown, "sender": sender, "note": note or None,
              "total": fmt.money(sum(float(b["open_amount"]) for b in bills), currency)}
    env = environment(folder)
    try:
        first, _, text = env.get_template(TEXT_TEMPLATE).render(values).partition("\n")
        html = env.get_template(HTML_TEMPLATE).render(values)
    except jinja2.TemplateNotFound as missing:
        raise TemplateError(f"The e-mail template {folder / str(missing)} is missing.") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"The e-mail templates in {folder} cannot be rendered: {error}") from None
    if not first.startswith("Subject:"):
        raise TemplateError(f"{folder / TEXT_TEMPLATE} must start with a 'Subject: ...' line.")
    return " ".join(first.removeprefix("Subject:").split()), text, html


def compose(bills: pl.DataFrame, *, currency: str, sender: str, note: str | None = None,
            folder: Path = TEMPLATES) -> Composed:
    """One reminder per customer and billing e-mail, over the selected worklist rows (bill_id, customer_id,
    customer_name, billing_email, open_amount, due_date, days_past_due), in the order given."""
    reminders, without = [], []
    for (customer_id, email), group in bills.group_by(["customer_id", "billing_email"], maintain_order=True):
        name = group["customer_name"][0] or customer_id
        address = usable_address(email)
        if address is None:
            without.append(name)
            continue
        subject, text, html = render(name, group.to_dicts(), currency=currency, sender=sender, note=note,
                                     folder=folder)
        reminders.append(Reminder(customer_id, name, address, subject, text, html,
                                  tuple(group["bill_id"].to_list())))
    return Composed(reminders, list(dict.fromkeys(without)))


def usable_address(value: str | None) -> str | None:
    """The address if it is one plain e-mail address (no display name, no line breaks), else None."""
    if not value or any(c in value for c in "\r\n,;"):
        return None
    _, address = parseaddr(value)
    if not address or "@" not in address:
        return None
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return None
    return address


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
