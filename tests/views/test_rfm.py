"""RFM, card sales and campaign views on hand-made card transactions and campaign contacts.

Scoring fixture, as of 2024-06-30 (window: 2023-07-02 to 2024-06-30, 365 days). Every customer's approved
transactions in the window fall on their last transaction date; K1 is East/Corporate/Affluent, the others
West/Retail/Mass Market.

    customer  recency (days)  frequency  monetary   also
    K1        0               7          700
    K2        1               6          50         an approved 1000 on 2024-07-01, after the as-of date
    K3        10              5          600
    K4        10              1          100
    K5        100             2          100
    K6        200             3          300
    K7        364             1          20         approved 999 on 2023-07-01 (one day before the window),
                                                    declined 500 on 2024-06-01
    K8        -               -          -          approved only on 2023-06-01: not scored
    K9        -               -          -          declined only: not scored

Seven scored customers into five buckets, as ntile does: bucket sizes 2, 2, 1, 1, 1, so ranks 0..6 (worst first,
ties by customer id) score 1, 1, 2, 2, 3, 4, 5.
    recency, longest first: K7 K6 | K5 K3 | K4 | K2 | K1   (K3 and K4 tie at 10 days: K3 first)
    frequency, lowest first: K4 K7 | K5 K6 | K3 | K2 | K1  (K4 and K7 tie at 1: K4 first)
    monetary, lowest first:  K7 K2 | K4 K5 | K6 | K3 | K1  (K4 and K5 tie at 100: K4 first)
"""

import random
import shutil
from datetime import date, timedelta
from decimal import Decimal
from itertools import product

import pytest

from tests.factories import row, rows, warehouse
from warehouse import build, settings
from warehouse.gateway import Gateway
from warehouse.queries import rfm
from warehouse.scope import Scope

AS_OF = date(2024, 6, 30)
PROFILES = {  # customer: (recency days, frequency, monetary)
    "K1": (0, 7, 700), "K2": (1, 6, 50), "K3": (10, 5, 600), "K4": (10, 1, 100), "K5": (100, 2, 100),
    "K6": (200, 3, 300), "K7": (364, 1, 20),
}
SEGMENTS = ["Champions", "Loyal", "Potential Loyalist", "New", "Promising", "Need Attention", "About to Sleep",
            "At Risk", "Can't Lose Them", "Hibernating", "Lost"]


def card(transaction_id, customer_id, day, amount, status="Approved", category="Groceries"):
    return row("card_transactions", transaction_id=transaction_id, customer_id=customer_id,
               transaction_at=f"{day} 12:00:00", amount=amount, status=status, merchant_category=category)


def profile_transactions():
    """frequency transactions on the last transaction date: one of (monetary - 5 x the others), the others 5 each."""
    transactions = []
    for customer_id, (recency, frequency, monetary) in PROFILES.items():
        day = AS_OF - timedelta(days=recency)
        amounts = [monetary - 5 * (frequency - 1)] + [5] * (frequency - 1)
        transactions += [card(f"{customer_id}-{n}", customer_id, day, amount) for n, amount in enumerate(amounts)]
    return transactions + [
        card("K2-late", "K2", date(2024, 7, 1), 1000),
        card("K7-before", "K7", date(2023, 7, 1), 999),
        card("K7-declined", "K7", date(2024, 6, 1), 500, status="Declined"),
        card("K8-old", "K8", date(2023, 6, 1), 80),
        card("K9-declined", "K9", date(2024, 6, 15), 80, status="Declined"),
    ]


SCORING_TABLES = {
    "customers": [row("customers", customer_id="K1", region="East", segment="Corporate", wealth_tier="Affluent")]
    + [row("customers", customer_id=f"K{n}") for n in range(2, 10)],
    "card_transactions": profile_transactions(),
}


@pytest.fixture(scope="module")
def scoring():
    return warehouse(SCORING_TABLES, as_of=AS_OF)


def test_settings_default_to_quintiles_over_365_days(scoring):
    assert scoring.sql("select score_buckets, window_days from rfm_settings").fetchall() == [(5, 365)]


