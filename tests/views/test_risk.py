"""Risk views: latest assessment, high-risk exposure, score bands, default probability, fraud and loan views on
hand-made rows, as of 2024-06-30.

Assessments (the latest one on or before the as-of date wins; the same day is settled by the higher id):

    C1 West  R1 2023-06-01 700 Low, R2 2024-03-01 580 High, R3 2024-03-01 590 High (wins), R4 2024-08-01 (future)
    C2 East  R8 2023-01-01 400 High, R5 2024-01-10 850 Low (wins: the maximum score)
    C3 West  R6 2024-02-01 300 High (the minimum score)
    C4 North R7 2024-05-05 849 Medium
    C5 West  R9 2024-04-01 550 Medium (lowest score of the 550-599 band)

Loans: C1 has two open loans (L1 10,000 and L2 5,000), a closed one (L3) and one issued after the as-of date (L4);
C3's only loan defaulted (L5); C2 and C5 have one open loan each (L6, L7).
"""

from datetime import date
from decimal import Decimal

import duckdb
import pytest

from tests.factories import differing_rows, row, rows, warehouse

WEST = ("West", "Retail", "Mass Market")
EAST = ("East", "Corporate", "Affluent")
NORTH = ("North", "Small Business", "High Net Worth")
AS_OF = date(2024, 6, 30)


def customer(customer_id, dims, full_name):
    region, segment, wealth_tier = dims
    first_name, last_name = full_name.split()
    return row("customers", customer_id=customer_id, region=region, segment=segment, wealth_tier=wealth_tier,
               first_name=first_name, last_name=last_name)


def assessment(assessment_id, customer_id, assessed_on, score, probability, level):
    return row("risk_assessments", assessment_id=assessment_id, customer_id=customer_id, assessed_on=assessed_on,
               credit_score=score, default_probability=probability, risk_level=level)


def loan(loan_id, customer_id, loan_type, status, principal, rate, term, issue_date, **extra):
    return row("loans", loan_id=loan_id, customer_id=customer_id, loan_type=loan_type, status=status,
               principal=principal, interest_rate=rate, term_months=term, issue_date=issue_date, **extra)


def fraud_case(case_id, customer_id, flagged_date, amount, status, **extra):
    return row("fraud_cases", case_id=case_id, customer_id=customer_id, flagged_date=flagged_date, amount=amount,
               status=status, **extra)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            customer("C1", WEST, "Ada Moss"),
            customer("C2", EAST, "Ben Ray"),
            customer("C3", WEST, "Cy Lane"),
            customer("C4", NORTH, "Di Hart"),
            customer("C5", WEST, "Ed Park"),
        ],
        "risk_assessments": [
            assessment("R1", "C1", date(2023, 6, 1), 700, 0.05, "Low"),
            assessment("R2", "C1", date(2024, 3, 1), 580, 0.20, "High"),
            assessment("R3", "C1", date(2024, 3, 1), 590, 0.18, "High"),
            assessment("R4", "C1", date(2024, 8, 1), 800, 0.01, "Low"),
            assessment("R8", "C2", date(2023, 1, 1), 400, 0.30, "High"),
            assessment("R5", "C2", date(2024, 1, 10), 850, 0.01, "Low"),
            assessment("R6", "C3", date(2024, 2, 1), 300, 0.40, "High"),
            assessment("R7", "C4", date(2024, 5, 5), 849, 0.02, "Medium"),
            assessment("R9", "C5", date(2024, 4, 1), 550, 0.10, "Medium"),
        ],
        "loans": [
            loan("L1", "C1", "Home", "Active", 10000, 0.05, 360, date(2023, 1, 1), region="East"),
            loan("L2", "C1", "Personal", "Active", 5000, 0.09, 24, date(2024, 2, 1)),
            loan("L3", "C1", "Personal", "Closed", 7000, 0.10, 12, date(2023, 2, 10), status_date=date(2024, 2, 10)),
            loan("L4", "C1", "Auto", "Active", 3000, 0.07, 60, date(2024, 7, 15)),
            loan("L5", "C3", "Personal", "Defaulted", 2000, 0.15, 36, date(2023, 5, 1), status_date=date(2024, 1, 5)),
            loan("L6", "C2", "Business", "Active", 9000, 0.06, 60, date(2023, 6, 1), region="East"),
            loan("L7", "C5", "Personal", "Active", 1000, 0.11, 12, date(2024, 2, 20)),
        ],
        "fraud_cases": [
            fraud_case("F1", "C1", date(2024, 3, 2), 100, "Open", transaction_id="T1"),
            fraud_case("F2", "C1", date(2024, 3, 20), Decimal("250.50"), "Open"),
            fraud_case("F3", "C2", date(2024, 3, 5), 1000, "Confirmed Fraud", closed_date=date(2024, 4, 1)),
            fraud_case("F4", "C3", date(2024, 4, 1), 75, "Under Investigation"),
            fraud_case("F5", "C3", date(2024, 4, 10), 60, "Cleared", closed_date=date(2024, 4, 20)),
        ],
    }, as_of=AS_OF)


