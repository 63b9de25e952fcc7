"""Wealth and revenue views: AUM and its movements, product performance and ROI, benchmarks, the AUM forecast,
loans and revenue, on a hand-made book.

The fixture, as of 2024-03-31. Customers C1 West/Retail/Affluent and C2 East/Corporate/Mass Market; C9 is
unknown to customers. Products P1 Equity Fund/Stocks/High and P2 Bond Fund/Bonds/Low.

Account snapshots (balance = opening + contributions - withdrawals + returns - fees):

    account  holder product initial  month end   balance  contrib  withdr  returns  fees  opening
    A1       C1     P1      1000     2024-01-31  1140     100      0       50       10    1000 (first month: implied)
                                     2024-02-29  1170     100      40      -20      10    1140
                                     2024-03-31  1190     0        0       30       10    1170
    A2       C2     P2      5000     2024-01-31  5200     0        0       40       5     5165 (first in history)
                                     2024-02-29  5455     200      0       60       5     5200
                                     2024-03-31  4995     0        400     -55      5     5455
                                     2024-04-30  9999     -        -       -        -     after the as-of date
    A3       C1     P2      2000     2024-02-29  2008     2000     0       10       2     0 (initial booked as
                                                                                          contribution)
                                     2024-03-31  2020     0        0       14       2     2008
    A4       C2     P1      300      2024-01-31  300      0        0       0        0     300
                                     2024-03-31  330      0        0       20       0     310 (no Feb snapshot)

Net invested starts from each account's first opening balance (A3: 0 + its 2000 contribution; A2, older than the
history: the 5165 it entered the history with), then adds contributions - withdrawals.

Month-end AUM: Jan 1140 + 5200 + 300 = 6640; Feb 1170 + 5455 + 2008 = 8633; Mar 1190 + 4995 + 2020 + 330 = 8535.

Loans (interest = principal x (1 - months elapsed / term) x rate / 12):

    loan  borrower  type      principal  rate  term  issued      status / date           active months
    L1    C1        Personal  12000      0.06  12    2024-01-15  Active                  Jan Feb Mar
    L2    C2        Home      24000      0.05  24    2023-12-20  Closed 2024-02-10       Dec Jan
    L3    C1        Auto      6000       0.12  2     2024-01-31  Active (past maturity)  Jan Feb
    L4    C9        Business  50000      0.08  60    2024-03-01  Active, branch South    Mar
    L5    C2        Personal  1000       0.06  12    2024-04-10  issued after the as-of date
    L6    C2        Personal  1200       0.10  12    2023-11-01  Defaulted 2024-01-20    Nov Dec
    L7    C1        Home      10000      0.04  12    2024-02-05  Closed 2024-02-25       none

Card transactions: C1 2024-01-05 100 Approved, C1 2024-01-20 50 Declined, C2 2024-02-03 200 Approved,
C9 2024-03-03 40 Approved, C2 2024-03-15 60 Reversed.
"""

import math
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import row, rows, warehouse

WEST = ("West", "Retail", "Affluent")
EAST = ("East", "Corporate", "Mass Market")
NOV, DEC = date(2023, 11, 1), date(2023, 12, 1)
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
JAN_END, FEB_END, MAR_END = date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)
AUM_BY_MONTH_END = {JAN_END: 6640, FEB_END: 8633, MAR_END: 8535}


def snapshot(account_id, month_end, balance, contributions=0, withdrawals=0, investment_returns=0, fees=0):
    return row("account_balances", account_id=account_id, month_end=month_end, balance=balance,
               contributions=contributions, withdrawals=withdrawals, investment_returns=investment_returns,
               fees=fees)


def loan(loan_id, customer_id, loan_type, principal, interest_rate, term_months, issue_date, status="Active",
         status_date=None, region="West"):
    return row("loans", loan_id=loan_id, customer_id=customer_id, loan_type=loan_type, principal=principal,
               interest_rate=interest_rate, term_months=term_months, issue_date=issue_date, status=status,
               status_date=status_date, region=region)


def card(transaction_id, customer_id, transaction_at, amount, status):
    return row("card_transactions", transaction_id=transaction_id, customer_id=customer_id,
               transaction_at=transaction_at, amount=amount, status=status)