def test_every_code_from_111_to_555_maps_to_exactly_one_segment(scoring):
    matches = rows(scoring, """
        with codes as (
            select r, f, m from range(1, 6) as rs(r), range(1, 6) as fs(f), range(1, 6) as ms(m)
        )
        select concat(r, f, m), count(rules.rule_id), min(rules.rfm_segment)
        from codes
        left join rfm_segment_rules as rules
            on r between rules.r_score_min and rules.r_score_max
            and f between rules.f_score_min and rules.f_score_max
            and m between rules.m_score_min and rules.m_score_max
        group by all
    """)
    assert [code for code, _, _ in matches] == [f"{r}{f}{m}" for r, f, m in product(range(1, 6), repeat=3)]
    assert {count for _, count, _ in matches} == {1}
    assert sorted({segment for _, _, segment in matches}) == sorted(SEGMENTS)
    segment_of = {code: segment for code, _, segment in matches}
    assert (segment_of["555"], segment_of["155"], segment_of["111"], segment_of["211"], segment_of["511"]) == (
        "Champions", "Can't Lose Them", "Lost", "Hibernating", "New")


def test_segment_order_follows_the_list_best_first(scoring):
    ordered = scoring.sql("select distinct segment_order, rfm_segment from rfm_segment_rules order by 1").fetchall()
    assert [name for _, name in ordered] == SEGMENTS
    assert [order for order, _ in ordered] == list(range(1, 12))


def test_rfm_customers_scores_by_ntile_with_customer_id_tie_breaks(scoring):
    assert rows(scoring, "select customer_id, region, last_transaction_date, recency_days, frequency, monetary, "
                         "r_score, f_score, m_score, rfm_code, rfm_segment, rfm_segment_order "
                         "from rfm_customers") == [
        ("K1", "East", date(2024, 6, 30), 0, 7, Decimal("700.00"), 5, 5, 5, "555", "Champions", 1),
        ("K2", "West", date(2024, 6, 29), 1, 6, Decimal("50.00"), 4, 4, 1, "441", "Loyal", 2),
        ("K3", "West", date(2024, 6, 20), 10, 5, Decimal("600.00"), 2, 3, 4, "234", "At Risk", 8),
        ("K4", "West", date(2024, 6, 20), 10, 1, Decimal("100.00"), 3, 1, 2, "312", "About to Sleep", 7),
        ("K5", "West", date(2024, 3, 22), 100, 2, Decimal("100.00"), 2, 2, 2, "222", "Hibernating", 10),
        ("K6", "West", date(2023, 12, 13), 200, 3, Decimal("300.00"), 1, 2, 3, "123", "Hibernating", 10),
        ("K7", "West", date(2023, 7, 2), 364, 1, Decimal("20.00"), 1, 1, 1, "111", "Lost", 11),
    ]  # K8 and K9 have no approved transaction in the window


def test_rfm_customers_is_the_macro_at_the_as_of_date(scoring):
    assert rows(scoring, "select * from rfm_customers") == rows(
        scoring, "select * from rfm_scores_as_of(date '2024-06-30')")


def test_scores_as_of_an_earlier_date_move_the_window(scoring):
    # as of 2024-06-29: K1 has not bought yet; the window starts 2023-07-01, so K7's 999 counts (frequency 2).
    # Six customers: bucket sizes 2, 1, 1, 1, 1 -> ranks 0..5 score 1, 1, 2, 3, 4, 5.
    assert rows(scoring, "select customer_id, recency_days, frequency, monetary, r_score, f_score, m_score "
                         "from rfm_scores_as_of(date '2024-06-29')") == [
        ("K2", 0, 6, Decimal("50.00"), 5, 5, 1),
        ("K3", 9, 5, Decimal("600.00"), 3, 4, 4),  # recency: K7 K6 | K5 | K3 | K4 | K2
        ("K4", 9, 1, Decimal("100.00"), 4, 1, 1),  # frequency: K4 K5 | K7 | K6 | K3 | K2
        ("K5", 99, 2, Decimal("100.00"), 2, 1, 2),  # monetary: K2 K4 | K5 | K6 | K3 | K7
        ("K6", 199, 3, Decimal("300.00"), 1, 3, 3),
        ("K7", 363, 2, Decimal("1019.00"), 1, 2, 5),
    ]


