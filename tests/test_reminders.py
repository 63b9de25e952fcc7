"""Reminder e-mails: exact text from the shipped templates, markup escaped, .eml outbox files that parse, delivery
through a local SMTP server, and the Worklist's send flow recording only what was actually sent."""

from __future__ import annotations

import shutil
import socket
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import polars as pl
import pytest
from aiosmtpd.controller import Controller

from app import mailer, reminders, worklist_flow
from tests.pages.conftest import fixture_warehouse
from tests.worklist_fixture import AS_OF, ROWS
from warehouse.gateway import Gateway

BILLS = [dict(bill_id="BL1", open_amount=700, due_date=date(2024, 2, 29), days_past_due=122),
         dict(bill_id="BL2", open_amount=400.5, due_date=date(2024, 6, 15), days_past_due=15)]

EXPECTED_TEXT = """\
Dear Ada Moss,

According to our records, the following bills are past due:

  - Bill BL1: $700.00 due 2024-02-29 (122 days overdue)
  - Bill BL2: $400.50 due 2024-06-15 (15 days overdue)

Total overdue: $1,100.50

We agreed on a plan by phone; thank you.

Please pay the amount due at your earliest convenience. If you have already paid, please disregard this
message.

Kind regards,
Eve Stone
Collections team
"""


def selected(*rows: tuple[str, str, str | None, str, float, date, int]) -> pl.DataFrame:
    names = ["customer_id", "customer_name", "billing_email", "bill_id", "open_amount", "due_date", "days_past_due"]
    return pl.DataFrame([dict(zip(names, r, strict=True)) for r in rows])


ADA = [("C1", "Ada Moss", "billing@moss.example", "BL1", 700.0, date(2024, 2, 29), 122),
       ("C1", "Ada Moss", "billing@moss.example", "BL2", 400.5, date(2024, 6, 15), 15)]
BO = ("C2", "Bo Lind", None, "BL3", 250.0, date(2024, 5, 1), 60)


def test_the_reminder_reads_exactly_as_the_template_says():
    subject, text, html = reminders.render("Ada Moss", BILLS, currency="USD", sender="Eve Stone",
                                           note="We agreed on a plan by phone; thank you.")
    assert subject == "Payment reminder: $1,100.50 overdue"
    assert text == EXPECTED_TEXT
    assert "<td style=\"text-align: right; padding: 4px 12px;\">$400.50</td>" in html


def test_one_bill_without_a_note_reads_in_the_singular():
    _, text, _ = reminders.render("Ada Moss", BILLS[:1], currency="EUR", sender="Eve Stone")
    assert "the following bill is past due:\n\n  - Bill BL1: €700.00 due 2024-02-29 (122 days overdue)\n\n" \
           "Total overdue: €700.00\n\nPlease pay" in text


def test_markup_in_names_and_notes_is_escaped_in_the_html():
    _, text, html = reminders.render("Ada <b>Moss</b>", BILLS, currency="USD", sender="Eve <i>Stone</i>",
                                     note="Call me <script>alert('x')</script>")
    assert "<script>" not in html and "<b>Moss" not in html and "<i>Stone" not in html
    assert "Call me &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "Dear Ada &lt;b&gt;Moss&lt;/b&gt;," in html
    assert "Call me <script>alert('x')</script>" in text  # plain text is text: nothing to escape


def test_a_broken_template_is_named(tmp_path):
    (tmp_path / reminders.TEXT_TEMPLATE).write_text("Hello {{ customer_name }}\n")
    (tmp_path / reminders.HTML_TEMPLATE).write_text("<p>{{ customer_name }}</p>\n")
    with pytest.raises(reminders.TemplateError, match="must start with a 'Subject: ...' line"):
        reminders.render("Ada", BILLS, currency="USD", sender="Eve", folder=tmp_path)
    (tmp_path / reminders.TEXT_TEMPLATE).write_text("Subject: x\n{{ nobody }}\n")
    with pytest.raises(reminders.TemplateError, match="'nobody' is undefined"):
        reminders.render("Ada", BILLS, currency="USD", sender="Eve", folder=tmp_path)


def test_one_message_per_customer_and_customers_without_an_address_are_listed():
    composed = reminders.compose(selected(*ADA, BO), currency="USD", sender="Eve Stone")
    assert [(r.customer_id, r.to, r.bill_ids) for r in composed.reminders] == [
        ("C1", "billing@moss.example", ("BL1", "BL2"))]
    assert composed.without_address == ["Bo Lind"]
    assert reminders.usable_address("a@b.example\nBcc: all@b.example") is None
    assert reminders.usable_address("not an address") is None


