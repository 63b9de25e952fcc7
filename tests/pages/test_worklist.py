"""Worklist page on the ledger of tests/worklist_fixture.py: the overdue bills and their filters, recording an action
through the page and seeing it at once, validation messages, reminder e-mails to the outbox, and the Receivables
page's "last action and by whom" picking up an action recorded here.

Overdue on Jun 30, 2024: BL1 (C1, 700.00 owed, 122 days), BL3 (C2, 250.00, 60 days), BL2 (C1, 400.00, 15 days).
"""

from __future__ import annotations

import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from app.worklist_flow import escape_markdown
from tests.pages.conftest import fixture_warehouse, metrics
from tests.worklist_fixture import AS_OF, ROWS
from warehouse.gateway import Gateway
from warehouse.queries import worklist
from warehouse.scope import Scope

PAGE = "pages/worklist.py"
PERIOD = {"period": ["2024-01-01", "2024-06-30"]}
TABLE = "worklist.bills.0"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return fixture_warehouse(tmp_path_factory.mktemp("ledger"), ROWS, AS_OF)


@pytest.fixture()
def db(built, tmp_path) -> Path:
    """A private copy per test: each has its own action log and outbox beside it."""
    return Path(shutil.copy(built, tmp_path / "warehouse.duckdb"))


def rows(*indexes: int) -> dict:
    return {"selection": {"rows": list(indexes), "columns": [], "cells": []}}


def table(app, number: int = 0):
    return app.dataframe[number].value


def messages(app) -> dict[str, list[str]]:
    return {"success": [m.value for m in app.success], "warning": [m.value for m in app.warning],
            "error": [m.value for m in app.error]}


def test_the_overdue_bills_most_overdue_first_with_their_figures(db, open_page):
    app = open_page(db, PAGE, query_params=PERIOD)
    assert not app.exception
    assert metrics(app) == {"Overdue bills": "3", "Customers to chase": "2", "Owed on them": "$1.35K",
                            "Over 90 days": "$700", "Never chased": "1"}
    bills = table(app)
    assert bills["bill_id"].tolist() == ["BL1", "BL3", "BL2"]
    assert bills["open_amount"].tolist() == [700, 250, 400]
    assert bills["last_action_by"].fillna("").tolist() == ["Eve Stone", "", "Eve Stone"]
    assert "No bills selected: tick rows in the table above." in [c.value for c in app.caption]


def test_filters_narrow_the_list(db, open_page):
    scope = Scope(AS_OF, AS_OF)
    gateway = Gateway.open(db)
    assert worklist.load(gateway, scope, billing_groups=("B1",))["kpis"]["open_amount"] == 1100
    assert worklist.load(gateway, scope, collectors=("E1",))["bills"]["bill_id"].to_list() == ["BL1", "BL2"]
    assert worklist.load(gateway, scope, buckets=("31-60", "1-30"))["bills"]["bill_id"].to_list() == ["BL3", "BL2"]
    assert worklist.load(gateway, scope, min_amount=300)["kpis"] == {
        "bills": 2, "customers": 1, "open_amount": 1100, "over_90_amount": 700, "never_chased": 0}
    assert worklist.load(gateway, scope.narrowed(regions=("Midwest",)))["bills"]["bill_id"].to_list() == ["BL3"]
    gateway.close()

    app = open_page(db, PAGE, query_params=PERIOD)
    app.multiselect(key="worklist.buckets").set_value(["31-60"]).run()
    assert metrics(app)["Owed on them"] == "$250" and table(app)["bill_id"].tolist() == ["BL3"]
    app.multiselect(key="worklist.buckets").set_value([]).run()
    app.number_input(key="worklist.min_amount").set_value(500).run()
    assert metrics(app)["Overdue bills"] == "1" and table(app)["bill_id"].tolist() == ["BL1"]


def test_an_action_recorded_on_the_page_shows_at_once_and_notes_stay_text(db, open_page):
    app = open_page(db, PAGE, query_params=PERIOD, state={TABLE: rows(0, 1)})  # BL1 (Ada Moss) and BL3 (Bo Lind)
    assert "2 bills of 2 customers selected, $950.00 owed." in [c.value for c in app.caption]
    app.text_input(key="worklist.user_input").input("Tom <b>Kay</b>")
    app.selectbox(key="worklist.action").set_value("Call logged").run()
    app.selectbox(key="worklist.outcome.Call logged").set_value("Promised to pay")
    app.text_area(key="worklist.note.0").input("Said <script>alert(1)</script> pays Friday")
    app.button(key="worklist.go").click().run()

    assert not app.exception
    assert messages(app)["success"] == [r'Recorded "Call logged" by Tom \<b\>Kay\</b\> on 2 bills of 2 customers.']
    bills = table(app)
    assert bills["last_action_by"].tolist() == ["Tom <b>Kay</b>"] * 3  # BL2 is Ada's too: her last action
    assert bills["last_action_type"].tolist() == ["Call"] * 3
    assert metrics(app)["Never chased"] == "0"
    recorded = table(app, 1)
    assert recorded["bill_id"].tolist() == ["BL1", "BL3"] or recorded["bill_id"].tolist() == ["BL3", "BL1"]
    assert set(recorded["note"]) == {"Said <script>alert(1)</script> pays Friday"}
    assert set(recorded["outcome"]) == {"Promised to pay"}
    assert not [m for m in app.markdown if "<script>" in m.value], "a note is never rendered as markup"
    assert "No bills selected: tick rows in the table above." in [c.value for c in app.caption], "selection cleared"
    assert app.text_input(key="worklist.user_input").value == "Tom <b>Kay</b>", "the name is kept for the session"