def test_score_buckets_are_configured_in_rfm_settings_alone(tmp_path):
    sql_dir = tmp_path / "sql"
    for area in ("staging", "rfm"):
        shutil.copytree(settings.SQL_DIR / area, sql_dir / area)
    rfm_settings = sql_dir / "rfm" / "rfm_settings.sql"
    rfm_settings.write_text(rfm_settings.read_text().replace("5 as score_buckets", "4 as score_buckets"))
    con = build.build_in_memory(SCORING_TABLES, as_of=AS_OF, sql_dir=sql_dir)
    # seven customers into quartiles: bucket sizes 2, 2, 2, 1; recency order K7 K6 | K5 K3 | K4 K2 | K1
    assert rows(con, "select customer_id, r_score from rfm_customers") == [
        ("K1", 4), ("K2", 3), ("K3", 2), ("K4", 3), ("K5", 2), ("K6", 1), ("K7", 1)]


def test_segment_summary_exposes_sums_and_counts(scoring):
    # customers, sales, transactions, recency days, R, F and M score sums
    assert rows(scoring, "select rfm_segment, rfm_segment_order, region, customers, sales, transactions, "
                         "recency_days_sum, r_score_sum, f_score_sum, m_score_sum from rfm_segment_summary") == [
        ("About to Sleep", 7, "West", 1, Decimal("100.00"), 1, 10, 3, 1, 2),
        ("At Risk", 8, "West", 1, Decimal("600.00"), 5, 10, 2, 3, 4),
        ("Champions", 1, "East", 1, Decimal("700.00"), 7, 0, 5, 5, 5),
        ("Hibernating", 10, "West", 2, Decimal("400.00"), 5, 300, 3, 4, 5),  # K5 + K6: 100 + 300, 2 + 3, 100 + 200
        ("Lost", 11, "West", 1, Decimal("20.00"), 1, 364, 1, 1, 1),
        ("Loyal", 2, "West", 1, Decimal("50.00"), 6, 1, 4, 4, 1),
    ]
    shares = scoring.sql("select sum(sales) / (select sum(sales) from rfm_segment_summary) "
                         "from rfm_segment_summary group by rfm_segment").fetchall()
    assert round(sum(float(share) for share, in shares), 9) == 1.0
    assert scoring.sql("select sum(sales) from rfm_segment_summary").fetchall() == [
        (Decimal(700 + 50 + 600 + 100 + 100 + 300 + 20),)]


# Sales and campaign fixture, as of 2024-04-02: S1 West/Retail/Mass Market, S2 East/Corporate/Affluent, S3 and S4
# West/Retail/Mass Market.
SALES_AS_OF = date(2024, 4, 2)


def contact(campaign_id, customer_id, contacted, responded, converted, revenue):
    return row("campaign_contacts", campaign_id=campaign_id, customer_id=customer_id, contacted_date=contacted,
               responded=responded, converted=converted, revenue=revenue)


@pytest.fixture(scope="module")
def sales():
    return warehouse({
        "customers": [
            row("customers", customer_id="S1"),
            row("customers", customer_id="S2", region="East", segment="Corporate", wealth_tier="Affluent"),
            row("customers", customer_id="S3"),
            row("customers", customer_id="S4"),
        ],
        "card_transactions": [
            card("T1", "S1", date(2024, 3, 31), 100, category="Groceries"),  # a Sunday
            card("T2", "S1", date(2024, 3, 31), 50, category="Travel"),
            card("T3", "S2", date(2024, 4, 1), 20, category="Groceries"),  # a Monday
            card("T4", "S1", date(2024, 4, 1), 30, status="Declined"),
            card("T5", "S1", date(2024, 4, 3), 40),  # after the as-of date
            card("T6", "S2", date(2023, 12, 31), 5, category="Dining"),  # a Sunday
        ],
        "marketing_campaigns": [
            row("marketing_campaigns", campaign_id="M1", campaign_name="Spring offer", target_segment="Retail",
                start_date=date(2024, 3, 1), end_date=date(2024, 3, 31), budget=1000),
            row("marketing_campaigns", campaign_id="M2", campaign_name="Savings push", target_segment=None,
                start_date=date(2024, 3, 15), end_date=date(2024, 4, 15), budget=500),
            row("marketing_campaigns", campaign_id="M3", campaign_name="Summer", start_date=date(2024, 5, 1),
                end_date=date(2024, 5, 31), budget=2000),  # starts after the as-of date
        ],
        "campaign_contacts": [
            contact("M1", "S1", date(2024, 3, 5), True, True, 1500),
            contact("M1", "S2", date(2024, 3, 5), True, False, 0),
            contact("M1", "S3", date(2024, 3, 6), False, False, 0),
            contact("M1", "S4", date(2024, 4, 10), True, True, 700),  # after the as-of date
            contact("M2", "S1", date(2024, 3, 16), False, False, 0),
        ],
    }, as_of=SALES_AS_OF)