def market_day(trade_date, equity_index, bond_index):
    return row("market_data", trade_date=trade_date, equity_index=equity_index, bond_index=bond_index)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            row("customers", customer_id="C1", region="West", segment="Retail", wealth_tier="Affluent"),
            row("customers", customer_id="C2", region="East", segment="Corporate", wealth_tier="Mass Market"),
        ],
        "products": [
            row("products", product_id="P1", product_name="Growth Fund", category="Equity Fund",
                investment_type="Stocks", risk_level="High"),
            row("products", product_id="P2", product_name="Core Bond Fund", category="Bond Fund",
                investment_type="Bonds", risk_level="Low"),
        ],
        "enrollments": [
            row("enrollments", account_id="A1", customer_id="C1", product_id="P1", open_date=date(2024, 1, 10),
                initial_investment=1000),
            row("enrollments", account_id="A2", customer_id="C2", product_id="P2", open_date=date(2023, 6, 1),
                initial_investment=5000),
            row("enrollments", account_id="A3", customer_id="C1", product_id="P2", open_date=date(2024, 2, 5),
                initial_investment=2000),
            row("enrollments", account_id="A4", customer_id="C2", product_id="P1", open_date=date(2023, 12, 1),
                initial_investment=300),
        ],
        "account_balances": [
            snapshot("A1", JAN_END, 1140, contributions=100, investment_returns=50, fees=10),
            snapshot("A1", FEB_END, 1170, contributions=100, withdrawals=40, investment_returns=-20, fees=10),
            snapshot("A1", MAR_END, 1190, investment_returns=30, fees=10),
            snapshot("A2", JAN_END, 5200, investment_returns=40, fees=5),
            snapshot("A2", FEB_END, 5455, contributions=200, investment_returns=60, fees=5),
            snapshot("A2", MAR_END, 4995, withdrawals=400, investment_returns=-55, fees=5),
            snapshot("A2", date(2024, 4, 30), 9999),
            snapshot("A3", FEB_END, 2008, contributions=2000, investment_returns=10, fees=2),
            snapshot("A3", MAR_END, 2020, investment_returns=14, fees=2),
            snapshot("A4", JAN_END, 300),
            snapshot("A4", MAR_END, 330, investment_returns=20),
        ],
        "loans": [
            loan("L1", "C1", "Personal", 12000, 0.06, 12, date(2024, 1, 15)),
            loan("L2", "C2", "Home", 24000, 0.05, 24, date(2023, 12, 20), "Closed", date(2024, 2, 10)),
            loan("L3", "C1", "Auto", 6000, 0.12, 2, date(2024, 1, 31)),
            loan("L4", "C9", "Business", 50000, 0.08, 60, date(2024, 3, 1), region="South"),
            loan("L5", "C2", "Personal", 1000, 0.06, 12, date(2024, 4, 10)),
            loan("L6", "C2", "Personal", 1200, 0.10, 12, date(2023, 11, 1), "Defaulted", date(2024, 1, 20)),
            loan("L7", "C1", "Home", 10000, 0.04, 12, date(2024, 2, 5), "Closed", date(2024, 2, 25)),
        ],
        "card_transactions": [
            card("T1", "C1", "2024-01-05 10:00:00", 100, "Approved"),
            card("T2", "C1", "2024-01-20 10:00:00", 50, "Declined"),
            card("T3", "C2", "2024-02-03 10:00:00", 200, "Approved"),
            card("T4", "C9", "2024-03-03 10:00:00", 40, "Approved"),
            card("T5", "C2", "2024-03-15 10:00:00", 60, "Reversed"),
        ],
        "market_data": [
            market_day(date(2023, 11, 29), 3900, 99),
            market_day(date(2023, 11, 30), 4000, 100),
            market_day(date(2023, 12, 29), 4100, 101),
            market_day(date(2023, 12, 28), 9999, 1),  # not the month's last trading day: ignored
            market_day(date(2024, 1, 31), 4305, 103.02),
            market_day(date(2024, 3, 28), 4400, 104),  # no February data
        ],
    }, as_of=date(2024, 3, 31))


