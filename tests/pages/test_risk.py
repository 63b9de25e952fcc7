"""Lending, risk & fraud page: a hand-made loan book, risk assessments and fraud cases; figures computed by hand.

The period is the first half of 2024 (as of 2024-06-30); the previous period is the second half of 2023.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import row
from tests.pages.conftest import deltas, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import risk
from warehouse.scope import Scope

PAGE = "pages/risk.py"
HALF_YEAR = ["2024-01-01", "2024-06-30"]
SCOPE = Scope(date(2024, 1, 1), date(2024, 6, 30))

ROWS = {
    "customers": [
        row("customers", customer_id="C1", first_name="Ada", last_name="Moss", region="West", segment="Retail"),
        row("customers", customer_id="C2", first_name="Ben", last_name="Ray", region="Midwest",
            segment="Corporate"),
        row("customers", customer_id="C3", first_name="Cy", last_name="Lee", region="West",
            segment="Small Business"),
    ],
    "loans": [
        # issued in the period, active at its end: 12,000 x (1 - 4/12) = 8,000 outstanding in June
        row("loans", loan_id="L1", customer_id="C1", loan_type="Personal", principal=12000, interest_rate=0.12,
            term_months=12, issue_date=date(2024, 2, 1), maturity_date=date(2025, 2, 1), status="Active"),
        # issued in the previous period: 200,000 x (1 - 9/120) = 185,000 in June, 195,000 in December 2023
        row("loans", loan_id="L2", customer_id="C2", loan_type="Home", principal=200000, interest_rate=0.06,
            term_months=120, issue_date=date(2023, 9, 15), maturity_date=date(2033, 9, 15), status="Active",
            region="Midwest"),
        # issued in the period, defaulted in May: on the books until April only
        row("loans", loan_id="L3", customer_id="C3", loan_type="Auto", principal=20000, interest_rate=0.09,
            term_months=24, issue_date=date(2024, 3, 10), maturity_date=date(2026, 3, 10), status="Defaulted",
            status_date=date(2024, 5, 20)),
    ],
    "risk_assessments": [
        row("risk_assessments", assessment_id="R1", customer_id="C1", assessed_on=date(2023, 6, 1),
            credit_score=720, default_probability=0.02, risk_level="Low"),
        row("risk_assessments", assessment_id="R2", customer_id="C1", assessed_on=date(2024, 3, 1),
            credit_score=520, default_probability=0.20, risk_level="High"),
        row("risk_assessments", assessment_id="R3", customer_id="C2", assessed_on=date(2023, 10, 1),
            credit_score=560, default_probability=0.10, risk_level="High"),
        row("risk_assessments", assessment_id="R4", customer_id="C2", assessed_on=date(2024, 5, 1),
            credit_score=650, default_probability=0.04, risk_level="Medium"),
        row("risk_assessments", assessment_id="R5", customer_id="C3", assessed_on=date(2024, 1, 15),
            credit_score=480, default_probability=0.30, risk_level="High"),
    ],
    "fraud_cases": [
        row("fraud_cases", case_id="F1", customer_id="C1", flagged_date=date(2024, 2, 10), amount=500,
            status="Confirmed Fraud", closed_date=date(2024, 3, 1)),
        row("fraud_cases", case_id="F2", customer_id="C2", flagged_date=date(2024, 5, 5), amount=300,
            status="Open"),
        # open at the end of 2023, closed in January
        row("fraud_cases", case_id="F3", customer_id="C3", flagged_date=date(2023, 11, 20), amount=200,
            status="Cleared", closed_date=date(2024, 1, 10)),
        row("fraud_cases", case_id="F4", customer_id="C1", flagged_date=date(2024, 6, 20), amount=50,
            status="Under Investigation"),
    ],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("risk"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture(scope="module")
def data(bank):
    return risk.load(Gateway.open(bank), SCOPE)


def test_loan_book_figures(data):
    figures = data["kpis"]
    assert (figures["active_loans"].current, figures["active_loans"].previous) == (2, 1)  # L1 + L2; L2
    assert figures["outstanding_principal"].current == pytest.approx(8000 + 185000)
    assert figures["outstanding_principal"].previous == pytest.approx(195000)
    assert (figures["loans_issued"].current, figures["loans_issued"].previous) == (2, 1)
    assert figures["amount_issued"].current == pytest.approx(32000)


def test_risk_positions_at_each_period_end(data):
    figures = data["kpis"]
    # June 2024: C1 0.20 (High), C2 0.04 (Medium), C3 0.30 (High); December 2023: C1 0.02, C2 0.10 (High)
    assert figures["default_probability"].current == pytest.approx(0.18)
    assert figures["default_probability"].previous == pytest.approx(0.06)
    assert (figures["high_risk_customers"].current, figures["high_risk_customers"].previous) == (2, 1)
    # open at the end: F2 and F4; at the end of 2023: F3, closed in January
    assert (figures["open_fraud_cases"].current, figures["open_fraud_cases"].previous) == (2, 1)


def test_high_risk_list_gauge_and_segments(data):
    listed = data["high_risk_customers"]
    assert listed["customer_id"].to_list() == ["C1", "C3"]  # largest exposure first
    assert listed["open_loan_principal"].to_list() == [12000, 0]  # L3 defaulted: no longer open
    assert data["high_risk_total"] == 2
    assert data["high_risk_share"] == pytest.approx(2 / 3)
    segments = {r["segment"]: r["default_probability"] for r in data["default_probability_by_segment"].to_dicts()}
    assert segments == pytest.approx({"Retail": 0.20, "Corporate": 0.04, "Small Business": 0.30})
    scores = data["credit_scores"]
    assert scores["credit_score_band"].to_list() == ["450-499", "500-549", "650-699"]
    assert scores["share"].sum() == pytest.approx(1)


def test_loans_and_fraud_breakdowns_add_up(data):
    by_region = data["loans_by_region_status"]
    assert by_region["principal"].sum() == pytest.approx(32000)  # L1 and L3 were issued in the period
    assert set(zip(by_region["region"], by_region["status"], strict=True)) == {("West", "Active"),
                                                                               ("West", "Defaulted")}
    scatter = data["rate_vs_amount"]
    assert sorted(scatter["loan_id"]) == ["L1", "L3"] and data["loans_in_scope"] == 2
    fraud = data["fraud_by_status_monthly"]
    assert fraud["cases"].sum() == 3 and fraud["amount"].sum() == pytest.approx(850)  # F1, F2, F4
    by_status = {r["status"]: r["cases"] for r in data["fraud_by_status"].to_dicts()}
    assert by_status == {"Open": 1, "Under Investigation": 1, "Confirmed Fraud": 1}
    investigations = data["open_fraud_investigations"]
    assert investigations["case_id"].to_list() == ["F2", "F4"]
    assert investigations["days_open"].to_list() == [56, 10]


def test_scatter_is_limited_and_stable(bank):
    gateway = Gateway.open(bank)
    one, total = risk.rate_vs_amount(gateway, Scope(date(2023, 1, 1), date(2024, 6, 30)), limit=1)
    again, _ = risk.rate_vs_amount(gateway, Scope(date(2023, 1, 1), date(2024, 6, 30)), limit=1)
    assert (one.height, total) == (1, 3)
    assert one["loan_id"].to_list() == again["loan_id"].to_list()


def test_cards_show_the_hand_computed_figures(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    cards = metrics(app)
    assert cards["Active loans"] == "2"
    assert cards["Outstanding principal"] == "$193K"
    assert cards["Loans issued"] == "2"
    assert cards["Avg default probability"] == "18.0%"
    assert cards["High-risk customers"] == "2"
    assert cards["Open fraud cases"] == "2"
    changes = deltas(app)
    assert changes["Avg default probability"] == "+12.0 pp"
    assert changes["Open fraud cases"] == "+100.0%"
    titles = [m.value for m in app.markdown]
    assert "**Customers rated High risk today**" in titles and "**Open fraud investigations**" in titles
    tables = {len(d.value) for d in app.dataframe}
    assert {2} <= tables  # the high-risk list and the open investigations: two rows each


def test_a_region_filter_narrows_every_card(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR, "region": "West"})
    assert not app.exception
    cards = metrics(app)
    # West: C1 and C3. L1 active in June; C1 0.20 and C3 0.30; F4 still open
    assert (cards["Active loans"], cards["Outstanding principal"], cards["Avg default probability"],
            cards["High-risk customers"], cards["Open fraud cases"]) == ("1", "$8.00K", "25.0%", "2", "1")


def test_clicking_a_customer_opens_the_detail_view(bank, open_page):
    app = open_page(bank, PAGE, query_params={"period": HALF_YEAR}, state={"customer.open": "C3"})
    assert not app.exception
    assert any("Cy Lee" in h.value for h in app.subheader)


def test_a_bank_without_lending_or_risk_data_says_no_data_was_loaded(tmp_path_factory, open_page):
    empty = fixture_warehouse(tmp_path_factory.mktemp("risk_empty"), {"customers": ROWS["customers"]},
                              as_of=date(2024, 6, 30))
    app = open_page(empty, PAGE, query_params={"period": HALF_YEAR})
    assert not app.exception
    assert not metrics(app), "no cards of zeros"
    assert any("No data loaded for this area (loans, credit risk" in i.value for i in app.info)


def ranked_from_every_assessment(db, scope, current, previous):
    """The risk positions on two days with each customer's latest assessment picked by arg_max over every
    assessment (the rule of latest_risk_assessment, computed per request): what risk_assessment_spells replaces."""
    clause = scope.groups(region="customers.region", segment="customers.segment",
                          wealth_tier="customers.wealth_tier")
    row = db.frame(
        f"""
        with latest as (
            select customer_id,
                arg_max(default_probability, (assessed_on, assessment_id)) filter (where assessed_on <= $current)
                    as cur_probability,
                arg_max(risk_level, (assessed_on, assessment_id)) filter (where assessed_on <= $current) as cur_level,
                arg_max(default_probability, (assessed_on, assessment_id)) filter (where assessed_on <= $previous)
                    as prev_probability,
                arg_max(risk_level, (assessed_on, assessment_id)) filter (where assessed_on <= $previous)
                    as prev_level
            from stg_risk_assessments
            where assessed_on <= (select as_of_date from stg_data_as_of)
            group by customer_id
        )
        select count(cur_level) as cur_assessed_customers, avg(cur_probability) as cur_default_probability,
            count(*) filter (where cur_level = 'High') as cur_high_risk_customers,
            count(prev_level) as prev_assessed_customers, avg(prev_probability) as prev_default_probability,
            count(*) filter (where prev_level = 'High') as prev_high_risk_customers
        from latest
        left join stg_customers as customers on customers.customer_id = latest.customer_id
        where {clause.sql}
        """,
        {"current": current, "previous": previous, **clause.params},
    ).row(0, named=True)
    return {name: None if value is None else float(value) for name, value in row.items()}


def test_risk_positions_equal_the_latest_assessment_ranked_from_every_assessment(generated_warehouse):
    db = Gateway.open(generated_warehouse)
    try:
        last, first = db.rows("select max(assessed_on), min(assessed_on) from stg_risk_assessments")[0]
        region, segment = db.rows("select min(region), max(segment) from stg_customers")[0]
        scopes = [Scope(date(2020, 1, 1), last), Scope(date(2020, 1, 1), last, regions=(region,)),
                  Scope(date(2020, 1, 1), last, segments=(segment,), allowed_regions=(region,))]
        days = [(last, date(last.year - 1, last.month, 28)), (date(2024, 2, 29), date(2023, 8, 17)),
                (date(2030, 1, 1), first), (first, date(2000, 1, 1))]
        for scope in scopes:
            for current, previous in days:
                actual = risk._risk_at(db, scope, current, previous)
                expected = ranked_from_every_assessment(db, scope, current, previous)
                assert actual.keys() == expected.keys()
                for name, value in expected.items():
                    if name.endswith("default_probability") and value is not None:
                        assert actual[name] == pytest.approx(value, rel=1e-12), (scope, current, name)
                    else:
                        assert actual[name] == value, (scope, current, name)
                assert actual["cur_assessed_customers"] > 0 or current < first
    finally:
        db.close()