def test_sales_trend_daily_carries_every_grain(sales):
    assert rows(sales, "select sales_date, week, month, quarter, year, region, sales, transactions "
                       "from sales_trend_daily") == [
        (date(2023, 12, 31), date(2023, 12, 25), date(2023, 12, 1), date(2023, 10, 1), date(2023, 1, 1), "East",
         Decimal("5.00"), 1),
        (date(2024, 3, 31), date(2024, 3, 25), date(2024, 3, 1), date(2024, 1, 1), date(2024, 1, 1), "West",
         Decimal("150.00"), 2),  # T1 + T2
        (date(2024, 4, 1), date(2024, 4, 1), date(2024, 4, 1), date(2024, 4, 1), date(2024, 1, 1), "East",
         Decimal("20.00"), 1),  # T4 declined, T5 after the as-of date
    ]


def test_sales_trend_totals_agree_at_every_grain(sales):
    totals = {grain: sales.sql(f"select sum(sales) from (select {grain}, sum(sales) as sales "
                                f"from sales_trend_daily group by {grain})").fetchall()
              for grain in ("sales_date", "week", "month", "quarter", "year")}
    assert set(map(str, totals.values())) == {str([(Decimal("175.00"),)])}  # 5 + 150 + 20


def test_sales_by_merchant_category_monthly(sales):
    assert rows(sales, "select month, merchant_category, region, sales, transactions "
                       "from sales_by_merchant_category_monthly") == [
        (date(2023, 12, 1), "Dining", "East", Decimal("5.00"), 1),
        (date(2024, 3, 1), "Groceries", "West", Decimal("100.00"), 1),
        (date(2024, 3, 1), "Travel", "West", Decimal("50.00"), 1),
        (date(2024, 4, 1), "Groceries", "East", Decimal("20.00"), 1),
    ]


def test_campaign_performance(sales):
    assert rows(sales, "select campaign_id, target_segment, budget, contacts, responses, conversions, revenue, "
                       "round(response_rate, 4), round(conversion_rate, 4), cost_per_conversion, roi "
                       "from campaign_performance") == [
        # 3 contacts (S4's is after the as-of date); 1000 / 1 conversion; (1500 - 1000) / 1000
        ("M1", "Retail", Decimal("1000.00"), 3, 2, 1, Decimal("1500.00"), round(2 / 3, 4), round(1 / 3, 4), 1000.0,
         0.5),
        ("M2", None, Decimal("500.00"), 1, 0, 0, Decimal("0.00"), 0.0, 0.0, None, -1.0),  # (0 - 500) / 500
    ]  # M3 starts after the as-of date


def test_conversions_by_rfm_segment(sales):
    # S1: recency 2 days, 2 transactions, 150; S2: 1 day, 2 transactions (T3 and T6), 25. Two customers, five
    # buckets: scores 1 and 2. S1 scores R1 F1 (ties with S2 on frequency, first by id) M2: Lost;
    # S2 scores R2 F2 M1: Hibernating. S3 has no card activity.
    assert rows(sales, "select campaign_id, rfm_segment, rfm_segment_order, region, contacts, responses, "
                       "conversions, revenue from campaign_conversions_by_rfm_segment") == [
        ("M1", "Hibernating", 10, "East", 1, 1, 0, Decimal("0.00")),
        ("M1", "Lost", 11, "West", 1, 1, 1, Decimal("1500.00")),
        ("M1", "Not scored", 99, "West", 1, 0, 0, Decimal("0.00")),
        ("M2", "Lost", 11, "West", 1, 0, 0, Decimal("0.00")),
    ]
    by_segment = rows(sales, "select campaign_id, sum(contacts), sum(conversions), sum(revenue) "
                             "from campaign_conversions_by_rfm_segment group by campaign_id")
    assert by_segment == rows(sales, "select campaign_id, contacts, conversions, revenue from campaign_performance")