def test_outbox_files_are_standard_messages(tmp_path):
    composed = reminders.compose(selected(*ADA), currency="USD", sender="Eve Stone",
                                 note="We agreed on a plan by phone; thank you.")
    delivery = mailer.deliver(composed.reminders, outbox=tmp_path / "outbox", smtp=None,
                              from_address="collections@bank.example")
    assert delivery.failed == [] and delivery.delivered_bills == ["BL1", "BL2"]
    [written] = list((tmp_path / "outbox").iterdir())
    assert written.suffix == ".eml" and written.name.split("-")[1] == "C1"
    parsed = BytesParser(policy=policy.default).parsebytes(written.read_bytes())
    assert (parsed["To"], parsed["From"], parsed["Subject"]) == (
        "billing@moss.example", "collections@bank.example", "Payment reminder: $1,100.50 overdue")
    assert parsed.get_body(preferencelist=("plain",)).get_content() == EXPECTED_TEXT
    assert "<strong>Total overdue: $1,100.50</strong>" in parsed.get_body(preferencelist=("html",)).get_content()


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailer.SmtpSettings("127.0.0.1", port), inbox
    controller.stop()


def test_with_smtp_configured_messages_go_to_the_server(smtp_server, tmp_path):
    settings, inbox = smtp_server
    composed = reminders.compose(selected(*ADA), currency="USD", sender="Eve Stone")
    delivery = mailer.deliver(composed.reminders, outbox=tmp_path / "outbox", smtp=settings,
                              from_address="collections@bank.example")
    assert delivery.failed == [] and [where for _, where in delivery.delivered] == [f"127.0.0.1:{settings.port}"]
    [envelope] = inbox.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("collections@bank.example", ["billing@moss.example"])
    parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
    assert parsed["Subject"] == "Payment reminder: $1,100.50 overdue"
    assert "  - Bill BL2: $400.50 due 2024-06-15 (15 days overdue)" in parsed.get_body(("plain",)).get_content()
    assert not (tmp_path / "outbox").exists(), "nothing goes to the outbox when SMTP is configured"


def test_smtp_settings_come_from_the_environment_or_the_secrets_file(tmp_path):
    assert mailer.smtp_settings({}, []) is None
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[smtp]\nhost = "mail.bank.example"\nport = 587\nuser = "bot"\npassword = "pw"\n'
                       'from = "collections@bank.example"\n')
    assert mailer.smtp_settings({}, [secrets]) == mailer.SmtpSettings("mail.bank.example", 587, "bot", "pw")
    assert mailer.smtp_settings({"CFI_SMTP_HOST": "relay", "CFI_SMTP_SSL": "1"}, [secrets]).port == 587
    assert mailer.smtp_settings({"CFI_SMTP_HOST": "relay", "CFI_SMTP_SSL": "1"}, []) == mailer.SmtpSettings(
        "relay", 465, ssl=True)
    assert mailer.sender({}, [secrets]) == "collections@bank.example"
    assert mailer.sender({}, []) == mailer.DEFAULT_SENDER


# ---------------------------------------------------------------- the Worklist's send flow

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return fixture_warehouse(tmp_path_factory.mktemp("ledger"), ROWS, AS_OF)


@pytest.fixture()
def gateway(built, tmp_path):
    opened = Gateway.open(shutil.copy(built, tmp_path / "warehouse.duckdb"))
    yield opened
    opened.close()


def test_sending_records_the_action_only_for_the_messages_sent(gateway, tmp_path):
    outcome = worklist_flow.send(gateway, gateway.action_log, selected(*ADA, BO), performed_by="Eve Stone",
                                 note=None, currency="USD", outbox=tmp_path / "outbox", smtp=None,
                                 from_address="collections@bank.example")
    assert outcome.level == "warning" and outcome.recorded == 2
    assert outcome.text == (f"1 reminder e-mail written to the outbox {tmp_path / 'outbox'} and recorded on 2 bills. "
                            "No billing e-mail address for Bo Lind: nothing sent or recorded for them.")
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    assert gateway.rows("select bill_id, action_type, outcome, performed_by from recorded_collection_actions "
                        "order by bill_id") == [("BL1", "Reminder e-mail", "Sent", "Eve Stone"),
                                                ("BL2", "Reminder e-mail", "Sent", "Eve Stone")]


def test_nothing_is_recorded_when_no_message_could_be_sent(gateway, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    unreachable = mailer.SmtpSettings("127.0.0.1", closed)
    outcome = worklist_flow.send(gateway, gateway.action_log, selected(*ADA), performed_by="Eve Stone", note=None,
                                 currency="USD", outbox=tmp_path / "outbox", smtp=unreachable,
                                 from_address="collections@bank.example")
    assert outcome.level == "error" and outcome.recorded == 0
    assert outcome.text.startswith("No e-mail was sent, so nothing was recorded. Not sent to Ada Moss "
                                   f"(billing@moss.example): could not reach the mail server 127.0.0.1:{closed}")
    assert gateway.action_log.files() == []


def test_an_invalid_action_sends_nothing(gateway, tmp_path):
    outcome = worklist_flow.send(gateway, gateway.action_log, selected(*ADA), performed_by="", note=None,
                                 currency="USD", outbox=tmp_path / "outbox", smtp=None,
                                 from_address="collections@bank.example")
    assert (outcome.level, outcome.text) == ("error", "Say who took the action: enter your name before recording.")
    assert not (tmp_path / "outbox").exists() and gateway.action_log.files() == []
