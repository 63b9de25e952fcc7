"""Customer views: activity spells, growth waterfall, retention, churn, balances, cohorts and flows on hand-made data.

The fixture, as of 2024-04-30. Groups: W = West/Retail/Mass Market, E = East/Corporate/Affluent.

    customer group state    enrolled    accounts (open -> close; channel, product)
    C1       W     CA       2024-01-10  A1 01-10 -> 03-15 Web P1, A2 02-01 -> open Branch P2,
                                        A12 2024-05-10 Mobile P1 (after the as-of date: ignored)
    C2       W     CA       2024-01-20  A3 01-20 -> 02-10 Mobile P2 (churn), A4 04-05 -> open Branch P1 (returns)
    C3       E     NY       2023-12-05  A5 12-05 -> 2024-03-31 Advisor P1 (churn on the last day of March),
                                        A6 12-05 -> 12-05 Phone P1 (closed the day it opened: never active)
    C4       E     NY       2024-02-15  A7 02-15 -> 02-20 Web P2 (joins and churns in February)
    C6       W     (none)   2023-11-01  A10 11-01 -> 2024-02-05 Branch P1 (churn),
                                        A11 02-12 -> 2024-06-01 Branch P2 (returns; the close is after the as-of date)
    C7       W     CA       2024-04-20  no account
    C8       W     CA       2024-05-05  enrolled after the as-of date: ignored

P1 is an Equity Fund, P2 Savings. Spells: C1 [01-10, open); C2 [01-20, 02-10) and [04-05, open); C3 [12-05, 03-31);
C4 [02-15, 02-20); C6 [11-01, 02-05) and [02-12, open).
"""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import row, rows, warehouse

W = ("West", "Retail", "Mass Market")
E = ("East", "Corporate", "Affluent")
AS_OF = date(2024, 4, 30)
NOV, DEC = date(2023, 11, 1), date(2023, 12, 1)
JAN, FEB, MAR, APR = (date(2024, m, 1) for m in (1, 2, 3, 4))
Q1 = JAN


def customer(customer_id, group, enrolled, **extra):
    region, segment, wealth_tier = group
    return row("customers", customer_id=customer_id, region=region, segment=segment, wealth_tier=wealth_tier,
               enrollment_date=enrolled, **extra)


def account(account_id, customer_id, opened, closed, channel, product_id, status):
    return row("enrollments", account_id=account_id, customer_id=customer_id, open_date=opened, close_date=closed,
               channel=channel, product_id=product_id, status=status)


def exit_(churn_id, customer_id, product_id, account_id, churned, reason, recovered, lifetime_value, score):
    return row("churn_events", churn_id=churn_id, customer_id=customer_id, product_id=product_id,
               account_id=account_id, churn_date=churned, reason=reason, recovered=recovered,
               lifetime_value=lifetime_value, exit_survey_score=score)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            customer("C1", W, date(2024, 1, 10)),
            customer("C2", W, date(2024, 1, 20), birth_date=date(2000, 4, 30)),
            customer("C3", E, date(2023, 12, 5), state="NY"),
            customer("C4", E, date(2024, 2, 15), state="NY"),
            customer("C6", W, date(2023, 11, 1), state=None, birth_date=date(2001, 1, 1)),
            customer("C7", W, date(2024, 4, 20), income_band=None),
            customer("C8", W, date(2024, 5, 5)),
        ],
        "products": [
            row("products", product_id="P1", category="Equity Fund"),
            row("products", product_id="P2", category="Savings"),
        ],
        "enrollments": [
            account("A1", "C1", date(2024, 1, 10), date(2024, 3, 15), "Web", "P1", "Closed"),
            account("A2", "C1", date(2024, 2, 1), None, "Branch", "P2", "Active"),
            account("A12", "C1", date(2024, 5, 10), None, "Mobile", "P1", "Active"),
            account("A3", "C2", date(2024, 1, 20), date(2024, 2, 10), "Mobile", "P2", "Closed"),
            account("A4", "C2", date(2024, 4, 5), None, "Branch", "P1", "Active"),
            account("A5", "C3", date(2023, 12, 5), date(2024, 3, 31), "Advisor", "P1", "Closed"),
            account("A6", "C3", date(2023, 12, 5), date(2023, 12, 5), "Phone", "P1", "Closed"),
            account("A7", "C4", date(2024, 2, 15), date(2024, 2, 20), "Web", "P2", "Closed"),
            account("A10", "C6", date(2023, 11, 1), date(2024, 2, 5), "Branch", "P1", "Closed"),
            account("A11", "C6", date(2024, 2, 12), date(2024, 6, 1), "Branch", "P2", "Active"),
        ],
        "churn_events": [
            exit_("X1", "C1", "P1", "A1", date(2024, 3, 15), "High Fees", False, 500, 2),
            exit_("X2", "C2", "P2", "A3", date(2024, 2, 10), "Service Issue", False, 300, None),
            exit_("X6", "C2", "P2", None, date(2024, 2, 10), "Service Issue", False, 100, 3),
            exit_("X3", "C3", "P1", "A5", date(2024, 3, 31), "Better Competitor", True, 1000, 4),
            exit_("X4", "C6", "P1", "A10", date(2024, 2, 5), "High Fees", False, 200, 1),
            exit_("X5", "C1", "P9", None, date(2024, 5, 2), "High Fees", False, 50, 5),
        ],
        "account_balances": [
            row("account_balances", account_id="A2", month_end=date(2024, 3, 31), balance=500),
            row("account_balances", account_id="A2", month_end=date(2024, 4, 30), balance=Decimal("1200.50")),
            row("account_balances", account_id="A4", month_end=date(2024, 4, 30), balance=800),
            row("account_balances", account_id="A11", month_end=date(2024, 4, 30), balance=300),
            row("account_balances", account_id="A2", month_end=date(2024, 5, 31), balance=9999),
        ],
    }, as_of=AS_OF)