def test_card_sales_are_approved_transactions_of_known_customers_up_to_the_as_of_date():
    con = warehouse({
        "customers": [row("customers", customer_id="C1", region="West", segment="Corporate")],
        "card_transactions": [
            row("card_transactions", transaction_id="T1", customer_id="C1", transaction_at="2024-06-30 23:59:00",
                amount=25),
            row("card_transactions", transaction_id="T2", customer_id="C1", status="Declined"),
            row("card_transactions", transaction_id="T3", customer_id="C1", status="Reversed"),
            row("card_transactions", transaction_id="T4", customer_id="C1", transaction_at="2024-07-01 00:00:00"),
            row("card_transactions", transaction_id="T5", customer_id="C9"),  # not a known customer
        ],
    }, as_of=date(2024, 6, 30))
    assert con.sql("select transaction_id, transaction_date::varchar, transaction_month::varchar, amount, region, "
                   "segment from card_sales").fetchall() == [
        ("T1", "2024-06-30", "2024-06-01", Decimal("25.00"), "West", "Corporate")]


# Buyers fixture, as of 2024-06-30: B1 to B4 West/Retail/Mass Market, B5 East/Corporate/Affluent. Approved sales:
#     B1  Jan 5: 10, Jan 20: 20, Mar 31: 40
#     B2  Jan 31: 100, Feb 1: 200
#     B3  Feb 15: 1000 (and a declined 5000 on Feb 10)
#     B4  Mar 1: 3, Jun 30: 7
#     B5  Feb 29: 400, Apr 15: 800
#     B6  no card sales; B7 only a sale on Jul 1, after the as-of date
# RFM (five scored customers, one per score). Recency in days, longest first: B2 150, B3 136, B1 91, B5 76, B4 0;
# frequency, lowest first: B3 1, B2 2, B4 2, B5 2, B1 3 (ties by id). So B1 R3 F5 and B5 R4 F4 are Loyal, B2 R1 F2
# and B3 R2 F1 Hibernating, B4 R5 F3 Potential Loyalist.
BUYERS_AS_OF = date(2024, 6, 30)
BUYER_SALES = [  # customer, day, amount
    ("B1", "2024-01-05", 10), ("B1", "2024-01-20", 20), ("B1", "2024-03-31", 40),
    ("B2", "2024-01-31", 100), ("B2", "2024-02-01", 200),
    ("B3", "2024-02-15", 1000),
    ("B4", "2024-03-01", 3), ("B4", "2024-06-30", 7),
    ("B5", "2024-02-29", 400), ("B5", "2024-04-15", 800),
    ("B7", "2024-07-01", 9),
]


@pytest.fixture(scope="module")
def buyers():
    return warehouse({
        "customers": [row("customers", customer_id=f"B{n}") for n in (1, 2, 3, 4, 6, 7)]
        + [row("customers", customer_id="B5", region="East", segment="Corporate", wealth_tier="Affluent")],
        "card_transactions": [card(f"X{n}", customer, day, amount)
                               for n, (customer, day, amount) in enumerate(BUYER_SALES)]
        + [card("X-declined", "B3", date(2024, 2, 10), 5000, status="Declined")],
    }, as_of=BUYERS_AS_OF)


def test_buyers_fixture_segments(buyers):
    assert rows(buyers, "select customer_id, r_score, f_score, rfm_segment from rfm_customers") == [
        ("B1", 3, 5, "Loyal"), ("B2", 1, 2, "Hibernating"), ("B3", 2, 1, "Hibernating"),
        ("B4", 5, 3, "Potential Loyalist"), ("B5", 4, 4, "Loyal")]


