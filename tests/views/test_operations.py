"""Operations views: regional sales by quarter, employee performance, expenses and cost-to-income on hand-made rows,
as of 2024-06-30.

Customers: C1 West (enrolled 2023-11-20), C3 West (2024-05-05), C2 East (2024-02-01), C4 West (2024-07-02, after
the as-of date). Sales, with who made them:

    A1 C1 account opened 2023-12-01  1,000 by advisor E1
    A2 C1 account opened 2024-01-15  2,000 by advisor E1
    A3 C3 account opened 2024-05-10    500 by advisor E1
    A4 C2 account opened 2024-03-01  4,000 by advisor E2
    A5 C2 account opened 2024-07-01  9,999 by advisor E1 (after the as-of date)
    L2 C2 loan issued    2023-10-05  6,000 by S1, 12% a year over 3 months, active
    L1 C1 loan issued    2024-02-10 10,000 by S1, 12% a year over 10 months, closed 2024-05-20
    L3 C3 loan issued    2024-04-01  3,000 by E1 (an advisor: not credited), 6% a year over 60 months, active
"""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import row, rows, warehouse

WEST = ("West", "Retail", "Mass Market")
EAST = ("East", "Corporate", "Affluent")
AS_OF = date(2024, 6, 30)


def customer(customer_id, dims, enrollment_date):
    region, segment, wealth_tier = dims
    return row("customers", customer_id=customer_id, region=region, segment=segment, wealth_tier=wealth_tier,
               enrollment_date=enrollment_date)


def account(account_id, customer_id, open_date, initial_investment, advisor_id):
    return row("enrollments", account_id=account_id, customer_id=customer_id, open_date=open_date,
               initial_investment=initial_investment, advisor_id=advisor_id)


def employee(employee_id, role, region, hire_date, sales_target):
    return row("employees", employee_id=employee_id, role=role, region=region, hire_date=hire_date,
               sales_target=sales_target)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            customer("C1", WEST, date(2023, 11, 20)),
            customer("C2", EAST, date(2024, 2, 1)),
            customer("C3", WEST, date(2024, 5, 5)),
            customer("C4", WEST, date(2024, 7, 2)),
        ],
        "employees": [
            employee("E1", "Advisor", "West", date(2020, 1, 1), 10000),
            employee("E2", "Advisor", "East", date(2024, 2, 1), 5000),
            employee("S1", "Sales", "West", date(2023, 6, 1), 20000),
            employee("E4", "Sales", "East", date(2024, 1, 1), None),
            employee("M1", "Manager", "West", date(2019, 1, 1), 50000),
        ],
        "enrollments": [
            account("A1", "C1", date(2023, 12, 1), 1000, "E1"),
            account("A2", "C1", date(2024, 1, 15), 2000, "E1"),
            account("A3", "C3", date(2024, 5, 10), 500, "E1"),
            account("A4", "C2", date(2024, 3, 1), 4000, "E2"),
            account("A5", "C2", date(2024, 7, 1), 9999, "E1"),
        ],
        "loans": [
            row("loans", loan_id="L2", customer_id="C2", principal=6000, interest_rate=0.12, term_months=3,
                issue_date=date(2023, 10, 5), status="Active", officer_id="S1"),
            row("loans", loan_id="L1", customer_id="C1", principal=10000, interest_rate=0.12, term_months=10,
                issue_date=date(2024, 2, 10), status="Closed", status_date=date(2024, 5, 20), officer_id="S1"),
            row("loans", loan_id="L3", customer_id="C3", principal=3000, interest_rate=0.06, term_months=60,
                issue_date=date(2024, 4, 1), status="Active", officer_id="E1"),
        ],
        "account_balances": [
            row("account_balances", account_id="A1", month_end=date(2024, 1, 31), fees=5),
            row("account_balances", account_id="A2", month_end=date(2024, 1, 31), fees=3),
            row("account_balances", account_id="A4", month_end=date(2024, 3, 31), fees=7),
        ],
        "card_transactions": [
            row("card_transactions", transaction_id="T1", customer_id="C1", transaction_at="2024-01-15 10:00:00",
                amount=1000, status="Approved"),
            row("card_transactions", transaction_id="T2", customer_id="C1", transaction_at="2024-01-16 10:00:00",
                amount=500, status="Declined"),
            row("card_transactions", transaction_id="T3", customer_id="C2", transaction_at="2024-03-03 10:00:00",
                amount=200, status="Approved"),
        ],
        "expenses": [
            row("expenses", expense_id="X1", expense_date=date(2024, 1, 5), department="Operations",
                category="Rent", region="West", amount=100),
            row("expenses", expense_id="X2", expense_date=date(2024, 1, 20), department="Operations",
                category="Rent", region="West", amount=Decimal("50.25")),
            row("expenses", expense_id="X3", expense_date=date(2024, 1, 10), department="IT",
                category="Technology", region="West", amount=300),
            row("expenses", expense_id="X4", expense_date=date(2024, 2, 3), department="Operations",
                category="Rent", region="East", amount=80),
        ],
    }, as_of=AS_OF)


