"""Overview page: headline figures from a hand-made bank, filters and the region cross-filter."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from app import export
from app.ui import EXPORTED_SHEETS
from tests.factories import row
from tests.pages.conftest import fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import overview
from warehouse.scope import Scope

PAGE = "pages/overview.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]

ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail", enrollment_date=date(2023, 1, 15)),
        row("customers", customer_id="C2", region="Midwest", segment="Corporate", wealth_tier="Affluent",
            enrollment_date=date(2023, 6, 1)),
    ],
    "products": [row("products")],
    "enrollments": [
        row("enrollments", account_id="A1", customer_id="C1", open_date=date(2023, 1, 15)),
        row("enrollments", account_id="A2", customer_id="C2", open_date=date(2023, 6, 1)),
    ],
    "account_balances": [
        row("account_balances", account_id="A1", month_end=date(2024, 5, 31), balance=900, contributions=50),
        row("account_balances", account_id="A1", month_end=date(2024, 6, 30), balance=1000, contributions=100),
        row("account_balances", account_id="A2", month_end=date(2024, 6, 30), balance=3000, withdrawals=200),
        # the previous half-year: AUM 2,000 at its end
        row("account_balances", account_id="A2", month_end=date(2023, 12, 31), balance=2000, contributions=2000),
    ],
    "loans": [row("loans", loan_id="L1", customer_id="C1", issue_date=date(2024, 2, 1),
                  maturity_date=date(2027, 2, 1), principal=12000)],
    "service_interactions": [
        row("service_interactions", interaction_id="I1", customer_id="C1", opened_at="2024-03-01 09:00:00",
            closed_at="2024-03-01 09:30:00", satisfaction=4),
        row("service_interactions", interaction_id="I2", customer_id="C2", opened_at="2024-04-01 09:00:00",
            closed_at="2024-04-01 09:30:00", satisfaction=2),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("overview"), ROWS, as_of=date(2024, 6, 30))


def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Customers"] == "2"
    assert cards["AUM"] == "$4.00K"  # 1,000 + 3,000 at June's end
    assert cards["Net flows"] == "-$50"  # contributions 50 + 100, withdrawals 200
    assert cards["Active loans"] == "1"
    assert cards["Loans issued"] == "1"
    assert cards["Avg satisfaction"] == "3.00"  # (4 + 2) / 2
    assert cards["Retention"] == "100.0%"
    aum = next(m for m in app.metric if m.label == "AUM")
    assert aum.delta == "+100.0%"  # against 2,000 at the end of December 2023


def test_a_region_filter_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    cards = metrics(app)
    assert (cards["Customers"], cards["AUM"], cards["Net flows"], cards["Avg satisfaction"]) == \
        ("1", "$1.00K", "$150", "4.00")


def test_clicking_a_region_focuses_the_page_and_can_be_cleared(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR}, state={"overview.region": ["Midwest"]})
    cards = metrics(app)
    assert (cards["Customers"], cards["AUM"], cards["Loans issued"]) == ("1", "$3.00K", "0")
    chip = next(b for b in app.button if b.label == "Region: Midwest")
    chip.click().run()
    assert metrics(app)["Customers"] == "2"
    assert not any(b.label.startswith("Region:") for b in app.button)


def test_revenue_card_is_the_sum_of_revenue_by_region(bank):
    gateway = Gateway.open(bank)
    scope = Scope(date(2024, 1, 1), date(2024, 6, 30))
    data = overview.load(gateway, scope)
    assert data["kpis"]["revenue"].current == pytest.approx(data["revenue_by_region"]["revenue"].sum())
    assert data["kpis"]["revenue"].current > 0
    assert data["region_summary"]["aum"].sum() == pytest.approx(4000)


def test_export_page_holds_every_visual_with_its_data(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    sheets = app.session_state[EXPORTED_SHEETS]
    book = openpyxl.load_workbook(io.BytesIO(export.workbook(sheets, "USD")))
    assert book.sheetnames == ["Revenue by region", "AUM trend and twelve-month fore",
                               "AUM by product category at the", "Customers by state (top 15)", "Regions in the period"]
    regions = book["Regions in the period"]
    header = [cell.value for cell in regions[1]]
    assert header[:3] == ["Region", "Customers", "Revenue"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in regions.iter_rows(min_row=2, values_only=True)}
    assert rows["Midwest"]["AUM at period end"] == 3000 and rows["West"]["AUM at period end"] == 1000
    assert regions["D2"].number_format.startswith('"$"#,##0.00')
