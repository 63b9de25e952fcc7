"""Customers & churn page: growth, churn and retention of a hand-made bank of five customers.

H1 2024 (the period): at its start C1 and C2 are active; C3 (February) and C4 (April) are new; C5, who churned in
September 2023, comes back in May; C2 churns in March (their only account closes); C1 closes one of two accounts
in April, a product exit but not a churn. So 2 + 2 new + 1 returning - 1 churned = 4 active at the end.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import customers
from warehouse.scope import Scope

PAGE = "pages/customers.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
H1 = Scope(date(2024, 1, 1), date(2024, 6, 30))


def account(account_id, customer_id, product_id, opened, channel, closed=None):
    return row("enrollments", account_id=account_id, customer_id=customer_id, product_id=product_id,
               open_date=opened, close_date=closed, channel=channel, status="Closed" if closed else "Active")


ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail", enrollment_date=date(2023, 1, 15),
            birth_date=date(1980, 5, 1)),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", enrollment_date=date(2023, 6, 1),
            birth_date=date(1960, 1, 1)),
        row("customers", customer_id="C3", region="West", segment="Retail", enrollment_date=date(2024, 2, 5),
            birth_date=date(1995, 1, 1)),
        row("customers", customer_id="C4", region="West", segment="Small Business",
            enrollment_date=date(2024, 4, 20), birth_date=date(2000, 1, 1)),
        row("customers", customer_id="C5", region="Midwest", segment="Retail", enrollment_date=date(2023, 3, 1),
            birth_date=date(1950, 1, 1)),
    ],
    "products": [row("products", product_id="P1", category="Equity Fund"),
                 row("products", product_id="P2", product_name="Easy Saver", category="Savings")],
    "enrollments": [
        account("A1", "C1", "P1", date(2023, 1, 15), "Branch"),
        account("A8", "C1", "P2", date(2023, 2, 1), "Branch", closed=date(2024, 4, 1)),
        account("A2", "C2", "P1", date(2023, 6, 1), "Web", closed=date(2024, 3, 10)),
        account("A3", "C3", "P2", date(2024, 2, 5), "Mobile"),
        account("A4", "C4", "P1", date(2024, 4, 20), "Mobile"),
        account("A6", "C5", "P2", date(2023, 3, 1), "Branch", closed=date(2023, 9, 15)),
        account("A7", "C5", "P1", date(2024, 5, 10), "Phone"),
    ],
    "account_balances": [
        row("account_balances", account_id="A1", month_end=date(2024, 6, 30), balance=1000),
        row("account_balances", account_id="A3", month_end=date(2024, 6, 30), balance=500),
        row("account_balances", account_id="A4", month_end=date(2024, 6, 30), balance=2000),
        row("account_balances", account_id="A7", month_end=date(2024, 6, 30), balance=300),
    ],
    "churn_events": [
        row("churn_events", churn_id="X1", customer_id="C1", product_id="P2", account_id="A8",
            churn_date=date(2024, 4, 1), reason="Better Competitor", lifetime_value=200),
        row("churn_events", churn_id="X2", customer_id="C2", product_id="P1", account_id="A2",
            churn_date=date(2024, 3, 10), reason="High Fees", lifetime_value=800),
        row("churn_events", churn_id="X3", customer_id="C5", product_id="P2", account_id="A6",
            churn_date=date(2023, 9, 15), reason="Relocation", lifetime_value=100),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("customers"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def data(bank):
    return customers.load(Gateway.open(bank), H1)


def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Active customers"] == "4"
    assert cards["New customers"] == "2"
    assert cards["Churned customers"] == "1"
    # churned in a month over active at its start, summed over the months: 1 / (2+2+3+2+3+4)
    assert cards["Churn rate"] == "6.2%"
    assert cards["Retention"] == "50.0%"  # of C1 and C2, active at the start, only C1 is left
    changes = deltas(app)
    assert changes["Active customers"] == "+100.0%"  # 2 at the end of 2023
    assert changes["Churn rate"] == "-0.4 pp"  # 1 / 15 in H2 2023


def test_waterfall_walks_from_start_to_end(data):
    steps = {r["step"]: r for r in data["waterfall"].iter_rows(named=True)}
    assert [steps[s]["change"] for s in customers.WATERFALL_STEPS] == [2, 2, 1, -1, 4]
    assert steps["Churned"]["bottom"] == 4 and steps["Churned"]["top"] == 5
    growth = data["growth"]
    assert growth["start_customers"][0] + growth["new_customers"].sum() + growth["returning_customers"].sum() \
        - growth["churned_customers"].sum() == growth["end_customers"][-1] == 4
    assert data["kpis"]["active_customers"].current == 4


def test_each_chart_holds_the_hand_computed_parts(data):
    acquisition = data["acquisition"]
    assert acquisition["new_customers"].sum() == data["kpis"]["new_customers"].current == 2
    assert set(acquisition["acquisition_channel"]) == {"Mobile"}
    mix = {r["segment"]: (r["customers"], r["share"]) for r in data["segment_mix"].iter_rows(named=True)}
    assert mix == {"Retail": (3, 0.75), "Small Business": (1, 0.25)}
    by_age = {(r["segment"], r["age_band"]): r["average_balance"]
              for r in data["balance_by_age_band"].iter_rows(named=True)}
    assert by_age == {("Retail", "25-34"): 500, ("Retail", "35-44"): 1000, ("Retail", "65+"): 300,
                      ("Small Business", "18-24"): 2000}
    grid = {(r["tenure"], r["balance_band"]): r["customers"] for r in data["tenure_balance"].iter_rows(named=True)}
    assert grid == {("0–1", 0): 1, ("0–1", 1): 1, ("1–2", 0): 1, ("1–2", 1): 1}
    assert data["tenure_balance"]["total_balance"].sum() == 3800
    flows = data["account_flows"]
    assert sorted(flows.select("channel", "product_category", "accounts").rows()) == [
        ("Mobile", "Equity Fund", 1), ("Mobile", "Savings", 1), ("Phone", "Equity Fund", 1)]
    cohorts = data["cohorts"]
    assert cohorts.group_by("cohort").len().sort("cohort").rows() == [(date(2024, 2, 1), 5), (date(2024, 4, 1), 3)]
    assert cohorts["retention_share"].min() == 1.0


def test_churn_reasons_by_month_and_by_quarter(bank, data):
    monthly = {(r["period"], r["reason"]): (r["product_exits"], r["customer_churn_exits"])
               for r in data["churn_reasons"].iter_rows(named=True)}
    assert monthly == {(date(2024, 3, 1), "High Fees"): (1, 1), (date(2024, 4, 1), "Better Competitor"): (1, 0)}
    quarterly = customers.churn_reasons(Gateway.open(bank), H1, "quarter")
    assert quarterly.select("period", "reason").rows() == [(date(2024, 1, 1), "High Fees"),
                                                           (date(2024, 4, 1), "Better Competitor")]
    with pytest.raises(ValueError):
        customers.churn_reasons(Gateway.open(bank), H1, "week")


def test_a_region_filter_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    cards = metrics(app)
    assert (cards["Active customers"], cards["New customers"], cards["Churned customers"], cards["Retention"]) == \
        ("3", "2", "0", "100.0%")


def test_clicking_a_segment_focuses_the_page_and_can_be_cleared(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR}, state={"customers.segment": ["Retail"]})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Active customers"], cards["New customers"], cards["Churned customers"]) == ("3", "1", "0")
    chip = next(b for b in app.button if b.label == "Segment: Retail")
    chip.click().run()
    assert metrics(app)["Active customers"] == "4"
    assert not any(b.label.startswith("Segment:") for b in app.button)


def test_the_churn_chart_switches_to_quarters(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    titles = [m.value for m in app.markdown]
    assert "**Why customers leave: product exits by reason, per month**" in titles
    app.segmented_control(key="customers.churn_grain").set_value("Quarter").run()
    assert not app.exception
    titles = [m.value for m in app.markdown]
    assert "**Why customers leave: product exits by reason, per quarter**" in titles


def test_filters_that_leave_nothing_show_the_empty_state(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "Midwest", "segment": "Small Business"})
    assert not app.exception
    assert metrics(app)["Active customers"] == "0"
    assert any("Nothing to show for these filters" in i.value for i in app.info)


def test_a_warehouse_without_accounts_says_so(tmp_path_factory, open_page):
    db = fixture_warehouse(tmp_path_factory.mktemp("no_accounts"), {"customers": [row("customers")]},
                           as_of=date(2024, 6, 30))
    app = open_page(db, PAGE)
    assert not app.exception
    assert any("No data loaded for this area" in i.value for i in app.info)
