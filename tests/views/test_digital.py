"""Digital views: active users (daily, monthly, by device), sessions, mobile adoption, age bands and engagement vs
balance growth on hand-made sessions, as of 2024-06-30.

Customers (C1 and C3 share West/Retail/Mass Market, so distinct users are counted within one group):

    C1 West  born 1999-07-01: 24 at the as-of date (25 the next day)  -> 18-24
    C2 East  born 1999-06-30: 25 on the as-of date                     -> 25-34
    C3 West  no birth date                                             -> Unknown
    C4 West  born 1950-01-01, no sessions                              -> 65+
    C5 North born 1959-06-30: 65 on the as-of date                     -> 65+
    C6 West  enrolled 2024-07-15, after the as-of date

Sessions:

    G7 C1 2023-06-30 23:00 Desktop       View Balance  10 s   (the day the 12-month window starts: outside it)
    G8 C1 2023-07-01 00:00 Desktop       View Balance  20 s
    G1 C1 2024-05-03 08:00 Mobile App    View Balance 100 s  2 pages  1 action
    G2 C1 2024-05-03 20:00 Desktop       Transfer     300 s  5 pages  2 actions
    G3 C1 2024-05-10 09:00 Mobile App    View Balance 200 s  4 pages  1 action
    G6 C3 2024-05-03 15:00 Tablet        Pay Bill     500 s 10 pages  3 actions
    G4 C2 2024-05-03 12:00 Desktop       View Balance  60 s  1 page
    G5 C2 2024-06-01 12:00 Mobile App    View Balance  40 s  1 page
    G9 C5 2024-06-15 10:00 Voice Assistant Check Rates 30 s
"""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import row, rows, warehouse

WEST = ("West", "Retail", "Mass Market")
EAST = ("East", "Corporate", "Affluent")
NORTH = ("North", "Small Business", "High Net Worth")
JUNE_23, JULY_23, MAY, JUNE = date(2023, 6, 1), date(2023, 7, 1), date(2024, 5, 1), date(2024, 6, 1)


def customer(customer_id, dims, birth_date, **extra):
    region, segment, wealth_tier = dims
    return row("customers", customer_id=customer_id, region=region, segment=segment, wealth_tier=wealth_tier,
               birth_date=birth_date, **extra)


def session(event_id, customer_id, event_at, device, action_type, seconds, pages=1, actions=0):
    return row("engagement_events", event_id=event_id, customer_id=customer_id, event_at=event_at, device=device,
               action_type=action_type, session_seconds=seconds, pages_viewed=pages, actions_taken=actions)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            customer("C1", WEST, date(1999, 7, 1)),
            customer("C2", EAST, date(1999, 6, 30)),
            customer("C3", WEST, None),
            customer("C4", WEST, date(1950, 1, 1)),
            customer("C5", NORTH, date(1959, 6, 30)),
            customer("C6", WEST, date(1990, 1, 1), enrollment_date=date(2024, 7, 15)),
        ],
        "engagement_events": [
            session("G7", "C1", "2023-06-30 23:00:00", "Desktop", "View Balance", 10),
            session("G8", "C1", "2023-07-01 00:00:00", "Desktop", "View Balance", 20),
            session("G1", "C1", "2024-05-03 08:00:00", "Mobile App", "View Balance", 100, 2, 1),
            session("G2", "C1", "2024-05-03 20:00:00", "Desktop", "Transfer", 300, 5, 2),
            session("G3", "C1", "2024-05-10 09:00:00", "Mobile App", "View Balance", 200, 4, 1),
            session("G6", "C3", "2024-05-03 15:00:00", "Tablet", "Pay Bill", 500, 10, 3),
            session("G4", "C2", "2024-05-03 12:00:00", "Desktop", "View Balance", 60),
            session("G5", "C2", "2024-06-01 12:00:00", "Mobile App", "View Balance", 40),
            session("G9", "C5", "2024-06-15 10:00:00", "Voice Assistant", "Check Rates", 30, 0),
        ],
        "enrollments": [
            row("enrollments", account_id="A1", customer_id="C1"),
            row("enrollments", account_id="A2", customer_id="C1"),
            row("enrollments", account_id="A3", customer_id="C2"),
            row("enrollments", account_id="A4", customer_id="C4"),
        ],
        "account_balances": [
            row("account_balances", account_id="A1", month_end=date(2023, 6, 30), balance=1000),
            row("account_balances", account_id="A1", month_end=date(2024, 5, 31), balance=1400),
            row("account_balances", account_id="A1", month_end=date(2024, 6, 30), balance=1500),
            row("account_balances", account_id="A2", month_end=date(2024, 6, 30), balance=500),
            row("account_balances", account_id="A3", month_end=date(2023, 6, 30), balance=2000),
            row("account_balances", account_id="A4", month_end=date(2023, 6, 30), balance=800),
            row("account_balances", account_id="A4", month_end=date(2024, 6, 30), balance=800),
        ],
    }, as_of=date(2024, 6, 30))