def d(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- AUM and its movements

def test_wealth_account_months_derives_opening_balance_and_net_invested(con):
    actual = rows(con, """
        select account_id, month_end, product_category, region, balance, opening_balance, net_flow, net_invested
        from wealth_account_months""")
    assert actual == [
        ("A1", JAN_END, "Equity Fund", "West", d(1140), d(1000), d(100), d(1100)),  # 1140 - 100 - 50 + 10
        ("A1", FEB_END, "Equity Fund", "West", d(1170), d(1140), d(60), d(1160)),  # 1000 + 100 + 100 - 40
        ("A1", MAR_END, "Equity Fund", "West", d(1190), d(1170), d(0), d(1160)),
        ("A2", JAN_END, "Bond Fund", "East", d(5200), d(5165), d(0), d(5165)),  # 5200 - 40 + 5
        ("A2", FEB_END, "Bond Fund", "East", d(5455), d(5200), d(200), d(5365)),
        ("A2", MAR_END, "Bond Fund", "East", d(4995), d(5455), d(-400), d(4965)),  # April: after the as-of date
        ("A3", FEB_END, "Bond Fund", "West", d(2008), d(0), d(2000), d(2000)),  # 2008 - 2000 - 10 + 2
        ("A3", MAR_END, "Bond Fund", "West", d(2020), d(2008), d(0), d(2000)),
        ("A4", JAN_END, "Equity Fund", "East", d(300), d(300), d(0), d(300)),
        ("A4", MAR_END, "Equity Fund", "East", d(330), d(310), d(0), d(300)),  # no Feb snapshot: 330 - 20
    ]


def test_aum_monthly_holds_month_end_balances_and_movements_by_product_and_customer(con):
    actual = rows(con, """
        select month_end, month, product_id, investment_type, risk_level, region, segment, wealth_tier, accounts,
               aum, opening_balance, contributions, withdrawals, net_flow, investment_returns, fees, net_invested
        from aum_monthly""")
    assert actual == [
        (JAN_END, JAN, "P1", "Stocks", "High", *EAST, 1, d(300), d(300), d(0), d(0), d(0), d(0), d(0), d(300)),
        (JAN_END, JAN, "P1", "Stocks", "High", *WEST, 1, d(1140), d(1000), d(100), d(0), d(100), d(50), d(10),
         d(1100)),
        (JAN_END, JAN, "P2", "Bonds", "Low", *EAST, 1, d(5200), d(5165), d(0), d(0), d(0), d(40), d(5), d(5165)),
        (FEB_END, FEB, "P1", "Stocks", "High", *WEST, 1, d(1170), d(1140), d(100), d(40), d(60), d(-20), d(10),
         d(1160)),
        (FEB_END, FEB, "P2", "Bonds", "Low", *EAST, 1, d(5455), d(5200), d(200), d(0), d(200), d(60), d(5),
         d(5365)),
        (FEB_END, FEB, "P2", "Bonds", "Low", *WEST, 1, d(2008), d(0), d(2000), d(0), d(2000), d(10), d(2),
         d(2000)),
        (MAR_END, MAR, "P1", "Stocks", "High", *EAST, 1, d(330), d(310), d(0), d(0), d(0), d(20), d(0), d(300)),
        (MAR_END, MAR, "P1", "Stocks", "High", *WEST, 1, d(1190), d(1170), d(0), d(0), d(0), d(30), d(10),
         d(1160)),
        (MAR_END, MAR, "P2", "Bonds", "Low", *EAST, 1, d(4995), d(5455), d(0), d(400), d(-400), d(-55), d(5),
         d(4965)),
        (MAR_END, MAR, "P2", "Bonds", "Low", *WEST, 1, d(2020), d(2008), d(0), d(0), d(0), d(14), d(2), d(2000)),
    ]


def test_aum_at_a_month_end_is_the_sum_of_that_month_ends_balances_not_of_all_rows(con):
    by_month_end = dict(con.sql("select month_end, sum(aum) from aum_monthly group by month_end").fetchall())
    assert by_month_end == {month_end: d(aum) for month_end, aum in AUM_BY_MONTH_END.items()}
    # The naive sum of every monthly row triples the money: 6640 + 8633 + 8535 = 23808, not 8535.
    assert con.sql("select sum(aum) from aum_monthly").fetchall() == [(d(23808),)]


def test_aum_rolls_forward_from_opening_balance_through_flows_returns_and_fees(con):
    mismatches = con.sql("""
        select * from aum_monthly
        where opening_balance + net_flow + investment_returns - fees <> aum""").fetchall()
    assert mismatches == []


# ---------------------------------------------------------------- product performance and ROI

PERFORMANCE_COLUMNS = """
    product_id, region, month_ends, round(average_balance, 6), investment_returns, fees, contributions,
    withdrawals, net_flow, amount_invested, current_value, round(return_rate, 10)"""


def test_product_performance_between_sums_the_period_and_takes_stocks_at_its_last_month_end(con):
    actual = rows(con, f"""
        select {PERFORMANCE_COLUMNS}
        from product_performance_between(date '2024-02-01', date '2024-03-31')""")
    # Month ends in the period: Feb and Mar, so average balance = (Feb + Mar balance) / 2.
    assert actual == [
        ("P1", "East", 2, 165.0, d(20), d(0), d(0), d(0), d(0), d(300), d(330), round(20 / 165, 10)),  # 330 / 2
        ("P1", "West", 2, 1180.0, d(10), d(20), d(100), d(40), d(60), d(1160), d(1190),
         round(10 / 1180, 10)),  # (1170 + 1190) / 2; returns -20 + 30
        ("P2", "East", 2, 5225.0, d(5), d(10), d(200), d(400), d(-200), d(4965), d(4995),
         round(5 / 5225, 10)),  # (5455 + 4995) / 2; returns 60 - 55
        ("P2", "West", 2, 2014.0, d(24), d(4), d(2000), d(0), d(2000), d(2000), d(2020),
         round(24 / 2014, 10)),  # (2008 + 2020) / 2; returns 10 + 14
    ]


def test_roi_by_investment_type_is_recomputed_from_summed_parts(con):
    actual = rows(con, """
        select investment_type, sum(investment_returns) / sum(average_balance), sum(amount_invested),
               sum(current_value)
        from product_performance_between(date '2024-02-01', date '2024-03-31')
        group by investment_type""")
    assert [(t, round(roi, 10), invested, value) for t, roi, invested, value in actual] == [
        ("Bonds", round((5 + 24) / (5225 + 2014), 10), d(4965 + 2000), d(4995 + 2020)),
        ("Stocks", round((20 + 10) / (165 + 1180), 10), d(300 + 1160), d(330 + 1190)),
    ]
    # The average balances add up to the book's average month-end AUM over the period.
    total = con.sql("""select sum(average_balance)
                       from product_performance_between(date '2024-02-01', date '2024-03-31')""").fetchall()
    assert round(total[0][0], 6) == (AUM_BY_MONTH_END[FEB_END] + AUM_BY_MONTH_END[MAR_END]) / 2


def test_product_without_an_account_at_the_period_end_has_zero_current_value(con):
    actual = rows(con, """
        select product_id, region, month_ends, average_balance, current_value, amount_invested
        from product_performance_between(date '2024-01-01', date '2024-02-29')
        where product_id = 'P1' and region = 'East'""")
    assert actual == [("P1", "East", 2, 150.0, d(0), d(0))]  # A4 held 300 at the end of Jan only: 300 / 2


def test_product_performance_covers_the_twelve_month_ends_up_to_the_as_of_date(con):
    actual = rows(con, f"select {PERFORMANCE_COLUMNS} from product_performance where product_id = 'P1'")
    # Apr 2023 .. Mar 2024 holds the Jan, Feb and Mar month ends of the data.
    assert actual == [
        ("P1", "East", 3, 210.0, d(20), d(0), d(0), d(0), d(0), d(300), d(330),
         round(20 / 210, 10)),  # (300 + 330) / 3
        ("P1", "West", 3, 1166.666667, d(60), d(30), d(200), d(40), d(160), d(1160), d(1190),
         round(60 / (3500 / 3), 10)),  # (1140 + 1170 + 1190) / 3; returns 50 - 20 + 30
    ]


# ---------------------------------------------------------------- benchmarks

def test_market_returns_compare_last_trading_days_of_consecutive_months(con):
    actual = rows(con, """
        select month, last_trade_date, equity_index_close, round(equity_index_return, 10),
               round(bond_index_return, 10)
        from market_returns_monthly""")
    assert actual == [
        (NOV, date(2023, 11, 30), 4000.0, None, None),  # first month of the data
        (DEC, date(2023, 12, 29), 4100.0, round(4100 / 4000 - 1, 10), round(101 / 100 - 1, 10)),
        (JAN, date(2024, 1, 31), 4305.0, round(4305 / 4100 - 1, 10), round(103.02 / 101 - 1, 10)),
        (MAR, date(2024, 3, 28), 4400.0, None, None),  # February has no data: no two-month return
    ]


def test_portfolio_vs_benchmark_divides_returns_by_opening_balances(con):
    actual = rows(con, """
        select month, investment_returns, opening_balance, round(portfolio_return, 10),
               round(equity_index_return, 10), round(excess_return_vs_bond, 10)
        from portfolio_vs_benchmark_monthly""")
    assert actual == [
        # Jan: returns 50 + 40 + 0; opening 1000 + 5165 + 300
        (JAN, d(90), d(6465), round(90 / 6465, 10), round(4305 / 4100 - 1, 10),
         round(90 / 6465 - (103.02 / 101 - 1), 10)),
        # Feb: returns -20 + 60 + 10; opening 1140 + 5200 + 0; no market data
        (FEB, d(50), d(6340), round(50 / 6340, 10), None, None),
        # Mar: returns 30 - 55 + 14 + 20; opening 1170 + 5455 + 2008 + 310
        (MAR, d(9), d(8943), round(9 / 8943, 10), None, None),
    ]


# ---------------------------------------------------------------- AUM forecast

def linear_fit(values):
    """Least-squares line through (x, value) with x = -(n-1) .. 0: (slope, value at x = 0, residual sd)."""
    xs = range(-len(values) + 1, 1)
    x_mean, y_mean = sum(xs) / len(values), sum(values) / len(values)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, values)) / sum((x - x_mean) ** 2 for x in xs)
    intercept = y_mean - slope * x_mean
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, values)]
    return slope, intercept, math.sqrt(sum(r * r for r in residuals) / (len(values) - 2))