# each band's lower edge falls on the as-of date (2024-04-30); B and G are one day short of the next band
BIRTH_DATES = {"A": date(2006, 4, 30), "B": date(1999, 5, 1), "C": date(1999, 4, 30), "D": date(1989, 4, 30),
               "E": date(1979, 4, 30), "F": date(1969, 4, 30), "G": date(1959, 5, 1), "H": date(1959, 4, 30),
               "K": date(2010, 1, 1), "U": None}


@pytest.fixture(scope="module")
def edge_cases():
    """One customer per age band edge, each with one open account and a balance; T holds two touching accounts."""
    return warehouse({
        "customers": [row("customers", customer_id=c, birth_date=b) for c, b in BIRTH_DATES.items()]
        + [row("customers", customer_id="T")],
        "enrollments": [account(f"A{c}", c, date(2024, 1, 1), None, "Web", "P1", "Active") for c in BIRTH_DATES]
        + [account("T1", "T", date(2024, 1, 1), date(2024, 2, 1), "Web", "P1", "Closed"),
           account("T2", "T", date(2024, 2, 1), date(2024, 3, 1), "Web", "P1", "Closed")],  # opens as T1 closes
        "account_balances": [row("account_balances", account_id=f"A{c}", month_end=AS_OF) for c in BIRTH_DATES],
    }, as_of=AS_OF)


def test_customer_accounts_leave_out_accounts_opened_after_the_as_of_date_and_later_closures(con):
    assert rows(con, "select account_id, product_category, close_date, close_month, state from customer_accounts "
                     "where customer_id in ('C1', 'C6')") == [
        ("A1", "Equity Fund", date(2024, 3, 15), MAR, "CA"),
        ("A10", "Equity Fund", date(2024, 2, 5), FEB, "Unknown"),
        ("A11", "Savings", None, None, "Unknown"),  # closes 2024-06-01, after the as-of date: still open
        ("A2", "Savings", None, None, "CA"),
    ]


def test_spells_merge_overlapping_accounts_and_split_at_churn(con):
    assert rows(con, "select customer_id, spell_number, spell_start, spell_end, spell_start_month, spell_end_month "
                     "from customer_activity_spells") == [
        ("C1", 1, date(2024, 1, 10), None, JAN, None),  # A1 and A2 overlap: one spell, still open
        ("C2", 1, date(2024, 1, 20), date(2024, 2, 10), JAN, FEB),
        ("C2", 2, date(2024, 4, 5), None, APR, None),
        ("C3", 1, date(2023, 12, 5), date(2024, 3, 31), DEC, MAR),  # A6 (closed the day it opened) is ignored
        ("C4", 1, date(2024, 2, 15), date(2024, 2, 20), FEB, FEB),
        ("C6", 1, date(2023, 11, 1), date(2024, 2, 5), NOV, FEB),
        ("C6", 2, date(2024, 2, 12), None, FEB, None),
    ]


def test_spells_touching_accounts_do_not_churn(edge_cases):
    assert edge_cases.sql("select spell_number, spell_start, spell_end from customer_activity_spells "
                          "where customer_id = 'T'").fetchall() == [(1, date(2024, 1, 1), date(2024, 3, 1))]