@pytest.mark.parametrize("state, name, expected", [
    ({}, "Tom Kay", "Nothing selected: choose at least one bill (or customer) the action was about."),
    ({TABLE: rows(0)}, "", "Say who took the action: enter your name before recording."),
])
def test_what_cannot_be_recorded_is_said_in_words_and_nothing_is_written(db, open_page, state, name, expected):
    app = open_page(db, PAGE, query_params=PERIOD, state=state)
    if name:
        app.text_input(key="worklist.user_input").input(name)
    app.selectbox(key="worklist.action").set_value("Letter").run()
    app.button(key="worklist.go").click().run()
    assert messages(app)["error"] == [expected]
    assert not (db.parent / "warehouse-actions").exists()


def test_reminder_emails_are_previewed_then_written_to_the_outbox_and_recorded(db, open_page):
    app = open_page(db, PAGE, query_params=PERIOD, state={TABLE: rows(0, 1)})
    app.text_input(key="worklist.user_input").input("Eve Stone")
    app.selectbox(key="worklist.action").set_value("Reminder e-mail").run()
    assert [e.label for e in app.expander] == ["Preview: Ada Moss · billing@moss.example"]
    assert "Subject: Payment reminder: $700.00 overdue" in app.expander[0].text[0].value
    assert messages(app)["warning"] == ["No billing e-mail address for Bo Lind: they will not be e-mailed."]
    assert app.button(key="worklist.go").label == "Send 1 e-mail"

    app.button(key="worklist.go").click().run()
    outbox = db.parent / "warehouse-outbox"
    assert messages(app)["warning"] == [escape_markdown(
        f"1 reminder e-mail written to the outbox {outbox} and recorded on 1 bill. No billing e-mail address for "
        "Bo Lind: nothing sent or recorded for them.")]
    [eml] = outbox.glob("*.eml")
    parsed = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert parsed["To"] == "billing@moss.example" and "Bill BL1: $700.00" in parsed.get_body(("plain",)).get_content()
    assert table(app)["last_action_type"].fillna("").tolist() == ["Reminder e-mail", "", "Reminder e-mail"]
    assert table(app)["last_action_by"].fillna("").tolist() == ["Eve Stone", "", "Eve Stone"]
    assert table(app, 1)["bill_id"].tolist() == ["BL1"]


def test_the_receivables_page_shows_who_chased_last_including_actions_recorded_here(db, open_page):
    before = open_page(db, "pages/receivables.py", query_params=PERIOD)
    last = before.dataframe[0].value
    assert last["customer_id"].tolist() == ["C1"]
    gateway = Gateway.open(db)
    gateway.action_log.record(gateway, action_type="Call", performed_by="Ann Lee", bills=["BL3"],
                              outcome="No answer")
    after = open_page(db, "pages/receivables.py", query_params=PERIOD)  # same server process, same caches
    last = after.dataframe[0].value.set_index("customer_id")
    assert last.loc["C2", "last_action_by"] == "Ann Lee" and last.loc["C2", "last_action_type"] == "Call"
    assert last.loc["C1", "last_action_by"] == "Eve Stone"


class SignedIn(dict):
    """What st.user holds when authentication is configured and the user has logged in."""

    def __getattr__(self, name):
        return self.get(name)


def test_a_logged_in_user_is_recorded_without_typing_a_name(db, open_page, monkeypatch):
    import streamlit

    monkeypatch.setattr(streamlit, "user", SignedIn(is_logged_in=True, name="Ada Admin", email="ada@bank.example"))
    app = open_page(db, PAGE, query_params=PERIOD, state={TABLE: rows(1)})
    assert "Recorded as Ada Admin." in [c.value for c in app.caption]
    assert not [t for t in app.text_input if t.key == "worklist.user_input"], "no name to type"
    app.selectbox(key="worklist.action").set_value("SMS").run()
    app.button(key="worklist.go").click().run()
    assert messages(app)["success"] == ['Recorded "SMS" by Ada Admin on 1 bill of 1 customer.']
    assert table(app, 1)[["bill_id", "performed_by"]].values.tolist() == [["BL3", "Ada Admin"]]


def test_a_warehouse_without_overdue_bills_shows_the_empty_state(tmp_path, open_page):
    db = fixture_warehouse(tmp_path, {"customers": ROWS["customers"], "billing_groups": ROWS["billing_groups"]},
                           AS_OF)
    app = open_page(db, PAGE, query_params=PERIOD)
    assert not app.exception
    assert metrics(app)["Overdue bills"] == "0" and metrics(app)["Owed on them"] == "$0"
    assert any(i.value.startswith("No overdue bills for these filters") for i in app.info)
    app.button(key="worklist.go").click().run()
    assert messages(app)["error"][0].startswith("Nothing selected")