def test_daily_active_users_count_each_customer_once_per_day(con):
    assert rows(con, "select * from digital_active_users_daily") == [
        (date(2023, 6, 30), *WEST, 1, 1),  # G7
        (date(2023, 7, 1), *WEST, 1, 1),  # G8
        (date(2024, 5, 3), *EAST, 1, 1),  # G4
        (date(2024, 5, 3), *WEST, 2, 3),  # C1 (G1, G2) and C3 (G6)
        (date(2024, 5, 10), *WEST, 1, 1),  # G3
        (date(2024, 6, 1), *EAST, 1, 1),  # G5
        (date(2024, 6, 15), *NORTH, 1, 1),  # G9
    ]


def test_monthly_active_users_are_distinct_over_the_month_not_a_sum_of_days(con):
    assert rows(con, "select * from digital_active_users_monthly") == [
        (JUNE_23, *WEST, 1, 1),
        (JULY_23, *WEST, 1, 1),
        (MAY, *EAST, 1, 1),
        (MAY, *WEST, 2, 4),  # C1 and C3; G1, G2, G3, G6
        (JUNE, *EAST, 1, 1),
        (JUNE, *NORTH, 1, 1),
    ]
    # West in May: 2 + 1 daily users on 3 and 10 May, but C1 was active on both days: 2 monthly users
    assert con.sql("select sum(active_users) from digital_active_users_daily "
                   "where region = 'West' and activity_date between '2024-05-01' and '2024-05-31'"
                   ).fetchall() == [(3,)]


def test_users_by_device_count_a_customer_once_per_device(con):
    assert rows(con, "select * from digital_active_users_by_device_monthly") == [
        (JUNE_23, "Desktop", *WEST, 1, 1),
        (JULY_23, "Desktop", *WEST, 1, 1),
        (MAY, "Desktop", *EAST, 1, 1),  # C2
        (MAY, "Desktop", *WEST, 1, 1),  # C1 G2
        (MAY, "Mobile App", *WEST, 1, 2),  # C1 G1, G3
        (MAY, "Tablet", *WEST, 1, 1),  # C3
        (JUNE, "Mobile App", *EAST, 1, 1),
        (JUNE, "Voice Assistant", *NORTH, 1, 1),
    ]
    # sessions add up across devices (4 = 4 in West in May), users do not (3 device users > 2 monthly users)
    by_device = con.sql("select sum(active_users), sum(sessions) from digital_active_users_by_device_monthly "
                        "where month = '2024-05-01' and region = 'West'").fetchall()
    monthly = con.sql("select active_users, sessions from digital_active_users_monthly "
                      "where month = '2024-05-01' and region = 'West'").fetchall()
    assert by_device == [(3, 4)] and monthly == [(2, 4)]


def test_sessions_add_up_by_device_and_action(con):
    assert rows(con, "select * from digital_sessions_monthly") == [
        (JUNE_23, "Desktop", "View Balance", *WEST, 1, 10, 1, 0),
        (JULY_23, "Desktop", "View Balance", *WEST, 1, 20, 1, 0),
        (MAY, "Desktop", "Transfer", *WEST, 1, 300, 5, 2),  # G2
        (MAY, "Desktop", "View Balance", *EAST, 1, 60, 1, 0),  # G4
        (MAY, "Mobile App", "View Balance", *WEST, 2, 100 + 200, 2 + 4, 1 + 1),  # G1, G3
        (MAY, "Tablet", "Pay Bill", *WEST, 1, 500, 10, 3),  # G6
        (JUNE, "Mobile App", "View Balance", *EAST, 1, 40, 1, 0),
        (JUNE, "Voice Assistant", "Check Rates", *NORTH, 1, 30, 0, 0),
    ]
    top_actions = con.sql("select action_type, sum(sessions) as n from digital_sessions_monthly "
                          "group by action_type order by n desc, action_type").fetchall()
    assert top_actions == [("View Balance", 6), ("Check Rates", 1), ("Pay Bill", 1), ("Transfer", 1)]
    # May's average session: (300 + 60 + 300 + 500) s / 5 sessions
    assert con.sql("select sum(session_seconds_sum) / sum(sessions) from digital_sessions_monthly "
                   "where month = '2024-05-01'").fetchall() == [(1160 / 5,)]


