"""Service quality page: a handful of contacts whose FCR, satisfaction and hours to close are worked out by hand.

Data as of 2024-06-30; the period is H1 2024.
    I1  C1 West     Phone  Card Issue       Feb 1,  2 h, Resolved, 5   first contact, repeated by I2 -> not FCR
    I2  C1 West     Phone  Card Issue       Feb 3,  4 h, Resolved, 3   a repeat (2 days after I1)
    I3  C2 Midwest  Chat   Fees             Mar 10, 0.5 h, Resolved, 4 first, resolved at first contact; Equity Fund
    I4  C2 Midwest  Email  Complaint        Apr 5, 24 h, Unresolved, 1 first, not resolved
    I5  C1 West     Web    Account Inquiry  May 20, 1.5 h, Resolved, no score: first, resolved at first contact
    I6  C2 Midwest  Phone  Fees             Oct 1 2023 (the previous half-year), 2 h, Resolved, 2
H1 2024: 5 contacts, 1 repeat (20%); 4 first contacts, 2 resolved at first contact (FCR 50%); 4 resolved;
satisfaction (5 + 3 + 4 + 1) / 4 = 3.25; hours to close (2 + 4 + 0.5 + 24 + 1.5) / 5 = 6.4.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import service
from warehouse.scope import Scope

PAGE = "pages/service.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))


def contact(cid: str, customer: str, opened: str, hours: float, channel: str, reason: str, status: str = "Resolved",
            satisfaction: float | None = None, **extra) -> dict:
    start = datetime.fromisoformat(opened)
    return row("service_interactions", interaction_id=cid, customer_id=customer, opened_at=start,
               closed_at=start + timedelta(hours=hours), channel=channel, reason=reason, resolution_status=status,
               satisfaction=satisfaction, **extra)


ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail"),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", wealth_tier="Affluent"),
    ],
    "products": [row("products", product_id="P1", category="Equity Fund")],
    "service_interactions": [
        contact("I1", "C1", "2024-02-01 09:00", 2, "Phone", "Card Issue", satisfaction=5),
        contact("I2", "C1", "2024-02-03 09:00", 4, "Phone", "Card Issue", satisfaction=3),
        contact("I3", "C2", "2024-03-10 10:00", 0.5, "Chat", "Fees", satisfaction=4, product_id="P1"),
        contact("I4", "C2", "2024-04-05 09:00", 24, "Email", "Complaint", status="Unresolved", satisfaction=1),
        contact("I5", "C1", "2024-05-20 09:00", 1.5, "Web", "Account Inquiry"),
        contact("I6", "C2", "2023-10-01 09:00", 2, "Phone", "Fees", satisfaction=2),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("service"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def db(bank):
    return Gateway.open(bank)


# -- queries --------------------------------------------------------------------------------------------------------

def test_kpis_hand_computed(db):
    figures = service.kpis(db, SCOPE)
    assert (figures["contacts"].current, figures["contacts"].previous) == (5, 1)
    assert figures["repeat_share"].current == pytest.approx(0.2)
    assert (figures["fcr"].current, figures["fcr"].previous) == (0.5, 1.0)
    assert figures["resolved_share"].current == pytest.approx(0.8)
    assert figures["satisfaction"].current == pytest.approx(3.25)
    assert figures["hours_to_close"].current == pytest.approx(6.4)
    assert figures["hours_to_close"].previous == pytest.approx(2.0)


def test_funnel_stages_are_nested(db):
    funnel = service.funnel(db, SCOPE)
    assert funnel.select("stage", "count").rows() == [
        ("Contacts", 5), ("Resolved", 4), ("Resolved at first contact", 2)]
    assert funnel["share_of_contacts"].to_list() == pytest.approx([1.0, 0.8, 0.4])
    assert funnel["share_of_previous"].to_list() == pytest.approx([1.0, 0.8, 0.5])


def test_breakdowns_add_up_to_the_cards(db):
    data = service.load(db, SCOPE)
    contacts = data["kpis"]["contacts"].current
    assert data["volume_by_channel"]["contacts"].sum() == contacts
    assert data["issues_by_group"]["contacts"].sum() == contacts
    assert data["top_reasons"]["contacts"].sum() == contacts
    assert data["top_reasons"]["share_of_contacts"].sum() == pytest.approx(1.0)
    assert data["trends"]["contacts"].sum() == contacts
    issues = data["issues_by_group"].select("product_category", "segment", "contacts").rows()
    assert issues == [("No product", "Corporate", 1), ("No product", "Retail", 3), ("Equity Fund", "Corporate", 1)]


def test_rates_by_channel_and_reason(db):
    by_channel = dict(service.fcr_by_channel(db, SCOPE).select("channel", "fcr").rows())
    assert by_channel == {"Chat": 1.0, "Web": 1.0, "Email": 0.0, "Phone": 0.0}
    satisfaction = service.satisfaction_by_reason(db, SCOPE)
    assert satisfaction.select("reason", "satisfaction", "responses").rows() == [
        ("Complaint", 1.0, 1), ("Card Issue", 4.0, 2), ("Fees", 4.0, 1), ("Account Inquiry", None, 0)]
    reasons = service.top_reasons(db, SCOPE)
    card = reasons.row(0, named=True)
    assert (card["reason"], card["contacts"], card["repeat_share"], card["fcr"], card["hours_to_close"]) == \
        ("Card Issue", 2, 0.5, 0.0, 3.0)
    hours = service.resolution_time(db, SCOPE).filter(channel="Email")
    assert hours.select("month", "hours_to_close").rows() == [(date(2024, 4, 1), 24.0)]


def test_row_level_security_limits_every_measure(db):
    midwest = service.load(db, Scope(SCOPE.start, SCOPE.end, allowed_regions=("Midwest",)))
    assert midwest["kpis"]["contacts"].current == 2
    assert set(midwest["top_reasons"]["reason"]) == {"Fees", "Complaint"}
    assert midwest["funnel"]["count"].to_list() == [2, 1, 1]


# -- the page -------------------------------------------------------------------------------------------------------

def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert metrics(app) == {"Contacts": "5", "FCR": "50.0%", "Avg satisfaction": "3.25",
                            "Avg hours to close": "6.4", "Repeat contacts": "20.0%"}
    changes = deltas(app)
    assert (changes["Contacts"], changes["FCR"], changes["Avg satisfaction"]) == ("+400.0%", "-50.0 pp", "+1.25")
    assert changes["Avg hours to close"] == "+220.0%"
    titles = [m.value for m in app.markdown]
    assert "**First-contact resolution against the 75% target**" in titles
    assert "**Resolution funnel**" in titles


def test_a_region_filter_changes_the_cards(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    cards = metrics(app)
    assert (cards["Contacts"], cards["FCR"], cards["Avg satisfaction"], cards["Avg hours to close"],
            cards["Repeat contacts"]) == ("3", "50.0%", "4.00", "2.5", "33.3%")


def test_a_period_without_contacts_shows_empty_states(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": ["2024-06-01", "2024-06-30"]})
    assert not app.exception
    assert metrics(app)["Contacts"] == "0"
    assert any("Nothing to show" in info.value for info in app.info)


def test_a_warehouse_without_contacts_says_so(tmp_path_factory, open_page):
    empty = fixture_warehouse(tmp_path_factory.mktemp("service_empty"), {"customers": [row("customers")]},
                              as_of=date(2024, 6, 30))
    app = open_page(empty, PAGE)
    assert not app.exception
    assert any("No data loaded for this area" in info.value for info in app.info)
    assert not app.metric