def test_calendar_months_run_from_the_first_enrollment_to_the_as_of_month(con):
    assert rows(con, "select month, month_end from customer_calendar_months") == [
        (NOV, date(2023, 11, 30)), (DEC, date(2023, 12, 31)), (JAN, date(2024, 1, 31)), (FEB, date(2024, 2, 29)),
        (MAR, date(2024, 3, 31)), (APR, date(2024, 4, 30))]


def test_growth_waterfall(con):
    # start, new, returning, churned, end
    assert rows(con, "select month, region, start_customers, new_customers, returning_customers, churned_customers, "
                     "end_customers from customer_growth_monthly") == [
        (NOV, "West", 0, 1, 0, 0, 1),  # C6 joins; East has no customer yet and no row
        (DEC, "East", 0, 1, 0, 0, 1),  # C3 joins
        (DEC, "West", 1, 0, 0, 0, 1),
        (JAN, "East", 1, 0, 0, 0, 1),
        (JAN, "West", 1, 2, 0, 0, 3),  # C1 and C2 join
        (FEB, "East", 1, 1, 0, 1, 1),  # C4 joins and churns within February
        (FEB, "West", 3, 0, 1, 2, 2),  # C2 and C6 churn, C6 comes back: 3 + 0 + 1 - 2 = 2
        (MAR, "East", 1, 0, 0, 1, 0),  # C3's last account closes on 03-31
        (MAR, "West", 2, 0, 0, 0, 2),  # C1 closes A1 but keeps A2: a product exit, not a churn
        (APR, "West", 2, 0, 1, 0, 3),  # C2 comes back; East has nothing left and no row
    ]


def test_growth_waterfall_balances_and_carries_over(con):
    waterfall = rows(con, "select region, month, start_customers, new_customers, returning_customers, "
                          "churned_customers, end_customers from customer_growth_monthly order by region, month")
    for region, month, start, new, returning, churned, end in waterfall:
        assert start + new + returning - churned == end, (region, month)
    for before, after in zip(waterfall, waterfall[1:]):
        if before[0] == after[0]:
            assert before[6] == after[2], (before, after)  # end of one month = start of the next


def test_base_counts_customers_and_accounts_open_at_each_month_end(con):
    assert rows(con, "select month_end, state, active_customers, active_accounts, products_per_customer "
                     "from customer_base_monthly") == [
        (date(2023, 11, 30), "Unknown", 1, 1, 1.0),
        (date(2023, 12, 31), "NY", 1, 1, 1.0),  # A6 closed the day it opened: not counted
        (date(2023, 12, 31), "Unknown", 1, 1, 1.0),
        (date(2024, 1, 31), "CA", 2, 2, 1.0),  # C1 (A1), C2 (A3)
        (date(2024, 1, 31), "NY", 1, 1, 1.0),
        (date(2024, 1, 31), "Unknown", 1, 1, 1.0),
        (date(2024, 2, 29), "CA", 1, 2, 2.0),  # C1 holds A1 and A2; C2 churned
        (date(2024, 2, 29), "NY", 1, 1, 1.0),  # C3; C4 came and went
        (date(2024, 2, 29), "Unknown", 1, 1, 1.0),  # C6 came back with A11
        (date(2024, 3, 31), "CA", 1, 1, 1.0),  # A1 closed 03-15
        (date(2024, 3, 31), "Unknown", 1, 1, 1.0),
        (date(2024, 4, 30), "CA", 2, 2, 1.0),  # C1 (A2), C2 back (A4); A12 opens after the as-of date
        (date(2024, 4, 30), "Unknown", 1, 1, 1.0),
    ]


def test_base_active_customers_match_the_waterfall_end(con):
    base = rows(con, "select month_end, region, sum(active_customers) from customer_base_monthly group by all")
    growth = rows(con, "select cast(month + interval 1 month - interval 1 day as date), region, end_customers "
                       "from customer_growth_monthly where end_customers > 0")
    assert base == growth


def test_acquisition_counts_enrollments_by_first_account_channel(con):
    assert rows(con, "select month, region, income_band, acquisition_channel, new_customers "
                     "from customer_acquisition_monthly") == [
        (NOV, "West", "50K-100K", "Branch", 1),
        (DEC, "East", "50K-100K", "Advisor", 1),  # A5 and A6 open the same day: A5 first by id
        (JAN, "West", "50K-100K", "Mobile", 1),  # C2
        (JAN, "West", "50K-100K", "Web", 1),  # C1
        (FEB, "East", "50K-100K", "Web", 1),
        (APR, "West", "Unknown", "No account", 1),  # C7; C8 enrolls after the as-of date
    ]