def test_card_sales_by_customer_monthly_marks_the_days_with_a_sale(buyers):
    assert buyers.sql("select month, customer_id, monthly.region, monthly.rfm_segment, sales, transactions, sale_days "
                      "from card_sales_by_customer_monthly monthly join card_holders using (customer_key) "
                      "order by customer_id, month").fetchall() == [
        (date(2024, 1, 1), "B1", "West", "Loyal", Decimal("30.00"), 2, 2 ** 4 + 2 ** 19),  # the 5th and the 20th
        (date(2024, 3, 1), "B1", "West", "Loyal", Decimal("40.00"), 1, 2 ** 30),  # the 31st
        (date(2024, 1, 1), "B2", "West", "Hibernating", Decimal("100.00"), 1, 2 ** 30),
        (date(2024, 2, 1), "B2", "West", "Hibernating", Decimal("200.00"), 1, 1),  # the 1st
        (date(2024, 2, 1), "B3", "West", "Hibernating", Decimal("1000.00"), 1, 2 ** 14),  # not the declined 10th
        (date(2024, 3, 1), "B4", "West", "Potential Loyalist", Decimal("3.00"), 1, 1),
        (date(2024, 6, 1), "B4", "West", "Potential Loyalist", Decimal("7.00"), 1, 2 ** 29),
        (date(2024, 2, 1), "B5", "East", "Loyal", Decimal("400.00"), 1, 2 ** 28),  # leap day
        (date(2024, 4, 1), "B5", "East", "Loyal", Decimal("800.00"), 1, 2 ** 14),
    ]  # B7's sale is after the as-of date
    assert buyers.sql("select count(distinct customer_key) from card_sales_by_customer_monthly").fetchall() == [(5,)]


def test_sales_by_rfm_segment_add_up_to_the_sales_marts(buyers):
    assert rows(buyers, "select sales_date, rfm_segment, region, sales, transactions from rfm_segment_sales_daily "
                        "where sales_date between '2024-02-01' and '2024-02-29'") == [
        (date(2024, 2, 1), "Hibernating", "West", Decimal("200.00"), 1),
        (date(2024, 2, 15), "Hibernating", "West", Decimal("1000.00"), 1),
        (date(2024, 2, 29), "Loyal", "East", Decimal("400.00"), 1),
    ]
    assert rows(buyers, "select month, rfm_segment, sum(sales), sum(transactions) "
                        "from rfm_segment_sales_by_merchant_category_monthly group by all") == [
        (date(2024, 1, 1), "Hibernating", Decimal("100.00"), 1), (date(2024, 1, 1), "Loyal", Decimal("30.00"), 2),
        (date(2024, 2, 1), "Hibernating", Decimal("1200.00"), 2), (date(2024, 2, 1), "Loyal", Decimal("400.00"), 1),
        (date(2024, 3, 1), "Loyal", Decimal("40.00"), 1), (date(2024, 3, 1), "Potential Loyalist", Decimal("3.00"), 1),
        (date(2024, 4, 1), "Loyal", Decimal("800.00"), 1), (date(2024, 6, 1), "Potential Loyalist", Decimal("7.00"), 1),
    ]
    assert rows(buyers, "select sales_date, region, segment, wealth_tier, sum(sales), sum(transactions) "
                        "from rfm_segment_sales_daily group by all") == rows(
        buyers, "select sales_date, region, segment, wealth_tier, sales, transactions from sales_trend_daily")
    assert rows(buyers, "select month, merchant_category, region, segment, wealth_tier, sum(sales), "
                        "sum(transactions) from rfm_segment_sales_by_merchant_category_monthly group by all") == rows(
        buyers, "select * from sales_by_merchant_category_monthly")


def test_unscored_card_holders_are_in_not_scored():
    con = warehouse({
        "customers": [row("customers", customer_id="C1")],
        "card_transactions": [card("T1", "C1", date(2023, 1, 10), 25)],  # before the RFM window
    }, as_of=date(2024, 6, 30))
    assert con.sql("select rfm_segment, sale_days from card_sales_by_customer_monthly").fetchall() == [
        ("Not scored", 2 ** 9)]
    assert con.sql("select rfm_segment, sales from rfm_segment_sales_daily").fetchall() == [
        ("Not scored", Decimal("25.00"))]


