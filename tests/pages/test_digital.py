"""Digital engagement page: users, sessions, devices and engagement vs growth of a hand-made bank.

H1 2024 (the period) has five sessions: C1 (West, 35-44) on the Mobile App in February and June and on Desktop in
June; C2 (Midwest, 25-34) on the Mobile App in June; C3 (West, no birth date) on Desktop in March. H2 2023 has two
Desktop sessions in December, by C1 and C2. C4 never uses digital banking.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import digital
from warehouse.scope import Scope

PAGE = "pages/digital.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
H1 = Scope(date(2024, 1, 1), date(2024, 6, 30))


def session(event_id, customer_id, at, device, action, seconds, pages, actions):
    return row("engagement_events", event_id=event_id, customer_id=customer_id, event_at=at, device=device,
               action_type=action, session_seconds=seconds, pages_viewed=pages, actions_taken=actions)


ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail", birth_date=date(1980, 5, 1)),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", birth_date=date(1999, 1, 1)),
        row("customers", customer_id="C3", region="West", segment="Small Business", birth_date=None),
        row("customers", customer_id="C4", region="West", segment="Retail"),
    ],
    "products": [row("products")],
    "enrollments": [row("enrollments", account_id=a, customer_id=c) for a, c in
                    (("A1", "C1"), ("A2", "C2"), ("A4", "C4"))],
    "account_balances": [
        row("account_balances", account_id="A1", month_end=date(2023, 6, 30), balance=1000),
        row("account_balances", account_id="A1", month_end=date(2024, 6, 30), balance=1500),
        row("account_balances", account_id="A2", month_end=date(2023, 6, 30), balance=2000),
        row("account_balances", account_id="A2", month_end=date(2024, 6, 30), balance=2000),
        row("account_balances", account_id="A4", month_end=date(2023, 6, 30), balance=1000),
        row("account_balances", account_id="A4", month_end=date(2024, 6, 30), balance=1100),
    ],
    "engagement_events": [
        session("G1", "C1", "2024-06-03 08:00:00", "Mobile App", "View Balance", 120, 3, 0),
        session("G2", "C1", "2024-06-10 20:00:00", "Desktop", "Transfer", 300, 5, 2),
        session("G3", "C2", "2024-06-15 12:00:00", "Mobile App", "Transfer", 180, 4, 1),
        session("G4", "C3", "2024-03-01 09:00:00", "Desktop", "Pay Bill", 600, 6, 1),
        session("G5", "C1", "2024-02-01 07:00:00", "Mobile App", "View Balance", 60, 2, 0),
        session("G6", "C1", "2023-12-05 18:00:00", "Desktop", "View Balance", 240, 2, 0),
        session("G7", "C2", "2023-12-06 18:00:00", "Desktop", "Transfer", 120, 3, 1),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("digital"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def data(bank):
    return digital.load(Gateway.open(bank), H1)


def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Active users"] == "2"  # C1 and C2 in June
    assert cards["Sessions"] == "5"
    assert cards["Mobile adoption"] == "100.0%"  # both June users used the app
    assert cards["Session minutes"] == "4.2"  # 1,260 seconds over 5 sessions
    assert cards["Actions per session"] == "0.80"  # 4 actions over 5 sessions
    changes = deltas(app)
    assert changes["Sessions"] == "+150.0%"  # 2 in H2 2023
    assert changes["Mobile adoption"] == "+100.0 pp"  # December's two users were on Desktop only
    assert changes["Session minutes"] == "+40.0%"  # 3.0 minutes in H2 2023
    assert changes["Actions per session"] == "+0.30"


def test_device_action_and_age_band_splits(data):
    mix = {r["device"]: (r["sessions"], r["session_share"], r["last_month_users"], r["user_share"])
           for r in data["device_mix"].iter_rows(named=True)}
    assert mix == {"Mobile App": (3, 0.6, 2, 1.0), "Desktop": (2, 0.4, 1, 0.5)}
    actions = {r["action_type"]: (r["sessions"], r["share"]) for r in data["top_actions"].iter_rows(named=True)}
    assert actions == {"View Balance": (2, 0.4), "Transfer": (2, 0.4), "Pay Bill": (1, 0.2)}
    assert data["top_actions"]["sessions"].sum() == data["kpis"]["sessions"].current
    usage = {(r["age_band"], r["device"]): r["share_of_age_band"]
             for r in data["usage_by_age_band"].iter_rows(named=True)}
    assert usage == pytest.approx({("25-34", "Mobile App"): 1.0, ("35-44", "Mobile App"): 2 / 3,
                                   ("35-44", "Desktop"): 1 / 3, ("Unknown", "Desktop"): 1.0})
    assert data["usage_by_age_band"]["age_band"].to_list() == ["25-34", "35-44", "35-44", "Unknown"]
    length = {(r["month"], r["device"]): r["session_minutes"] for r in data["session_length"].iter_rows(named=True)}
    assert length[(date(2024, 6, 1), "Mobile App")] == 2.5 and length[(date(2024, 3, 1), "Desktop")] == 10
    assert data["monthly"]["month"].to_list() == [date(2024, 2, 1), date(2024, 3, 1), date(2024, 6, 1)]


def test_engagement_vs_balance_growth_is_aggregated_by_band_and_segment(data):
    growth = {(r["engagement_band"], r["segment"]): (r["customers"], r["sessions_per_customer"],
                                                     r["balance_growth_rate"])
              for r in data["engagement_vs_growth"].iter_rows(named=True)}
    # sessions in the twelve months to June 30, 2024: C1 4, C2 2, C3 1, C4 none
    assert growth == {("0 sessions", "Retail"): (1, 0, pytest.approx(0.1)),
                      ("1-11 sessions", "Retail"): (1, 4, 0.5),
                      ("1-11 sessions", "Corporate"): (1, 2, 0.0),
                      ("1-11 sessions", "Small Business"): (1, 1, None)}  # C3 holds nothing: no rate


def test_daily_users_add_up_the_days(bank):
    days = digital.load(Gateway.open(bank), H1, users_grain="day")["users"]
    assert days["day"].to_list() == [date(2024, 2, 1), date(2024, 3, 1), date(2024, 6, 3), date(2024, 6, 10),
                                     date(2024, 6, 15)]
    assert days["active_users"].to_list() == [1, 1, 1, 1, 1]
    with pytest.raises(ValueError):
        digital.load(Gateway.open(bank), H1, users_grain="week")


def test_a_region_filter_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    cards = metrics(app)
    assert (cards["Active users"], cards["Sessions"], cards["Session minutes"], cards["Mobile adoption"]) == \
        ("1", "4", "4.5", "100.0%")


def test_the_users_chart_switches_to_days(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert "**Monthly active users**" in [m.value for m in app.markdown]
    app.segmented_control(key="digital.users_grain").set_value("Day").run()
    assert not app.exception
    titles = [m.value for m in app.markdown]
    assert "**Daily active users**" in titles and "**Monthly active users**" not in titles


def test_filters_that_leave_nothing_show_the_empty_state(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West", "segment": "Corporate"})
    assert not app.exception
    assert metrics(app)["Sessions"] == "0"
    assert any("Nothing to show for these filters" in i.value for i in app.info)


def test_a_warehouse_without_sessions_says_so(tmp_path_factory, open_page):
    rows = {name: ROWS[name] for name in ("customers", "products", "enrollments", "account_balances")}
    db = fixture_warehouse(tmp_path_factory.mktemp("no_sessions"), rows, as_of=date(2024, 6, 30))
    app = open_page(db, PAGE)
    assert not app.exception
    assert any("No data loaded for this area" in i.value for i in app.info)