def test_aum_forecast_extends_the_trend_with_a_band_widening_with_the_horizon(con):
    actual = con.sql("""
        select month_end, aum, round(forecast, 6), round(lower, 6), round(upper, 6), is_forecast
        from aum_forecast order by month_end""").fetchall()
    # By hand: x = -2, -1, 0; slope = ((6640 - 7936) * -1 + (8535 - 7936) * 1) / 2 = 947.5; value at 0 = 8883.5;
    # residuals -348.5, 697, -348.5, so sd = sqrt(2 * 348.5^2 + 697^2) / sqrt(3 - 2).
    slope, intercept, sd = linear_fit([6640, 8633, 8535])
    assert (slope, intercept, round(sd, 6)) == (947.5, 8883.5, round(math.sqrt(2 * 348.5**2 + 697**2), 6))
    assert actual[:3] == [
        (JAN_END, 6640.0, 6988.5, None, None, False),
        (FEB_END, 8633.0, 7936.0, None, None, False),
        (MAR_END, 8535.0, 8883.5, None, None, False),
    ]
    future = actual[3:]
    assert [r[0] for r in future] == [date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31),
                                      date(2024, 8, 31), date(2024, 9, 30), date(2024, 10, 31), date(2024, 11, 30),
                                      date(2024, 12, 31), date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]
    for horizon, (_, aum, forecast, lower, upper, is_forecast) in enumerate(future, start=1):
        expected = intercept + slope * horizon
        half_width = 1.96 * sd * math.sqrt(horizon)
        assert (aum, forecast, is_forecast) == (None, round(expected, 6), True)
        assert (lower, upper) == (round(max(expected - half_width, 0), 6), round(expected + half_width, 6))