def test_churn_rate_parts(con):
    assert rows(con, "select month, region, customers_at_month_start, churned_customers, round(churn_rate, 4) "
                     "from churn_rate_monthly") == [
        (DEC, "West", 1, 0, 0.0),  # East starts December with no customer: no row
        (JAN, "East", 1, 0, 0.0),
        (JAN, "West", 1, 0, 0.0),
        (FEB, "East", 1, 1, 1.0),  # C4 churns though it joined in February: 1 / 1
        (FEB, "West", 3, 2, round(2 / 3, 4)),
        (MAR, "East", 1, 1, 1.0),
        (MAR, "West", 2, 0, 0.0),
        (APR, "West", 2, 0, 0.0),
    ]


def test_monthly_retention_keeps_customers_who_came_back_within_the_month(con):
    assert rows(con, "select month, region, customers_at_month_start, retained_customers, round(retention_rate, 4) "
                     "from customer_retention_monthly") == [
        (DEC, "West", 1, 1, 1.0),
        (JAN, "East", 1, 1, 1.0),
        (JAN, "West", 1, 1, 1.0),
        (FEB, "East", 1, 1, 1.0),  # C4 was not there at the start
        (FEB, "West", 3, 2, round(2 / 3, 4)),  # C1 stays, C2 leaves, C6 leaves 02-05 and is back 02-12
        (MAR, "East", 1, 0, 0.0),
        (MAR, "West", 2, 2, 1.0),
        (APR, "West", 2, 2, 1.0),
    ]


def test_retention_between_a_period_start_and_end(con):
    # active at the close of 2023-12-31: C6 (West), C3 (East); active at 2024-04-30: C1, C2, C6
    assert rows(con, "select region, customers_at_start, retained_customers, retention_rate "
                     "from retention_between(date '2024-01-01', date '2024-04-30')") == [
        ("East", 1, 0, 0.0),
        ("West", 1, 1, 1.0),
    ]


def test_retention_between_one_month_equals_the_monthly_view(con):
    months = con.sql("select month, month_end from customer_calendar_months").fetchall()
    assert len(months) == 6
    for month, month_end in months:
        period = rows(con, f"select region, segment, wealth_tier, customers_at_start, retained_customers "
                           f"from retention_between(date '{month}', date '{month_end}')")
        monthly = rows(con, f"select region, segment, wealth_tier, customers_at_month_start, retained_customers "
                            f"from customer_retention_monthly where month = date '{month}'")
        assert period == monthly, month


def test_churn_by_reason_counts_product_exits_and_those_that_churned_the_customer(con):
    assert rows(con, "select month, quarter, region, product_category, reason, product_exits, customer_churn_exits, "
                     "recovered_exits, lifetime_value, exit_survey_score_sum, exit_survey_responses "
                     "from churn_by_reason_monthly") == [
        (FEB, Q1, "West", "Equity Fund", "High Fees", 1, 1, 0, Decimal("200.00"), 1.0, 1),  # C6 leaves A10
        # X2 and X6: both on C2's churn date; 300 + 100; only X6 has a score
        (FEB, Q1, "West", "Savings", "Service Issue", 2, 2, 0, Decimal("400.00"), 3.0, 1),
        (MAR, Q1, "East", "Equity Fund", "Better Competitor", 1, 1, 1, Decimal("1000.00"), 4.0, 1),
        (MAR, Q1, "West", "Equity Fund", "High Fees", 1, 0, 0, Decimal("500.00"), 2.0, 1),  # C1 keeps A2
    ]  # X5 is after the as-of date


def test_tenure_and_balance_per_customer_at_the_latest_month_end(con):
    assert rows(con, "select customer_id, tenure_years, age_years, age_band, age_band_order, balance_month_end, "
                     "total_balance, accounts_with_balance from customer_tenure_balance") == [
        # 111 days / 365.25; born 1980-05-01, birthday not yet reached on 04-30: 43
        ("C1", round(111 / 365.25, 2), 43, "35-44", 3, AS_OF, Decimal("1200.50"), 1),
        ("C2", round(101 / 365.25, 2), 24, "18-24", 1, AS_OF, Decimal("800.00"), 1),  # birthday on the as-of day
        ("C6", round(181 / 365.25, 2), 23, "18-24", 1, AS_OF, Decimal("300.00"), 1),
    ]  # C3, C4, C7 hold no balance at 2024-04-30; the 2024-05-31 snapshot is after the as-of date


def test_average_balance_by_age_band_exposes_sum_and_count(con):
    assert rows(con, "select segment, age_band, region, wealth_tier, customers, total_balance, average_balance "
                     "from average_balance_by_age_band") == [
        ("Retail", "18-24", "West", "Mass Market", 2, Decimal("1100.00"), 550.0),  # (800 + 300) / 2
        ("Retail", "35-44", "West", "Mass Market", 1, Decimal("1200.50"), 1200.5),
    ]


