"""Wealth & products page: AUM, flows, fees and ROI of a hand-made investment book, by product and group.

Three accounts, two products, month ends May and June 2024 (the period H1 2024) and December 2023 (the end of
the previous half-year):
    A1  West / Retail, Growth Fund (High):   May 1,000; June 1,100 (+100 in, +10 return, -10 fee)
    A2  Midwest / Corporate, Bond Fund (Low): Dec 2,000 (40 return); May 3,000; June 2,950 (-100 out, +60, -10 fee)
    A3  West / Retail, Bond Fund (Low):       June 500 (+500 in, a new account)
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import wealth
from warehouse.scope import Scope

PAGE = "pages/wealth.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))


def balance(account: str, month_end: date, amount: float, **moves: float) -> dict:
    return row("account_balances", account_id=account, month_end=month_end, balance=amount, **moves)


ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail"),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", wealth_tier="Affluent"),
    ],
    "products": [
        row("products", product_id="P1", product_name="Growth Fund", category="Equity Fund",
            investment_type="Stocks", risk_level="High"),
        row("products", product_id="P2", product_name="Bond Fund", category="Bond Fund", investment_type="Bonds",
            risk_level="Low"),
    ],
    "enrollments": [
        row("enrollments", account_id="A1", customer_id="C1", product_id="P1", open_date=date(2023, 1, 15)),
        row("enrollments", account_id="A2", customer_id="C2", product_id="P2", open_date=date(2023, 12, 1)),
        row("enrollments", account_id="A3", customer_id="C1", product_id="P2", open_date=date(2024, 6, 1)),
    ],
    "account_balances": [
        balance("A2", date(2023, 12, 31), 2000, contributions=1980, investment_returns=40, fees=20),
        balance("A1", date(2024, 5, 31), 1000),
        balance("A1", date(2024, 6, 30), 1100, contributions=100, investment_returns=10, fees=10),
        balance("A2", date(2024, 5, 31), 3000),
        balance("A2", date(2024, 6, 30), 2950, withdrawals=100, investment_returns=60, fees=10),
        balance("A3", date(2024, 6, 30), 500, contributions=500),
    ],
    "market_data": [
        row("market_data", trade_date=date(2024, 4, 30), equity_index=100, bond_index=100),
        row("market_data", trade_date=date(2024, 5, 31), equity_index=102, bond_index=100),
        row("market_data", trade_date=date(2024, 6, 28), equity_index=103.02, bond_index=101),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("wealth"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def data(bank):
    return wealth.load(Gateway.open(bank), SCOPE)


def test_headline_figures_are_hand_computed(data):
    figures = data["kpis"]
    assert figures["aum"].current == pytest.approx(4550)  # 1,100 + 2,950 + 500 at June's end
    assert figures["aum"].previous == pytest.approx(2000)  # December 2023
    assert figures["accounts"].current == 3
    assert figures["net_flows"].current == pytest.approx(500)  # (100 + 500) in, 100 out
    assert figures["fees"].current == pytest.approx(20)
    assert figures["investment_returns"].current == pytest.approx(70)
    # returns 70 over the average of the May (4,000) and June (4,550) month ends
    assert figures["roi"].current == pytest.approx(70 / ((4000 + 4550) / 2))
    assert figures["roi"].previous == pytest.approx(40 / 2000)


def test_products_regroup_to_the_totals(data):
    products = data["products"].sort("product_id")
    assert products["product_name"].to_list() == ["Growth Fund", "Bond Fund"]
    assert products["aum"].to_list() == pytest.approx([1100, 3450])
    assert products["return_rate"].to_list() == pytest.approx([10 / 1050, 60 / 3225])
    assert products["accounts"].to_list() == [1, 2]
    assert products["aum"].sum() == pytest.approx(data["kpis"]["aum"].current)
    assert products["fees"].sum() == pytest.approx(data["kpis"]["fees"].current)
    assert data["product_regions"]["net_flow"].sum() == pytest.approx(data["kpis"]["net_flows"].current)
    # volatility: P1 returned 0 then 1% a month, P2 0 then 2%
    assert products["volatility"].to_list() == pytest.approx([0.01 / 2 ** 0.5, 0.02 / 2 ** 0.5])


def test_groupings_of_products(data):
    by_risk = data["aum_by_risk"]
    assert by_risk["risk_level"].to_list() == ["Low", "High"]  # Low to High
    assert by_risk["aum"].to_list() == pytest.approx([3450, 1100])
    assert by_risk["share"].sum() == pytest.approx(1)
    by_type = data["roi_by_investment_type"]
    assert dict(zip(by_type["investment_type"], by_type["return_rate"], strict=True)) == pytest.approx(
        {"Bonds": 60 / 3225, "Stocks": 10 / 1050})
    ranked = data["top_and_bottom"]  # two products: one on each side, none twice
    assert list(zip(ranked["group"], ranked["product_name"], strict=True)) == [
        ("Top 1", "Bond Fund"), ("Bottom 1", "Growth Fund")]


def test_flows_fees_and_benchmark_by_month(bank, data):
    trends = data["trends"]
    assert trends["month"].to_list() == [date(2024, 5, 1), date(2024, 6, 1)]
    assert trends["contributions"].to_list() == pytest.approx([0, 600])
    assert trends["withdrawals"].to_list() == pytest.approx([0, 100])
    assert trends["monthly_return"].to_list() == pytest.approx([0, 70 / 4000])
    fees = data["fees_by_category"].filter(pl.col("month") == date(2024, 6, 1))
    assert dict(zip(fees["product_category"], fees["fees"], strict=True)) == {"Bond Fund": 10, "Equity Fund": 10}
    bench = data["benchmark"].filter(pl.col("month") == date(2024, 6, 1))
    cumulative = dict(zip(bench["series"], bench["cumulative_return"], strict=True))
    assert cumulative == pytest.approx({"Portfolio": 0.0175, "Equity index": 1.02 * 1.01 - 1, "Bond index": 0.01})
    # unfiltered, the portfolio line is the bank-wide view's
    bank_wide = Gateway.open(bank).frame(
        "select month, portfolio_return from portfolio_vs_benchmark_monthly where month >= '2024-01-01' "
        "order by month")
    mine = data["benchmark"].filter(pl.col("series") == "Portfolio")
    assert mine["monthly_return"].to_list() == pytest.approx(bank_wide["portfolio_return"].to_list())


def test_a_region_narrows_every_figure(bank):
    west = wealth.load(Gateway.open(bank), Scope(SCOPE.start, SCOPE.end, regions=("West",)))
    assert west["kpis"]["aum"].current == pytest.approx(1600)
    assert west["kpis"]["net_flows"].current == pytest.approx(600)
    assert west["kpis"]["roi"].current == pytest.approx(10 / ((1000 + 1600) / 2))
    assert set(west["product_regions"]["region"]) == {"West"}
    portfolio = west["benchmark"].filter(pl.col("series") == "Portfolio")
    assert portfolio["monthly_return"].to_list() == pytest.approx([0, 10 / 1000])


def test_cards_show_the_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards == {"AUM": "$4.55K", "Net flows": "$500", "Fee revenue": "$20", "Return (ROI)": "1.6%",
                     "Accounts": "3"}
    changes = deltas(app)
    assert changes["AUM"] == "+127.5%"
    assert changes["Return (ROI)"] == "-0.4 pp"
    assert not any(info.value.startswith("Nothing to show") for info in app.info)


def test_a_segment_filter_changes_the_cards(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "segment": "Corporate"})
    assert not app.exception
    cards = metrics(app)
    assert (cards["AUM"], cards["Net flows"], cards["Accounts"]) == ("$2.95K", "-$100", "1")
    assert any("selected groups" in caption.value for caption in app.caption)


def test_a_period_without_balances_shows_empty_states(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": ["2023-02-01", "2023-03-31"]})
    assert not app.exception
    assert metrics(app)["AUM"] == "$0"
    assert any(info.value.startswith("Nothing to show") for info in app.info)


def test_a_warehouse_without_investments_says_so(tmp_path_factory, open_page):
    rows = {"customers": [row("customers")]}
    db = fixture_warehouse(tmp_path_factory.mktemp("no_wealth"), rows, as_of=date(2024, 6, 30))
    app = open_page(db, PAGE)
    assert not app.exception
    assert not app.metric
    assert any("No data loaded" in info.value for info in app.info)