def sales_cards(con, start, end, selected=(), **groups):
    """(sales, buyers) this period and the previous one, as the RFM page's cards show them."""
    figures = rfm.kpis(Gateway(con), Scope(start, end, **groups), tuple(selected))
    return ((figures["sales"].current, figures["buyers"].current),
            (figures["sales"].previous, figures["buyers"].previous))


@pytest.mark.parametrize(("start", "end", "current", "previous"), [
    # mid-month to mid-month: B1 on the 20th (not the 5th), B2 on both sides of the month end; B3 bought the day after
    (date(2024, 1, 20), date(2024, 2, 14), (320, 2), (10, 1)),  # before: Dec 25 to Jan 19, B1 on the 5th
    # B1 has sales in both end months, but on Jan 20 and Mar 31: none in the period
    (date(2024, 1, 21), date(2024, 3, 30), (1703, 4), (30, 1)),  # B2 300, B3 1000, B4 3, B5 400; before: B1 10 + 20
    # within one month: B2's Feb 1 and B5's Feb 29 fall outside it; before it (Jan 6 to Feb 1) B1 and B2
    (date(2024, 2, 2), date(2024, 2, 28), (1000, 1), (320, 2)),
    (date(2024, 2, 29), date(2024, 2, 29), (400, 1), (0, 0)),  # one day; the day before has no sale
    (date(2024, 2, 1), date(2024, 2, 29), (1600, 3), (130, 2)),  # a whole month against January: B1 and B2
    (date(2024, 1, 1), date(2024, 6, 30), (2580, 5), (0, 0)),  # H1 (all of them) against H2 2023
])
def test_sales_and_buyers_of_any_period(buyers, start, end, current, previous):
    assert sales_cards(buyers, start, end) == (current, previous)


def test_sales_and_buyers_follow_groups_and_selected_rfm_segments(buyers):
    period = (date(2024, 1, 21), date(2024, 3, 30))
    assert sales_cards(buyers, *period, regions=("East",))[0] == (400, 1)  # B5
    assert sales_cards(buyers, *period, selected=("Loyal",))[0] == (400, 1)  # B5; B1 bought outside the period
    assert sales_cards(buyers, *period, selected=("Hibernating",))[0] == (1300, 2)  # B2 and B3
    assert sales_cards(buyers, *period, selected=("Loyal", "Hibernating"), regions=("West",))[0] == (1300, 2)
    assert sales_cards(buyers, date(2024, 2, 2), date(2024, 2, 28), selected=("Hibernating",)) == (
        (1000, 1), (300, 1))  # B3; before: B2 on Jan 31 and Feb 1


def test_sales_and_buyers_match_card_sales_for_random_periods(generated_warehouse):
    db = Gateway.open(generated_warehouse)
    first, last = db.rows("select min(transaction_date), max(transaction_date) from card_sales")[0]
    segments = [name for name, in db.rows("select distinct rfm_segment from rfm_customers order by 1")]
    regions = [name for name, in db.rows("select distinct region from stg_customers order by 1")]
    draw = random.Random(20240630)
    for _ in range(12):
        start = first + timedelta(days=draw.randrange((last - first).days))
        length = draw.choice([0, draw.randrange(1, 28), draw.randrange(28, 400)])  # a day, a few weeks, longer
        scope = Scope(start, min(start + timedelta(days=length), last),
                      regions=tuple(draw.sample(regions, draw.choice([0, 1, 2]))))
        selected = tuple(draw.sample(segments, draw.choice([0, 0, 1, 2])))
        figures = rfm.kpis(db, scope, selected)
        for period, sales, buyers in ((scope, figures["sales"].current, figures["buyers"].current),
                                      (scope.previous(), figures["sales"].previous, figures["buyers"].previous)):
            expected = db.rows(
                "select coalesce(sum(s.amount), 0), count(distinct s.customer_id) from card_sales as s "
                "left join rfm_customers as r on r.customer_id = s.customer_id "
                "where s.transaction_date between $start and $end "
                "and (len($regions) = 0 or list_contains($regions, s.region)) "
                "and (len($selected) = 0 or list_contains($selected, r.rfm_segment))",
                {"start": period.start, "end": period.end, "regions": list(period.regions),
                 "selected": list(selected)})[0]
            assert buyers == expected[1], (period, selected)
            assert sales == pytest.approx(float(expected[0])), (period, selected)
    db.close()