def test_latest_risk_assessment_takes_the_latest_on_or_before_the_as_of_date(con):
    assert rows(con, "select * from latest_risk_assessment") == [
        ("C1", "R3", date(2024, 3, 1), 590, "550-599", 550, 0.18, "High", *WEST),  # R3 beats R2 on id; R4 future
        ("C2", "R5", date(2024, 1, 10), 850, "800-850", 800, 0.01, "Low", *EAST),  # 850 joins the top band
        ("C3", "R6", date(2024, 2, 1), 300, "300-349", 300, 0.40, "High", *WEST),
        ("C4", "R7", date(2024, 5, 5), 849, "800-850", 800, 0.02, "Medium", *NORTH),
        ("C5", "R9", date(2024, 4, 1), 550, "550-599", 550, 0.10, "Medium", *WEST),
    ]


def test_risk_assessment_spells_say_from_when_until_when_each_assessment_is_the_latest(con):
    assert rows(con, "select customer_id, assessment_id, assessed_on, superseded_on, risk_level, region "
                     "from risk_assessment_spells") == [
        ("C1", "R1", date(2023, 6, 1), date(2024, 3, 1), "Low", "West"),
        ("C1", "R3", date(2024, 3, 1), None, "High", "West"),  # R2 is overtaken by R3 on its own day; R4 is future
        ("C2", "R5", date(2024, 1, 10), None, "Low", "East"),
        ("C2", "R8", date(2023, 1, 1), date(2024, 1, 10), "High", "East"),
        ("C3", "R6", date(2024, 2, 1), None, "High", "West"),
        ("C4", "R7", date(2024, 5, 5), None, "Medium", "North"),
        ("C5", "R9", date(2024, 4, 1), None, "Medium", "West"),
    ]


def spells_match_the_latest_assessment(con, days: str) -> int:
    """On each day `days` (a query of one date column, day) lists, the spells that contain it are exactly each
    customer's latest assessment on or before that day and the as-of date, ranked from every assessment; returns
    how many (day, customer) rows that is."""
    latest = f"""
        with days as (
            {days}
        ),
        ranked as (
            select days.day, assessments.customer_id, assessments.assessment_id, row_number() over (
                partition by days.day, assessments.customer_id
                order by assessments.assessed_on desc, assessments.assessment_id desc) as recency_rank
            from days
            inner join stg_risk_assessments as assessments
                on assessments.assessed_on <= least(days.day, (select as_of_date from stg_data_as_of))
        )
        select day, customer_id, assessment_id from ranked where recency_rank = 1
    """
    from_spells = f"""
        with days as (
            {days}
        )
        select days.day, spells.customer_id, spells.assessment_id
        from days
        inner join risk_assessment_spells as spells
            on spells.assessed_on <= days.day
            and (spells.superseded_on is null or spells.superseded_on > days.day)
    """
    assert differing_rows(con, latest, from_spells) == 0
    return con.sql(f"select count(*) from ({latest})").fetchall()[0][0]


def test_the_spells_of_a_day_are_the_latest_assessments_on_that_day(con):
    every_day = ("select cast(unnest(generate_series(date '2022-12-01', date '2024-09-30', interval 1 day)) as date)"
                 " as day")
    assert spells_match_the_latest_assessment(con, every_day) > 1000
    # the latest on the as-of date is latest_risk_assessment
    assert rows(con, "select customer_id, assessment_id, region, segment, wealth_tier from risk_assessment_spells "
                     "where superseded_on is null") == \
        rows(con, "select customer_id, assessment_id, region, segment, wealth_tier from latest_risk_assessment")


def test_the_spells_of_every_month_end_are_the_latest_assessments_on_generated_data(generated_warehouse):
    generated = duckdb.connect()
    generated.execute("attach ? as generated (read_only)", [str(generated_warehouse)])
    generated.execute("use generated")
    month_ends = """
        select distinct last_day(assessed_on) as day from stg_risk_assessments
        union
        select cast(as_of_date + interval 1 day as date) from stg_data_as_of
    """
    try:
        assert spells_match_the_latest_assessment(generated, month_ends) > 100_000
    finally:
        generated.close()


def test_high_risk_customers_with_open_loan_exposure(con):
    assert rows(con, "select * from high_risk_customers") == [
        # L1 10,000 + L2 5,000; L3 closed and L4 issued after the as-of date are not exposure
        ("C1", "Ada Moss", *WEST, date(2024, 3, 1), 590, 0.18, 2, Decimal("15000.00")),
        ("C3", "Cy Lane", *WEST, date(2024, 2, 1), 300, 0.40, 0, Decimal("0.00")),  # L5 defaulted
    ]