def test_age_bands_cover_every_age(edge_cases):
    assert rows(edge_cases, "select customer_id, age_years, age_band, age_band_order from customer_tenure_balance") == [
        ("A", 18, "18-24", 1), ("B", 24, "18-24", 1), ("C", 25, "25-34", 2), ("D", 35, "35-44", 3),
        ("E", 45, "45-54", 4), ("F", 55, "55-64", 5), ("G", 64, "55-64", 5), ("H", 65, "65+", 6),
        ("K", 14, "Under 18", 0), ("U", None, "Unknown", 7)]


def test_retention_cohort_matrix(con):
    assert rows(con, "select cohort_month, months_since_enrollment, month, region, cohort_customers, "
                     "active_customers from retention_cohort_matrix") == [
        (NOV, 0, NOV, "West", 1, 1),  # C6, away from 02-05 to 02-12 only: active at every month end
        (NOV, 1, DEC, "West", 1, 1),
        (NOV, 2, JAN, "West", 1, 1),
        (NOV, 3, FEB, "West", 1, 1),
        (NOV, 4, MAR, "West", 1, 1),
        (NOV, 5, APR, "West", 1, 1),
        (DEC, 0, DEC, "East", 1, 1),  # C3, active until 03-31
        (DEC, 1, JAN, "East", 1, 1),
        (DEC, 2, FEB, "East", 1, 1),
        (DEC, 3, MAR, "East", 1, 0),
        (DEC, 4, APR, "East", 1, 0),
        (JAN, 0, JAN, "West", 2, 2),  # C1 and C2
        (JAN, 1, FEB, "West", 2, 1),  # C2 churned 02-10
        (JAN, 2, MAR, "West", 2, 1),
        (JAN, 3, APR, "West", 2, 2),  # C2 came back 04-05
        (FEB, 0, FEB, "East", 1, 0),  # C4 left before the end of its first month
        (FEB, 1, MAR, "East", 1, 0),
        (FEB, 2, APR, "East", 1, 0),
        (APR, 0, APR, "West", 1, 0),  # C7 has no account
    ]
    assert con.sql("select retention_share from retention_cohort_matrix "
                   "where cohort_month = date '2024-01-01' and months_since_enrollment = 1").fetchall() == [(0.5,)]


def test_account_flows_count_accounts_by_channel_category_and_status(con):
    assert rows(con, "select month, region, channel, product_category, account_status, accounts "
                     "from account_flows_monthly") == [
        (NOV, "West", "Branch", "Equity Fund", "Closed", 1),
        (DEC, "East", "Advisor", "Equity Fund", "Closed", 1),
        (DEC, "East", "Phone", "Equity Fund", "Closed", 1),  # A6 was never open but is an account
        (JAN, "West", "Mobile", "Savings", "Closed", 1),
        (JAN, "West", "Web", "Equity Fund", "Closed", 1),
        (FEB, "East", "Web", "Savings", "Closed", 1),
        (FEB, "West", "Branch", "Savings", "Active", 2),  # A2 and A11
        (APR, "West", "Branch", "Equity Fund", "Active", 1),  # A12 opens after the as-of date
    ]


def test_customer_ages_count_whole_years_at_the_as_of_date_and_band_them():
    con = warehouse({"customers": [
        row("customers", customer_id="C1", birth_date=date(2006, 6, 30), enrollment_date=date(2023, 6, 30)),
        row("customers", customer_id="C2", birth_date=date(2006, 7, 1), enrollment_date=date(2024, 6, 30)),
        row("customers", customer_id="C3", birth_date=None, enrollment_date=date(2020, 1, 1)),
        row("customers", customer_id="C4", birth_date=date(1959, 1, 1), enrollment_date=date(2024, 1, 1)),
    ]}, as_of=date(2024, 6, 30))
    assert con.sql("select customer_id, age_years, age_band, age_band_order, tenure_years "
                   "from customer_ages order by customer_id").fetchall() == [
        ("C1", 18, "18-24", 1, round(366 / 365.25, 2)),  # 18th birthday on the as-of date; 2024 is a leap year
        ("C2", 17, "Under 18", 0, 0.0),  # turns 18 the day after the as-of date
        ("C3", None, "Unknown", 7, round(1642 / 365.25, 2)),  # 2020-01-01 to 2024-06-30 is 1,642 days
        ("C4", 65, "65+", 6, round(181 / 365.25, 2)),
    ]