def money(value):
    return Decimal(value).quantize(Decimal("0.01"))


def test_regional_sales_per_quarter_with_previous_quarter_parts(con):
    actual = rows(con, "select quarter_start_date, quarter, region, segment, wealth_tier, account_sales, loan_sales, "
                       "total_sales, new_customers, previous_quarter_sales, round(sales_growth, 6) "
                       "from regional_sales_quarterly")
    assert actual == [
        (date(2023, 10, 1), "2023-Q4", *EAST, money(0), money(6000), money(6000), 0, money(0), None),  # L2
        (date(2023, 10, 1), "2023-Q4", *WEST, money(1000), money(0), money(1000), 1, money(0), None),  # A1; C1
        # A4; C2 enrolled
        (date(2024, 1, 1), "2024-Q1", *EAST, money(4000), money(0), money(4000), 1, money(6000),
         round(4000 / 6000 - 1, 6)),
        # A2 + L1
        (date(2024, 1, 1), "2024-Q1", *WEST, money(2000), money(10000), money(12000), 0, money(1000),
         round(12000 / 1000 - 1, 6)),
        # nothing sold in the East in Q2, but the row carries Q1's sales as the comparison base
        (date(2024, 4, 1), "2024-Q2", *EAST, money(0), money(0), money(0), 0, money(4000), -1.0),
        # A3 + L3; C3 enrolled; A5 and C4 fall after the as-of date and no 2024-Q3 row is made
        (date(2024, 4, 1), "2024-Q2", *WEST, money(500), money(3000), money(3500), 1, money(12000),
         round(3500 / 12000 - 1, 6)),
    ]
    # growth of all regions in Q2 from the parts: (3,500 + 0) / (12,000 + 4,000) - 1
    assert con.sql("select round(sum(total_sales) / sum(previous_quarter_sales) - 1, 6) "
                   "from regional_sales_quarterly where quarter = '2024-Q2'").fetchall() == [
        (round(3500 / 16000 - 1, 6),)]



def test_sales_per_month_and_group_add_up_to_the_quarters(con):
    assert rows(con, "select month, region, segment, wealth_tier, account_sales, loan_sales, sales "
                     "from sales_monthly") == [
        (date(2023, 10, 1), *EAST, money(0), money(6000), money(6000)),  # L2
        (date(2023, 12, 1), *WEST, money(1000), money(0), money(1000)),  # A1
        (date(2024, 1, 1), *WEST, money(2000), money(0), money(2000)),  # A2
        (date(2024, 2, 1), *WEST, money(0), money(10000), money(10000)),  # L1
        (date(2024, 3, 1), *EAST, money(4000), money(0), money(4000)),  # A4
        (date(2024, 4, 1), *WEST, money(0), money(3000), money(3000)),  # L3
        (date(2024, 5, 1), *WEST, money(500), money(0), money(500)),  # A3; A5 is after the as-of date
    ]
    assert con.sql("select sum(sales) from sales_monthly").fetchall() == \
        con.sql("select sum(total_sales) from regional_sales_quarterly").fetchall()

