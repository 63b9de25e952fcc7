"""RFM & campaigns page: a hand-made card book whose RFM scores and segments can be worked out by hand.

Data as of 2024-06-30; the RFM window is the 365 days to it. Five card customers, so each of R, F and M is scored
1 to 5 by rank (one customer per score):
    C1  West / Retail          6 sales, last Jun 29, 800 (300 in Dec 2023)  -> 555 Champions
    C2  West / Corporate       4 sales, last Jun 20, 200                    -> 444 Loyal
    C3  Midwest / Retail       3 sales, last Jun 1, 120 (+ a declined 999)  -> 333 Need Attention
    C4  Midwest / Retail       2 sales, last May 1, 60                      -> 222 Hibernating
    C5  Midwest / Small Bus.   1 sale, Apr 1, 20                            -> 111 Lost
    C6  Midwest / Retail       no card sales (not scored), contacted by a campaign
Period H1 2024: sales 900 (C1 500, C2 200, C3 120, C4 60, C5 20) by 5 buyers; the previous half-year 300 (C1).
Campaigns: "Spring offer" (Mar 2024, budget 1,000) contacted C1 (converted, 500), C3, C5 (converted, 100), C6;
"Autumn offer" (Oct 2023) contacted C2, C3, C4 (converted, 50).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import rfm
from warehouse.scope import Scope

PAGE = "pages/rfm.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))

PEOPLE = {  # id: (first, last, region, segment)
    "C1": ("Ada", "Lovelace", "West", "Retail"),
    "C2": ("Grace", "Hopper", "West", "Corporate"),
    "C3": ("Alan", "Turing", "Midwest", "Retail"),
    "C4": ("Edsger", "Dijkstra", "Midwest", "Retail"),
    "C5": ("Barbara", "Liskov", "Midwest", "Small Business"),
    "C6": ("Donald", "Knuth", "Midwest", "Retail"),
}
SALES = [  # customer, day, amount, merchant category
    ("C1", "2023-12-15", 300, "Groceries"),
    *[("C1", day, 100, "Groceries") for day in ("2024-06-01", "2024-06-10", "2024-06-20", "2024-06-25")],
    ("C1", "2024-06-29", 100, "Travel"),
    *[("C2", day, 50, "Groceries") for day in ("2024-03-10", "2024-04-10", "2024-05-10", "2024-06-20")],
    *[("C3", day, 40, "Groceries") for day in ("2024-02-05", "2024-03-05", "2024-06-01")],
    *[("C4", day, 30, "Groceries") for day in ("2024-01-15", "2024-05-01")],
    ("C5", "2024-04-01", 20, "Groceries"),
]


def contact(campaign: str, customer: str, day: date, converted: bool = False, revenue: float = 0,
            responded: bool | None = None) -> dict:
    return row("campaign_contacts", campaign_id=campaign, customer_id=customer, contacted_date=day,
               converted=converted, responded=converted if responded is None else responded, revenue=revenue)


ROWS = {
    "customers": [
        row("customers", customer_id=cid, first_name=first, last_name=last, region=region, segment=segment,
            email=f"{first.lower()}@example.com")
        for cid, (first, last, region, segment) in PEOPLE.items()
    ],
    "card_transactions": [
        *[row("card_transactions", transaction_id=f"T{i}", customer_id=cid, transaction_at=f"{day} 12:00:00",
              amount=amount, merchant_category=category) for i, (cid, day, amount, category) in enumerate(SALES)],
        row("card_transactions", transaction_id="TX", customer_id="C3", transaction_at="2024-06-15 12:00:00",
            amount=999, status="Declined"),
    ],
    "marketing_campaigns": [
        row("marketing_campaigns", campaign_id="M1", campaign_name="Spring offer", start_date=date(2024, 3, 1),
            end_date=date(2024, 3, 31), budget=1000),
        row("marketing_campaigns", campaign_id="M2", campaign_name="Autumn offer", start_date=date(2023, 10, 1),
            end_date=date(2023, 10, 31), budget=500, channel="SMS"),
    ],
    "campaign_contacts": [
        contact("M1", "C1", date(2024, 3, 5), converted=True, revenue=500),
        contact("M1", "C3", date(2024, 3, 5), responded=True),
        contact("M1", "C5", date(2024, 3, 6), converted=True, revenue=100),
        contact("M1", "C6", date(2024, 3, 6)),
        contact("M2", "C2", date(2023, 10, 5)),
        contact("M2", "C3", date(2023, 10, 5)),
        contact("M2", "C4", date(2023, 10, 5), converted=True, revenue=50),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("rfm"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def db(bank):
    return Gateway.open(bank)


# -- queries --------------------------------------------------------------------------------------------------------

def test_segments_are_the_hand_scored_ones(db):
    segments = rfm.segments(db, SCOPE)
    assert segments.select("rfm_segment", "customers", "sales").rows() == [
        ("Champions", 1, 800.0), ("Loyal", 1, 200.0), ("Need Attention", 1, 120.0), ("Hibernating", 1, 60.0),
        ("Lost", 1, 20.0)]
    assert segments["share_of_sales"].sum() == pytest.approx(1.0)
    assert segments["share_of_customers"].sum() == pytest.approx(1.0)
    codes = dict(rfm.customers(db, SCOPE).select("customer_id", "rfm_code").rows())
    assert codes == {"C1": "555", "C2": "444", "C3": "333", "C4": "222", "C5": "111"}


def test_kpis_hand_computed(db):
    figures = rfm.kpis(db, SCOPE)
    assert figures["customers"] == 5
    assert (figures["sales"].current, figures["sales"].previous) == (900, 300)
    assert (figures["buyers"].current, figures["buyers"].previous) == (5, 1)
    assert figures["average_spend"].current == pytest.approx(180)
    assert figures["top_share"] == pytest.approx(1000 / 1200)  # Champions 800 + Loyal 200 of 1,200 spent
    assert figures["conversion_rate"].current == pytest.approx(2 / 4)
    assert figures["conversion_rate"].previous == pytest.approx(1 / 3)


def test_a_selected_segment_narrows_sales_to_its_customers(db):
    figures = rfm.kpis(db, SCOPE, ("Champions",))
    assert figures["customers"] == 1
    assert (figures["sales"].current, figures["sales"].previous) == (500, 300)
    assert figures["conversion_rate"].current == 1.0  # C1 was contacted and converted
    assert figures["top_share"] == pytest.approx(1000 / 1200)  # the mix measure keeps every segment
    trend = rfm.sales_trend(db, SCOPE, "month", ("Champions",))
    assert trend.select("period", "sales").rows() == [(date(2024, 6, 1), 500.0)]
    categories = rfm.sales_by_category(db, SCOPE, ("Champions",))
    assert categories.select("merchant_category", "sales").rows() == [("Groceries", 400.0), ("Travel", 100.0)]
    assert rfm.rf_grid(db, SCOPE, ("Champions",)).select("r_score", "f_score", "customers").rows() == [(5, 5, 1)]
    assert rfm.customers(db, SCOPE, ("Champions", "Loyal"))["customer_id"].to_list() == ["C1", "C2"]


def test_every_segment_selected_reads_like_no_selection(db):
    everyone = tuple(rfm.segments(db, SCOPE)["rfm_segment"])
    for grain in rfm.GRAINS:
        plain, joined = rfm.sales_trend(db, SCOPE, grain), rfm.sales_trend(db, SCOPE, grain, everyone)
        assert plain.select("period", "sales", "transactions").rows() == \
            joined.select("period", "sales", "transactions").rows(), grain
        assert plain["sales"].sum() == pytest.approx(900)
    assert rfm.sales_by_category(db, SCOPE).rows() == rfm.sales_by_category(db, SCOPE, everyone).rows()
    assert rfm.sales_by_category(db, SCOPE)["share_of_sales"].sum() == pytest.approx(1.0)


def test_grains_and_periods_cut_short(db):
    quarters = rfm.sales_trend(db, SCOPE, "quarter")
    assert quarters.select("period_label", "sales", "partial").rows() == [("Q1 2024", 160.0, False),
                                                                          ("Q2 2024", 740.0, False)]
    assert rfm.sales_trend(db, SCOPE, "year").select("period_label", "partial").rows() == [("2024", True)]
    assert rfm.sales_trend(db, SCOPE, "day").height == 13  # 13 distinct sales days in H1 2024
    with pytest.raises(ValueError):
        rfm.sales_trend(db, SCOPE, "fortnight")


def test_region_filter_and_row_level_security(db):
    west = rfm.kpis(db, Scope(SCOPE.start, SCOPE.end, regions=("West",)))
    assert (west["customers"], west["sales"].current, west["top_share"]) == (2, 700, 1.0)
    assert west["conversion_rate"].current == 1.0  # in the West, Spring offer reached C1 only
    midwest_only = Scope(SCOPE.start, SCOPE.end, allowed_regions=("Midwest",))
    assert rfm.customers(db, midwest_only)["customer_id"].to_list() == ["C3", "C4", "C5"]
    assert rfm.target_list(db, midwest_only, ("Champions",)).is_empty()
    campaigns = rfm.campaigns(db, midwest_only)
    assert campaigns.select("campaign_name", "contacts", "conversions").rows() == [("Spring offer", 3, 1)]
    assert campaigns["budget"].to_list() == [None]  # a budget cannot be split by region


def test_campaigns_of_the_period(db):
    campaigns = rfm.campaigns(db, SCOPE)
    assert campaigns.select("campaign_name", "budget", "contacts", "conversions", "revenue").rows() == [
        ("Spring offer", 1000.0, 4, 2, 600.0)]
    assert campaigns["roi"][0] == pytest.approx(-0.4)
    assert campaigns["cost_per_conversion"][0] == pytest.approx(500)
    by_segment = rfm.conversions_by_segment(db, SCOPE)
    assert by_segment.select("rfm_segment", "contacts", "conversions").rows() == [
        ("Champions", 1, 1), ("Need Attention", 1, 0), ("Lost", 1, 1), ("Not scored", 1, 0)]


def test_search_is_bound_and_limited(db):
    assert rfm.customers(db, SCOPE, search="hopper")["customer_id"].to_list() == ["C2"]
    assert rfm.customers(db, SCOPE, search=" c4 ")["customer_id"].to_list() == ["C4"]
    assert rfm.customers(db, SCOPE, search="' or 1=1 --").is_empty()
    top_two = rfm.customers(db, SCOPE, limit=2)
    assert top_two["customer_id"].to_list() == ["C1", "C2"]  # biggest spenders first
    assert top_two["matching"].to_list() == [5, 5]


def test_target_list_holds_contact_details(db):
    targets = rfm.target_list(db, SCOPE, ("Champions", "Loyal"))
    assert targets.select("customer_id", "email", "rfm_segment", "rfm_code").rows() == [
        ("C1", "ada@example.com", "Champions", "555"), ("C2", "grace@example.com", "Loyal", "444")]
    assert rfm.target_list(db, Scope(SCOPE.start, SCOPE.end, segments=("Corporate",)), ("Champions", "Loyal")) \
        ["customer_id"].to_list() == ["C2"]


# -- the page -------------------------------------------------------------------------------------------------------

def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert metrics(app) == {"Scored customers": "5", "Card sales": "$900", "Spend per customer": "$180",
                            "Top-segment spend": "83.3%", "Conversion rate": "50.0%"}
    assert deltas(app)["Card sales"] == "+200.0%"
    assert deltas(app)["Conversion rate"] == "+16.7 pp"
    assert _download(app, "Export target list").proto.disabled  # nobody to target until a segment is picked


def test_a_region_filter_changes_the_cards(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "Midwest"})
    cards = metrics(app)
    assert (cards["Scored customers"], cards["Card sales"], cards["Spend per customer"]) == ("3", "$200", "$66.67")
    assert cards["Top-segment spend"] == "0.0%"


def test_clicking_a_segment_focuses_the_page_and_can_be_cleared(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR}, state={"rfm.segment": ["Champions"]})
    assert not app.exception
    cards = metrics(app)
    assert (cards["Scored customers"], cards["Card sales"], cards["Conversion rate"]) == ("1", "$500", "100.0%")
    titles = [m.value for m in app.markdown]
    assert "**Card sales by month: Champions**" in titles
    customers = _customer_table(app)
    assert customers["customer_id"].tolist() == ["C1"]
    assert not _download(app, "Export target list").proto.disabled
    chip = next(b for b in app.button if b.label == "RFM segment: Champions")
    chip.click().run()
    assert metrics(app)["Scored customers"] == "5"
    assert len(_customer_table(app)) == 5


def test_grain_and_search_controls(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR}, state={"rfm.grain": "quarter"})
    assert "**Card sales by quarter**" in [m.value for m in app.markdown]
    app.text_input(key="rfm.search").input("turing").run()
    assert not app.exception
    assert _customer_table(app)["customer_id"].tolist() == ["C3"]


def test_a_period_without_sales_shows_empty_states(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": ["2023-02-01", "2023-06-30"]})
    assert not app.exception
    assert metrics(app)["Card sales"] == "$0"
    assert any("Nothing to show" in info.value for info in app.info)


def test_a_warehouse_without_cards_or_campaigns_says_so(tmp_path_factory, open_page):
    empty = fixture_warehouse(tmp_path_factory.mktemp("rfm_empty"), {"customers": [row("customers")]},
                              as_of=date(2024, 6, 30))
    app = open_page(empty, PAGE)
    assert not app.exception
    assert any("No data loaded for this area" in info.value for info in app.info)
    assert not app.metric


def _customer_table(app):
    return next(frame.value for frame in app.dataframe if "customer_id" in frame.value.columns)


def _download(app, label):
    return next(button for button in app.get("download_button") if button.proto.label == label)