def test_credit_score_distribution_counts_each_customer_once(con):
    assert rows(con, "select * from credit_score_distribution") == [
        ("300-349", 300, *WEST, 1),  # C3
        ("550-599", 550, *WEST, 2),  # C1 590, C5 550
        ("800-850", 800, *EAST, 1),  # C2 850
        ("800-850", 800, *NORTH, 1),  # C4 849
    ]
    assert con.sql("select sum(customers) from credit_score_distribution").fetchall() == [(5,)]


def test_default_probability_parts_give_a_customer_average(con):
    assert rows(con, "select segment, region, wealth_tier, risk_level, assessed_customers, "
                     "round(default_probability_sum, 6) from default_probability_by_segment") == [
        ("Corporate", "East", "Affluent", "Low", 1, 0.01),
        ("Retail", "West", "Mass Market", "High", 2, 0.58),  # C1 0.18 + C3 0.40
        ("Retail", "West", "Mass Market", "Medium", 1, 0.10),  # C5
        ("Small Business", "North", "High Net Worth", "Medium", 1, 0.02),
    ]
    # Retail average: (0.18 + 0.40 + 0.10) / 3 customers
    assert con.sql("select round(sum(default_probability_sum) / sum(assessed_customers), 6) "
                   "from default_probability_by_segment where segment = 'Retail'").fetchall() == [
        (round(0.68 / 3, 6),)]


def test_fraud_cases_by_month_and_status(con):
    assert rows(con, "select * from fraud_cases_monthly") == [
        (date(2024, 3, 1), "Confirmed Fraud", *EAST, 1, Decimal("1000.00")),
        (date(2024, 3, 1), "Open", *WEST, 2, Decimal("350.50")),  # F1 100 + F2 250.50
        (date(2024, 4, 1), "Cleared", *WEST, 1, Decimal("60.00")),
        (date(2024, 4, 1), "Under Investigation", *WEST, 1, Decimal("75.00")),
    ]


def test_open_fraud_investigations_with_days_open_to_the_as_of_date(con):
    assert rows(con, "select * from open_fraud_investigations") == [
        ("F1", "T1", "C1", "Ada Moss", *WEST, date(2024, 3, 2), "Open", Decimal("100.00"),
         (AS_OF - date(2024, 3, 2)).days),  # 29 + 30 + 31 + 30 = 120
        ("F2", None, "C1", "Ada Moss", *WEST, date(2024, 3, 20), "Open", Decimal("250.50"),
         (AS_OF - date(2024, 3, 20)).days),  # 102
        ("F4", None, "C3", "Cy Lane", *WEST, date(2024, 4, 1), "Under Investigation", Decimal("75.00"),
         (AS_OF - date(2024, 4, 1)).days),  # 90
    ]
    assert con.sql("select sum(days_open) from open_fraud_investigations").fetchall() == [(120 + 102 + 90,)]


def test_loan_rate_vs_amount_has_the_borrowers_dimensions(con):
    actual = rows(con, "select loan_id, principal, interest_rate, term_months, region, segment, wealth_tier, "
                       "branch_region from loan_rate_vs_amount")
    assert actual == [
        ("L1", Decimal("10000.00"), 0.05, 360, *WEST, "East"),  # branch region differs from the borrower's
        ("L2", Decimal("5000.00"), 0.09, 24, *WEST, "West"),
        ("L3", Decimal("7000.00"), 0.10, 12, *WEST, "West"),
        ("L4", Decimal("3000.00"), 0.07, 60, *WEST, "West"),
        ("L5", Decimal("2000.00"), 0.15, 36, *WEST, "West"),
        ("L6", Decimal("9000.00"), 0.06, 60, *EAST, "East"),
        ("L7", Decimal("1000.00"), 0.11, 12, *WEST, "West"),
    ]


def test_loans_by_region_type_status_count_loans_in_their_issue_month(con):
    assert rows(con, "select * from loans_by_region_type_status") == [
        (date(2023, 1, 1), "West", "Home", "Active", "Retail", "Mass Market", 1, Decimal("10000.00")),
        (date(2023, 2, 1), "West", "Personal", "Closed", "Retail", "Mass Market", 1, Decimal("7000.00")),
        (date(2023, 5, 1), "West", "Personal", "Defaulted", "Retail", "Mass Market", 1, Decimal("2000.00")),
        (date(2023, 6, 1), "East", "Business", "Active", "Corporate", "Affluent", 1, Decimal("9000.00")),
        # L2 5,000 (C1) + L7 1,000 (C5), same month, type, status and customer group
        (date(2024, 2, 1), "West", "Personal", "Active", "Retail", "Mass Market", 2, Decimal("6000.00")),
        (date(2024, 7, 1), "West", "Auto", "Active", "Retail", "Mass Market", 1, Decimal("3000.00")),
    ]
