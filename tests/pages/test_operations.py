"""Operations page: sales, new customers, expenses, cost-to-income and employees against target, on a hand-made
bank whose data runs to 30 June 2024 (so 2024 is year to date: 182 of 366 days).

    Sales (customer's region)           H1 2024: A1 1,000 + A3 2,000 + loan L1 10,000 (all West) = 13,000
                                        H2 2023: A2 5,000 + loan L2 20,000 (Midwest)             = 25,000
    Expenses                            H1 2024: West 300 + Midwest 200; H2 2023: West 100
    Income (loan interest, 6% a year)   L1 10,000 from March 2024: 50 + 45.83 + 41.67 + 37.50    = 175 (West)
                                        L2 20,000 from October 2023: January-June 2024 100 x 39/12 = 325 (Midwest)
                                        and October-December 2023 100 + 91.67 + 83.33           = 275
    Employees (annual target)           E1 Advisor West 10,000: 2024 sales 3,000 (A1, A3)
                                        E2 Advisor Midwest 4,000: 2023 sales 5,000 (A2), 2024 none
                                        E3 Sales West 20,000: 2023 sales 20,000 (L2), 2024 10,000 (L1)
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import operations
from warehouse.scope import Scope

PAGE = "pages/operations.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))
YEAR_TO_DATE = 182 / 366

ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail", enrollment_date=date(2024, 2, 10)),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", wealth_tier="Affluent",
            enrollment_date=date(2023, 9, 1)),
        row("customers", customer_id="C3", region="West", segment="Retail", enrollment_date=date(2024, 5, 5)),
    ],
    "employees": [
        row("employees", employee_id="E1", full_name="Ann Advisor", role="Advisor", region="West",
            sales_target=10000),
        row("employees", employee_id="E2", full_name="Bob Advisor", role="Advisor", region="Midwest",
            sales_target=4000),
        row("employees", employee_id="E3", full_name="Cid Seller", role="Sales", department="Lending",
            region="West", sales_target=20000),
    ],
    "products": [row("products")],
    "enrollments": [
        row("enrollments", account_id="A1", customer_id="C1", open_date=date(2024, 2, 10), initial_investment=1000,
            advisor_id="E1"),
        row("enrollments", account_id="A2", customer_id="C2", open_date=date(2023, 9, 1), initial_investment=5000,
            advisor_id="E2"),
        row("enrollments", account_id="A3", customer_id="C3", open_date=date(2024, 5, 5), initial_investment=2000,
            advisor_id="E1"),
    ],
    "loans": [
        row("loans", loan_id="L1", customer_id="C1", principal=10000, issue_date=date(2024, 3, 1),
            maturity_date=date(2025, 3, 1), officer_id="E3"),
        row("loans", loan_id="L2", customer_id="C2", principal=20000, issue_date=date(2023, 10, 15),
            maturity_date=date(2024, 10, 15), officer_id="E3", region="Midwest"),
    ],
    "expenses": [
        row("expenses", expense_id="X1", expense_date=date(2024, 3, 15), region="West", amount=300),
        row("expenses", expense_id="X2", expense_date=date(2024, 4, 10), region="Midwest", department="Technology",
            category="Technology", amount=200),
        row("expenses", expense_id="X3", expense_date=date(2023, 11, 20), region="West", amount=100),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("operations"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def data(bank):
    return operations.load(Gateway.open(bank), SCOPE)


def test_headline_figures_are_hand_computed(data):
    figures = data["kpis"]
    assert (figures["sales"].current, figures["sales"].previous) == pytest.approx((13000, 25000))
    assert (figures["new_customers"].current, figures["new_customers"].previous) == (2, 1)
    assert (figures["expenses"].current, figures["expenses"].previous) == pytest.approx((500, 100))
    assert figures["income"].current == pytest.approx(175 + 325)
    assert figures["cost_to_income"].current == pytest.approx(500 / 500)
    assert figures["cost_to_income"].previous == pytest.approx(100 / 275)
    # 2024: only E3 (10,000 against 20,000 x 182/366); 2023: E2 and E3 met theirs, E1 sold nothing
    assert figures["on_target"].current == pytest.approx(1 / 3)
    assert figures["on_target"].previous == pytest.approx(2 / 3)


def test_quarterly_sales_add_up_to_the_card(data):
    quarters = data["regional_sales"]
    west = quarters.filter(pl.col("region") == "West").sort("quarter_start_date")
    assert west["quarter"].to_list() == ["2024-Q1", "2024-Q2"]
    assert west["total_sales"].to_list() == pytest.approx([11000, 2000])
    assert west["new_customers"].to_list() == [1, 1]
    # whole quarters inside the period: the bars hold exactly the card's sales
    assert quarters["total_sales"].sum() == pytest.approx(data["kpis"]["sales"].current)
    assert not quarters["partly_in_period"].any() and not quarters["quarter_to_date"].any()
    midwest = quarters.filter(pl.col("region") == "Midwest")
    assert midwest["sales_growth"].to_list() == pytest.approx([-1.0])  # nothing after L2's 20,000 in 2023-Q4


def test_a_period_cutting_quarters_is_flagged(bank):
    data = operations.load(Gateway.open(bank), Scope(date(2024, 2, 1), date(2024, 5, 31)))
    quarters = data["regional_sales"].filter(pl.col("region") == "West")
    assert quarters["partly_in_period"].to_list() == [True, True]
    assert data["kpis"]["sales"].current == pytest.approx(13000)  # February to May holds every sale


def test_costs_by_region_month_and_category(data):
    ratio = data["cost_to_income"]
    by_region = ratio.group_by("region").agg(pl.col("expenses").sum(), pl.col("income").sum())
    totals = {r["region"]: (r["expenses"], r["income"]) for r in by_region.iter_rows(named=True)}
    assert totals["West"] == pytest.approx((300, 175))
    assert totals["Midwest"] == pytest.approx((200, 325))
    march = ratio.filter((pl.col("region") == "West") & (pl.col("month") == date(2024, 3, 1)))
    assert march["cost_to_income"].to_list() == pytest.approx([300 / 50])
    categories = data["expenses_by_category"].group_by("category").agg(pl.col("expenses").sum()).sort("category")
    assert dict(zip(categories["category"], categories["expenses"], strict=True)) == {"Rent": 300,
                                                                                     "Technology": 200}
    departments = data["expenses_by_department"]
    assert departments["expenses"].sum() == pytest.approx(data["kpis"]["expenses"].current)
    assert departments["share"].sum() == pytest.approx(1)


def test_employees_against_target_to_date(data):
    people = data["employees"]
    assert people["employee_id"].to_list() == ["E3", "E1", "E2"]  # best attainment first
    assert people["sales_target_to_date"].to_list() == pytest.approx(
        [20000 * YEAR_TO_DATE, 10000 * YEAR_TO_DATE, 4000 * YEAR_TO_DATE])
    assert people["attainment"].to_list() == pytest.approx([10000 / (20000 * YEAR_TO_DATE),
                                                            3000 / (10000 * YEAR_TO_DATE), 0])
    assert people["status"].to_list() == ["On target", "Below target", "Below target"]
    bands = data["attainment_distribution"]
    assert dict(zip(bands["attainment_band"], bands["employees"], strict=True)) == {
        "Under 50%": 1, "50–100%": 1, "100–150%": 1, "150–200%": 0, "200–300%": 0, "300% and over": 0}
    assert bands["share"].sum() == pytest.approx(1)
    ranked = data["top_and_bottom_employees"]
    assert list(zip(ranked["group"], ranked["employee_id"], strict=True)) == [("Top 1", "E3"), ("Bottom 1", "E2")]


def test_cards_show_the_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert metrics(app) == {"Sales": "$13.0K", "New customers": "2", "Expenses": "$500", "Cost-to-income": "100.0%",
                            "Employees on target": "33.3%"}
    changes = deltas(app)
    assert (changes["Sales"], changes["Expenses"], changes["Employees on target"]) == ("-48.0%", "+400.0%",
                                                                                        "-33.3 pp")
    assert any("year to date" in text.value for text in app.markdown)
    assert not any(info.value.startswith("Nothing to show") for info in app.info)


def test_a_region_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Sales"], cards["Expenses"], cards["Cost-to-income"], cards["Employees on target"]) == \
        ("$13.0K", "$300", "171.4%", "50.0%")  # 300 / 175; E3 of E1 and E3


def test_a_segment_leaves_costs_and_employees_alone(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "segment": "Corporate"})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Sales"], cards["New customers"]) == ("$0", "0")  # C2 bought in 2023 only
    assert (cards["Expenses"], cards["Cost-to-income"], cards["Employees on target"]) == \
        ("$500", "100.0%", "33.3%")
    assert any("only the region and period" in text.value for text in app.caption)


def test_a_bank_without_operations_data_shows_empty_states(tmp_path_factory, open_page):
    db = fixture_warehouse(tmp_path_factory.mktemp("no_operations"), {"customers": [row("customers")]},
                           as_of=date(2024, 6, 30))
    app = open_page(db, PAGE)
    assert not app.exception
    assert metrics(app)["Expenses"] == "$0"
    assert sum(info.value.startswith("Nothing to show") for info in app.info) >= 5