def test_aum_forecast_for_fits_the_selected_regions_only(con):
    actual = con.sql("""
        select month_end, aum, round(forecast, 6)
        from aum_forecast_for(['West'], null, null) order by month_end""").fetchall()
    west = [1140, 1170 + 2008, 1190 + 2020]  # A1 and A3
    slope, intercept, _ = linear_fit(west)
    assert actual[:3] == [(JAN_END, 1140.0, round(intercept - 2 * slope, 6)),
                          (FEB_END, 3178.0, round(intercept - slope, 6)),
                          (MAR_END, 3210.0, round(intercept, 6))]
    assert actual[3] == (date(2024, 4, 30), None, round(intercept + slope, 6))


def month_end_of(year, month):
    """Last day of a month; months past 12 roll into the next years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    next_start = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(next_start.toordinal() - 1)


def test_aum_forecast_fits_only_the_latest_24_month_ends():
    # Month ends Jan 2022 .. Feb 2024: the first two are outliers, the latest 24 lie on 1000 + 10 x i.
    ends = [date(2022, 1, 31), date(2022, 2, 28)] + [month_end_of(2022, 3 + i) for i in range(24)]
    balances = [50000, 50000] + [1000 + 10 * i for i in range(24)]
    con = warehouse({"account_balances": [snapshot("A1", e, b) for e, b in zip(ends, balances)]},
                    as_of=date(2024, 2, 29))
    actual = con.sql("""
        select month_end, round(forecast, 6), round(lower, 6), round(upper, 6)
        from aum_forecast order by month_end""").fetchall()
    assert [r[1] for r in actual[:3]] == [None, None, 1000.0]  # the outliers are not fitted
    assert actual[-12][0] == date(2024, 3, 31)
    assert actual[-12][1:] == (1240.0, 1240.0, 1240.0)  # exact line: 1000 + 10 x 24, no residual spread
    assert actual[-1][:2] == (date(2025, 2, 28), 1000.0 + 10 * 35)


# ---------------------------------------------------------------- loans

def test_loans_monthly_counts_issues_and_amortises_active_loans(con):
    actual = rows(con, """
        select month, loan_type, region, segment, wealth_tier, loans_issued, amount_issued, active_loans,
               round(outstanding_principal, 6), round(interest_income, 6)
        from loans_monthly""")
    assert actual == [
        (NOV, "Personal", *EAST, 1, d(1200), 1, 1200.0, round(1200 * 0.10 / 12, 6)),  # L6 issue month
        (DEC, "Home", *EAST, 1, d(24000), 1, 24000.0, round(24000 * 0.05 / 12, 6)),  # L2 issue month
        (DEC, "Personal", *EAST, 0, d(0), 1, 1100.0, round(1100 * 0.10 / 12, 6)),  # L6: 1200 x (1 - 1/12)
        (JAN, "Auto", *WEST, 1, d(6000), 1, 6000.0, round(6000 * 0.12 / 12, 6)),
        (JAN, "Home", *EAST, 0, d(0), 1, 23000.0, round(23000 * 0.05 / 12, 6)),  # 24000 x (1 - 1/24)
        (JAN, "Personal", *WEST, 1, d(12000), 1, 12000.0, round(12000 * 0.06 / 12, 6)),
        (FEB, "Auto", *WEST, 0, d(0), 1, 3000.0, round(3000 * 0.12 / 12, 6)),  # L3 last month: 6000 x (1 - 1/2)
        (FEB, "Home", *WEST, 1, d(10000), 0, 0.0, 0.0),  # L7 closed in its issue month: never active
        (FEB, "Personal", *WEST, 0, d(0), 1, 11000.0, round(11000 * 0.06 / 12, 6)),
        # L4's borrower is unknown: the branch region, no segment or tier.
        (MAR, "Business", "South", None, None, 1, d(50000), 1, 50000.0, round(50000 * 0.08 / 12, 6)),
        (MAR, "Personal", *WEST, 0, d(0), 1, 10000.0, round(10000 * 0.06 / 12, 6)),  # L3 past its term: gone
    ]  # L2 closed in Feb, L6 defaulted in Jan: not active from those months; L5 is issued after the as-of date


def test_loan_type_mix_shares_from_additive_parts_sum_to_one(con):
    actual = rows(con, """
        select loan_type,
               sum(amount_issued) / sum(sum(amount_issued)) over () as amount_share,
               sum(loans_issued) / sum(sum(loans_issued)) over () as count_share
        from loans_monthly group by loan_type""")
    issued = 12000 + 24000 + 6000 + 50000 + 1200 + 10000  # L1 L2 L3 L4 L6 L7
    assert [(t, round(float(a), 10), round(c, 10)) for t, a, c in actual] == [
        ("Auto", round(6000 / issued, 10), round(1 / 6, 10)),
        ("Business", round(50000 / issued, 10), round(1 / 6, 10)),
        ("Home", round((24000 + 10000) / issued, 10), round(2 / 6, 10)),
        ("Personal", round((12000 + 1200) / issued, 10), round(2 / 6, 10)),
    ]
    assert round(sum(float(a) for _, a, _ in actual), 10) == 1.0


# ---------------------------------------------------------------- revenue

def test_revenue_assumptions_declare_the_card_interchange_rate(con):
    assert con.sql("select card_interchange_rate from revenue_assumptions").fetchall() == [(0.015,)]


def test_revenue_monthly_adds_loan_interest_fees_and_card_interchange(con):
    actual = rows(con, """
        select month, region, segment, wealth_tier, round(loan_interest_income, 6), round(fee_income, 6),
               round(card_interchange_income, 6), round(total_revenue, 6), approved_card_spend
        from revenue_monthly""")
    # Revenue starts in January, the first month with fees or card spend: no Nov or Dec loan interest alone.
    assert actual == [
        # Jan East: L2 interest (L6 defaulted in Jan); fees A2 5 + A4 0
        (JAN, *EAST, round(23000 * 0.05 / 12, 6), 5.0, 0.0, round(23000 * 0.05 / 12 + 5, 6), 0.0),
        # Jan West: L1 60 + L3 60; fees A1 10; T1 100 approved x 1.5% (T2 declined)
        (JAN, *WEST, 120.0, 10.0, 1.5, 131.5, 100.0),
        # Feb East: no interest (L2 closed in Feb); A2 fees 5; T3 200 approved x 1.5% = 3
        (FEB, *EAST, 0.0, 5.0, 3.0, 8.0, 200.0),
        # Feb West: L1 55 + L3 30 (L7 earns nothing); fees A1 10 + A3 2
        (FEB, *WEST, 85.0, 12.0, 0.0, 97.0, 0.0),
        (MAR, *EAST, 0.0, 5.0, 0.0, 5.0, 0.0),  # T5 reversed earns nothing
        (MAR, None, None, None, 0.0, 0.0, 0.6, 0.6, 40.0),  # T4: card holder unknown to customers
        (MAR, "South", None, None, round(50000 * 0.08 / 12, 6), 0.0, 0.0, round(50000 * 0.08 / 12, 6), 0.0),
        (MAR, *WEST, 50.0, 12.0, 0.0, 62.0, 0.0),
    ]


def test_revenue_components_reconcile_with_their_sources(con):
    revenue = con.sql("""select sum(loan_interest_income), sum(fee_income), sum(card_interchange_income)
                         from revenue_monthly""").fetchall()[0]
    interest = con.sql("select sum(interest_income) from loans_monthly where month >= ?", params=[JAN]).fetchall()[0][0]
    fees = con.sql("select sum(fees) from aum_monthly").fetchall()[0][0]
    assert (round(revenue[0], 6), revenue[1], round(revenue[2], 6)) == (
        round(interest, 6), float(fees), round((100 + 200 + 40) * 0.015, 6))
    assert fees == d(10 * 3 + 5 * 3 + 2 * 2)  # A1, A2, A3; A4 pays none


def test_revenue_without_fee_or_card_data_is_loan_interest_from_the_first_loan_month():
    con = warehouse({"loans": [loan("L1", "C1", "Personal", 12000, 0.06, 12, date(2023, 11, 15))]},
                    as_of=date(2024, 1, 31))
    actual = rows(con, "select month, round(total_revenue, 6) from revenue_monthly")
    assert actual == [(NOV, 60.0), (DEC, 55.0), (JAN, 50.0)]  # 12000 x (1 - k/12) x 0.06 / 12, k = 0, 1, 2