def test_employee_performance_against_annual_target(con):
    actual = rows(con, "select year, employee_id, role, region, sales, sales_target, "
                       "round(sales_target_to_date, 4), is_year_to_date, round(target_attainment, 6) "
                       "from employee_performance_yearly")
    days_2024 = (AS_OF - date(2024, 1, 1)).days + 1  # 182 of 366 days
    assert actual == [
        (2023, "E1", "Advisor", "West", money(1000), money(10000), 10000.0, False, 0.1),  # A1
        (2023, "S1", "Sales", "West", money(6000), money(20000), 20000.0, False, 0.3),  # L2
        # A2 + A3; A5 is after the as-of date and L3 is a loan, not an advisor's sale
        (2024, "E1", "Advisor", "West", money(2500), money(10000), round(10000 * days_2024 / 366, 4), True, 0.25),
        (2024, "E2", "Advisor", "East", money(4000), money(5000), round(5000 * days_2024 / 366, 4), True, 0.8),
        (2024, "E4", "Sales", "East", money(0), None, None, True, None),  # no target, no sales
        (2024, "S1", "Sales", "West", money(10000), money(20000), round(20000 * days_2024 / 366, 4), True, 0.5),
        # E2 was hired in 2024: no 2023 row; the manager M1 has no row at all
    ]


def test_expenses_by_month_department_category_region(con):
    assert rows(con, "select * from expenses_monthly") == [
        (date(2024, 1, 1), "IT", "Technology", "West", 1, money(300)),
        (date(2024, 1, 1), "Operations", "Rent", "West", 2, money("150.25")),  # X1 100 + X2 50.25
        (date(2024, 2, 1), "Operations", "Rent", "East", 1, money(80)),
    ]


def test_cost_to_income_from_expenses_and_income_parts(con):
    actual = rows(con, "select month, region, expenses, round(loan_interest_income, 6), round(fee_income, 6), "
                       "round(card_interchange_income, 6), round(income, 6), round(cost_to_income_ratio, 6) "
                       "from cost_to_income_monthly")
    assert actual == [
        # L2 earned interest in Oct-Dec 2023, before the first month with fee or card data: revenue_monthly
        # (which income comes from) starts there, so those months have no row
        # X1 + X2 + X3 against A1 5 + A2 3 fees and 1.5% of T1 1,000 (T2 was declined)
        (date(2024, 1, 1), "West", money("450.25"), 0.0, 8.0, 15.0, 23.0, round(450.25 / 23, 6)),
        (date(2024, 2, 1), "East", money(80), 0.0, 0.0, 0.0, 0.0, None),  # no income: no ratio
        # L1: 10,000 x (1 - elapsed / 10) x 1% in February, March and April; closed in May
        (date(2024, 2, 1), "West", money(0), 100.0, 0.0, 0.0, 100.0, 0.0),
        (date(2024, 3, 1), "East", money(0), 0.0, 7.0, 3.0, 10.0, 0.0),  # A4 fees, 1.5% of T3 200
        (date(2024, 3, 1), "West", money(0), 90.0, 0.0, 0.0, 90.0, 0.0),
        # plus L3: 3,000 x (1 - elapsed / 60) x 0.5% from April, up to the as-of month
        (date(2024, 4, 1), "West", money(0), 80.0 + 15.0, 0.0, 0.0, 95.0, 0.0),
        (date(2024, 5, 1), "West", money(0), round(3000 * 59 / 60 * 0.005, 6), 0.0, 0.0, 14.75, 0.0),
        (date(2024, 6, 1), "West", money(0), round(3000 * 58 / 60 * 0.005, 6), 0.0, 0.0, 14.5, 0.0),
    ]
    # expenses equal expenses_monthly; the ratio over all months is recomputed from the parts
    assert con.sql("select sum(expenses) from cost_to_income_monthly").fetchall() == \
        con.sql("select sum(expenses) from expenses_monthly").fetchall()
    assert con.sql("select round(sum(expenses) / sum(income), 6) from cost_to_income_monthly").fetchall() == [
        (round(530.25 / (23 + 100 + 10 + 90 + 95 + 14.75 + 14.5), 6),)]