def test_mobile_adoption_is_mobile_app_users_over_active_users(con):
    assert rows(con, "select * from mobile_adoption_monthly") == [
        (JUNE_23, *WEST, 1, 0, 0.0),
        (JULY_23, *WEST, 1, 0, 0.0),
        (MAY, *EAST, 1, 0, 0.0),  # C2 on Desktop only
        (MAY, *WEST, 2, 1, 0.5),  # C1 used the app, C3 did not
        (JUNE, *EAST, 1, 1, 1.0),
        (JUNE, *NORTH, 1, 0, 0.0),
    ]
    # May across regions, from the parts: 1 app user / 3 active users (averaging rows would give 0.25)
    assert con.sql("select sum(mobile_app_users) / sum(active_users) from mobile_adoption_monthly "
                   "where month = '2024-05-01'").fetchall() == [(1 / 3,)]


def test_usage_by_age_band_uses_age_at_the_as_of_date(con):
    assert rows(con, "select * from digital_usage_by_age_band_monthly") == [
        (JUNE_23, "18-24", "Desktop", *WEST, 1, 1, 10),
        (JULY_23, "18-24", "Desktop", *WEST, 1, 1, 20),
        (MAY, "18-24", "Desktop", *WEST, 1, 1, 300),  # C1 turns 25 the day after the as-of date
        (MAY, "18-24", "Mobile App", *WEST, 1, 2, 300),
        (MAY, "25-34", "Desktop", *EAST, 1, 1, 60),  # C2 turns 25 on the as-of date
        (MAY, "Unknown", "Tablet", *WEST, 1, 1, 500),  # C3 has no birth date
        (JUNE, "25-34", "Mobile App", *EAST, 1, 1, 40),
        (JUNE, "65+", "Voice Assistant", *NORTH, 1, 1, 30),  # C5 turns 65 on the as-of date
    ]


def test_engagement_vs_balance_growth_per_customer(con):
    actual = rows(con, "select customer_id, start_month_end, end_month_end, sessions_12m, engagement_band, "
                       "start_balance, end_balance, balance_growth, balance_growth_rate "
                       "from engagement_vs_balance_growth")
    start, end = date(2023, 6, 30), date(2024, 6, 30)
    assert actual == [
        # G8, G1, G2, G3 (G7 is on the start month end itself); A1 1000 -> 1500 plus A2 opened with 500
        ("C1", start, end, 4, "1-11 sessions", Decimal("1000.00"), Decimal("2000.00"), Decimal("1000.00"), 1.0),
        # A3 has no snapshot at the end month end (closed): it counts as 0
        ("C2", start, end, 2, "1-11 sessions", Decimal("2000.00"), Decimal("0.00"), Decimal("-2000.00"), -1.0),
        ("C3", start, end, 1, "1-11 sessions", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None),
        ("C4", start, end, 0, "0 sessions", Decimal("800.00"), Decimal("800.00"), Decimal("0.00"), 0.0),
        ("C5", start, end, 1, "1-11 sessions", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), None),
        # C6 enrolled after the as-of date: not listed
    ]


@pytest.mark.parametrize("as_of, start, end", [
    (date(2024, 7, 15), date(2023, 6, 30), date(2024, 6, 30)),  # mid-month: the previous month end
    (date(2024, 2, 29), date(2023, 2, 28), date(2024, 2, 29)),  # a leap-day month end is its own end
])
def test_engagement_window_ends_at_the_latest_month_end_on_or_before_the_as_of_date(as_of, start, end):
    con = warehouse({"customers": [row("customers")]}, as_of=as_of)
    assert con.sql("select start_month_end, end_month_end from engagement_vs_balance_growth").fetchall() == [
        (start, end)]
