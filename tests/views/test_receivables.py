"""Receivables views: payment allocation, positions at any date, month-end series, default, collections, worklist.

Four hand-made warehouses, each module-scoped:

ALLOCATION, as of 2024-06-30 (C1 West/Retail, billing group G1; C2 East/Corporate, billing group G2):

    bill  customer issued      due         amount  billing group on the bill
    BL1   C1       2024-01-01  2024-01-31  100     G3
    BL2   C1       2024-02-01  2024-02-29  200     -
    BL3   C1       2024-03-01  2024-03-31   50     -
    BL4   C2       2024-01-10  2024-02-10   80     -
    BL5   C2       2024-01-10  2024-02-10   40     -   (same due date as BL4: BL4 comes first by bill id)
    BL6   C2       2024-06-10  2024-07-10   50     -
    BL7   C7       2024-01-05  2024-02-05   70     -   (C7 West, billing group G1)

    payment  customer  date        amount  bill id
    P01      C1        2024-01-20   60     -
    P02      C1        2024-02-10  150     BL2
    P03      C1        2024-02-25  120     -
    P04      C1        2024-03-05  100     BL3   (50 more than BL3: the rest goes oldest bill first)
    P05      C1        2024-04-10   30     -
    P06      C2        2024-02-05   50     -
    P07      C2        2024-02-05   50     -     (same date as P06: P06 comes first by payment id)
    P08      C2        2024-05-20   10     BL5
    P09      C2        2024-06-01    5     NOPE  (no such bill: treated as unassigned)
    P10      C2        2024-04-01   40     -     (before BL6 is issued)
    P11      C7        2024-01-31   70     BL7   (settles BL7 on a month end)

  Step 1 (bill id): P02 -> BL2 150; P04 -> BL3 50, 50 left over; P08 -> BL5 10.
  Step 2, C1: bills still open BL1 100, BL2 50 -> ranges [0,100) [100,150); payments P01 60, P03 120, P04's 50,
    P05 30 -> ranges [0,60) [60,180) [180,230) [230,260). P01 -> BL1 60; P03 -> BL1 40, BL2 50, credit 30;
    P04 -> credit 50; P05 -> credit 30.
  Step 2, C2: bills BL4 80, BL5 30, BL6 50 -> [0,80) [80,110) [110,160); payments P06 50, P07 50, P10 40, P09 5
    -> [0,50) [50,100) [100,140) [140,145). P06 -> BL4 50; P07 -> BL4 30, BL5 20; P10 -> BL5 10, BL6 30;
    P09 -> BL6 5.

AGING, as of 2024-12-31: C3 has one unpaid bill of 100 due `d` days before the as-of date for each d at a bucket
boundary; see AGING_DAYS.

DEFAULT, as of 2024-06-30: bills, payments and collection actions in the docstring of the `default` fixture.

REFERENCE: random bills and payments of four customers, allocated by a plain Python loop for comparison.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pytest

from tests.factories import differing_rows, row, rows, warehouse
from warehouse import build

D = Decimal
WEST = ("West", "Retail", "Mass Market", "50K-100K")
EAST = ("East", "Corporate", "Affluent", "100K-250K")


def customer(customer_id, dims, billing_group_id=None, **extra):
    region, segment, wealth_tier, income_band = dims
    return row("customers", customer_id=customer_id, region=region, segment=segment, wealth_tier=wealth_tier,
               income_band=income_band, billing_group_id=billing_group_id, **extra)


def bill(bill_id, customer_id, issue_date, due_date, amount, **extra):
    return row("bills", bill_id=bill_id, customer_id=customer_id, issue_date=issue_date, due_date=due_date,
               amount=amount, **extra)


def payment(payment_id, customer_id, payment_date, amount, bill_id=None):
    return row("payments", payment_id=payment_id, customer_id=customer_id, payment_date=payment_date,
               amount=amount, bill_id=bill_id)


def action(action_id, customer_id, action_at, action_type, performed_by, bill_id=None):
    return row("collection_actions", action_id=action_id, customer_id=customer_id, action_at=action_at,
               action_type=action_type, performed_by=performed_by, bill_id=bill_id)


# ---------------------------------------------------------------- allocation, position, month-end series

@pytest.fixture(scope="module")
def allocation():
    return warehouse({
        "customers": [customer("C1", WEST, "G1"), customer("C2", EAST, "G2"), customer("C7", WEST, "G1")],
        "bills": [
            bill("BL1", "C1", date(2024, 1, 1), date(2024, 1, 31), 100, billing_group_id="G3"),
            bill("BL2", "C1", date(2024, 2, 1), date(2024, 2, 29), 200),
            bill("BL3", "C1", date(2024, 3, 1), date(2024, 3, 31), 50),
            bill("BL4", "C2", date(2024, 1, 10), date(2024, 2, 10), 80),
            bill("BL5", "C2", date(2024, 1, 10), date(2024, 2, 10), 40),
            bill("BL6", "C2", date(2024, 6, 10), date(2024, 7, 10), 50),
            bill("BL7", "C7", date(2024, 1, 5), date(2024, 2, 5), 70),
        ],
        "payments": [
            payment("P01", "C1", date(2024, 1, 20), 60),
            payment("P02", "C1", date(2024, 2, 10), 150, "BL2"),
            payment("P03", "C1", date(2024, 2, 25), 120),
            payment("P04", "C1", date(2024, 3, 5), 100, "BL3"),
            payment("P05", "C1", date(2024, 4, 10), 30),
            payment("P06", "C2", date(2024, 2, 5), 50),
            payment("P07", "C2", date(2024, 2, 5), 50),
            payment("P08", "C2", date(2024, 5, 20), 10, "BL5"),
            payment("P09", "C2", date(2024, 6, 1), 5, "NOPE"),
            payment("P10", "C2", date(2024, 4, 1), 40),
            payment("P11", "C7", date(2024, 1, 31), 70, "BL7"),
        ],
    }, as_of=date(2024, 6, 30))


def test_payments_go_to_their_bill_then_oldest_bill_first_and_the_rest_is_credit(allocation):
    fifo, by_id, credit = "Oldest bill first", "Bill id", "Unallocated credit"
    assert rows(allocation, "select payment_id, bill_id, payment_date, allocated_amount, allocation_method "
                            "from payment_allocations") == sorted([
        ("P01", "BL1", date(2024, 1, 20), D("60.00"), fifo),
        ("P02", "BL2", date(2024, 2, 10), D("150.00"), by_id),
        ("P03", "BL1", date(2024, 2, 25), D("40.00"), fifo),   # 100 - 60
        ("P03", "BL2", date(2024, 2, 25), D("50.00"), fifo),   # 200 - 150 left by P02
        ("P03", None, date(2024, 2, 25), D("30.00"), credit),  # 120 - 40 - 50
        ("P04", "BL3", date(2024, 3, 5), D("50.00"), by_id),
        ("P04", None, date(2024, 3, 5), D("50.00"), credit),   # 100 - 50, nothing left to pay
        ("P05", None, date(2024, 4, 10), D("30.00"), credit),
        ("P06", "BL4", date(2024, 2, 5), D("50.00"), fifo),
        ("P07", "BL4", date(2024, 2, 5), D("30.00"), fifo),    # 80 - 50
        ("P07", "BL5", date(2024, 2, 5), D("20.00"), fifo),    # 50 - 30
        ("P08", "BL5", date(2024, 5, 20), D("10.00"), by_id),
        ("P09", "BL6", date(2024, 6, 1), D("5.00"), fifo),     # 140 + 5 lies in BL6's [110, 160)
        ("P10", "BL5", date(2024, 4, 1), D("10.00"), fifo),    # 40 - 10 (P08) - 20 (P07)
        ("P10", "BL6", date(2024, 4, 1), D("30.00"), fifo),    # paid before BL6 was issued
        ("P11", "BL7", date(2024, 1, 31), D("70.00"), by_id),
    ], key=lambda r: tuple(str(v) for v in r))


def test_allocations_add_up_to_each_payment_and_never_exceed_a_bill(allocation):
    assert allocation.sql("""
        select count(*) from stg_payments p
        left join (select payment_id, sum(allocated_amount) as allocated from payment_allocations group by all) a
            using (payment_id)
        where a.allocated is distinct from p.amount
    """).fetchall() == [(0,)]
    assert allocation.sql("""
        select count(*) from stg_bills b
        join (select bill_id, sum(allocated_amount) as allocated from payment_allocations group by all) a
            using (bill_id)
        where a.allocated > b.amount
    """).fetchall() == [(0,)]


def test_bill_settlements(allocation):
    assert rows(allocation, "select bill_id, paid_amount, settled_date from bill_settlements") == [
        ("BL1", D("100.00"), date(2024, 2, 25)),  # 60 (P01) + 40 (P03)
        ("BL2", D("200.00"), date(2024, 2, 25)),  # 150 (P02) + 50 (P03)
        ("BL3", D("50.00"), date(2024, 3, 5)),
        ("BL4", D("80.00"), date(2024, 2, 5)),
        ("BL5", D("40.00"), date(2024, 5, 20)),   # 20 (P07, 02-05) + 10 (P10, 04-01) + 10 (P08, 05-20)
        ("BL6", D("35.00"), None),                # 30 (P10) + 5 (P09) of 50
        ("BL7", D("70.00"), date(2024, 1, 31)),
    ]


def test_receivables_as_of_any_date(allocation):
    # 2024-02-10: P02 received that day counts (BL2 200 - 150); BL5 is due that day, so not yet overdue.
    assert rows(allocation, "select bill_id, open_amount, days_past_due, aging_bucket "
                            "from receivables_as_of(date '2024-02-10')") == [
        ("BL1", D("40.00"), 10, "1-30"),
        ("BL2", D("50.00"), -19, "Not yet due"),
        ("BL5", D("20.00"), 0, "Not yet due"),
    ]
    # 2024-02-15: BL1 100 - 60 (P01) = 40, 15 days after 2024-01-31; BL2 200 - 150 (P02) = 50, due in 14 days;
    # BL4 80 - 50 - 30 = 0 is closed; BL5 40 - 20 (P07) = 20, 5 days after 2024-02-10; BL3 and BL6 not issued.
    assert rows(allocation, """
        select bill_id, billing_group_id, region, income_band, paid_amount, open_amount, days_past_due,
            aging_bucket, aging_bucket_rank, as_of_date
        from receivables_as_of(date '2024-02-15')
    """) == [
        ("BL1", "G3", "West", "50K-100K", D("60.00"), D("40.00"), 15, "1-30", 2, date(2024, 2, 15)),
        ("BL2", "G1", "West", "50K-100K", D("150.00"), D("50.00"), -14, "Not yet due", 1, date(2024, 2, 15)),
        ("BL5", "G2", "East", "100K-250K", D("20.00"), D("20.00"), 5, "1-30", 2, date(2024, 2, 15)),
    ]
    # 2024-03-31: C1 is paid up (BL3 by P04 on 03-05); BL5 still 20 open, 50 days after 2024-02-10.
    assert rows(allocation, "select bill_id, open_amount, days_past_due, aging_bucket "
                            "from receivables_as_of(date '2024-03-31')") == [("BL5", D("20.00"), 50, "31-60")]


def test_receivables_position_is_the_position_at_the_data_as_of_date(allocation):
    # BL6: 50 - 30 (P10) - 5 (P09) = 15, due 2024-07-10, 10 days after 2024-06-30.
    assert rows(allocation, "select bill_id, as_of_date, open_amount, days_past_due, aging_bucket "
                            "from receivables_position") == [
        ("BL6", date(2024, 6, 30), D("15.00"), -10, "Not yet due")]


def test_month_end_series(allocation):
    # BL7 is settled on 2024-01-31 itself, so it is not open at that month end
    assert rows(allocation, """
        select month_end, aging_bucket, billing_group_id, region, sales_channel, open_amount, open_bills
        from receivables_month_end
    """) == [
        (date(2024, 1, 31), "Not yet due", "G2", "East", "Direct", D("120.00"), 2),  # BL4 80 + BL5 40
        (date(2024, 1, 31), "Not yet due", "G3", "West", "Direct", D("40.00"), 1),   # BL1 100 - 60
        (date(2024, 2, 29), "1-30", "G2", "East", "Direct", D("20.00"), 1),          # BL5, 19 days late
        (date(2024, 3, 31), "31-60", "G2", "East", "Direct", D("20.00"), 1),         # BL5, 50 days late
        (date(2024, 4, 30), "61-90", "G2", "East", "Direct", D("10.00"), 1),         # BL5 - 10 (P10), 80 days
        (date(2024, 6, 30), "Not yet due", "G2", "East", "Direct", D("15.00"), 1),   # BL6 50 - 30 - 5
    ]


# Every month end from the first month of the fixtures up to the data's as-of date.
MONTH_ENDS = """
    select last_day(cast(month_start as date)) as month_end
    from (select unnest(generate_series(date '2020-01-01', date '2026-12-01', interval 1 month)) as month_start)
    where last_day(cast(month_start as date)) <= (select as_of_date from stg_data_as_of)
"""


def month_end_matches_as_of_macro(con):
    """Every month end of the series equals receivables_as_of at that date, summed to the series' grain."""
    series = """
        select month_end, aging_bucket, sales_channel, sales_subchannel, location, billing_group_id, region,
            segment, wealth_tier, income_band, open_amount, open_bills
        from receivables_month_end
    """
    rebuilt = f"""
        select m.month_end, r.aging_bucket, r.sales_channel, r.sales_subchannel, r.location, r.billing_group_id,
            r.region, r.segment, r.wealth_tier, r.income_band, sum(r.open_amount) as open_amount,
            count(*) as open_bills
        from ({MONTH_ENDS}) m, lateral (select * from receivables_as_of(m.month_end)) r
        group by all
    """
    return differing_rows(con, series, rebuilt) == 0


def test_month_end_series_equals_the_as_of_position_at_every_month_end(allocation):
    assert month_end_matches_as_of_macro(allocation)


def test_month_end_position_per_bill(allocation):
    assert rows(allocation, """
        select as_of_date, bill_id, paid_amount, open_amount, days_past_due, aging_bucket
        from receivables_month_end_position
    """) == [
        (date(2024, 1, 31), "BL1", D("60.00"), D("40.00"), 0, "Not yet due"),   # due that day
        (date(2024, 1, 31), "BL4", D("0.00"), D("80.00"), -10, "Not yet due"),
        (date(2024, 1, 31), "BL5", D("0.00"), D("40.00"), -10, "Not yet due"),
        (date(2024, 2, 29), "BL5", D("20.00"), D("20.00"), 19, "1-30"),        # P07
        (date(2024, 3, 31), "BL5", D("20.00"), D("20.00"), 50, "31-60"),
        (date(2024, 4, 30), "BL5", D("30.00"), D("10.00"), 80, "61-90"),  # P10
        (date(2024, 6, 30), "BL6", D("35.00"), D("15.00"), -10, "Not yet due"),  # P10 paid before the issue
    ]  # BL7 is settled on 2024-01-31 itself; BL5 on 2024-05-20, so nothing is open on 2024-05-31


def month_end_position_matches_as_of_macro(con):
    """At every month end up to the as-of date, the stored month-end position holds exactly the rows of
    receivables_as_of on that date, every column alike; returns how many rows it holds."""
    rebuilt = f"select r.* from ({MONTH_ENDS}) m, lateral (select * from receivables_as_of(m.month_end)) r"
    assert differing_rows(con, "select * from receivables_month_end_position", rebuilt) == 0
    return con.sql("select count(*) from receivables_month_end_position").fetchall()[0][0]


def test_month_end_position_equals_the_as_of_position_at_every_month_end(allocation):
    assert month_end_position_matches_as_of_macro(allocation) == 7


@pytest.fixture(scope="module")
def steps():
    """Payment steps, as of 2024-06-30 (all payments by bill id, customer C1):

        bill  issued      due         amount  payments
        M1    2024-01-10  2024-02-10  100     20 on 02-03 and 30 on 02-20 (two in one month), 50 on 04-05
        E1    2024-03-20  2024-04-20   60     10 on 03-05 (before the issue, in the same month)
        Z1    2024-01-15  2024-02-15    0     -  (nothing is ever owed on it)
    """
    return warehouse({
        "customers": [customer("C1", WEST, "G1")],
        "bills": [
            bill("M1", "C1", date(2024, 1, 10), date(2024, 2, 10), 100),
            bill("E1", "C1", date(2024, 3, 20), date(2024, 4, 20), 60),
            bill("Z1", "C1", date(2024, 1, 15), date(2024, 2, 15), 0),
        ],
        "payments": [
            payment("S1", "C1", date(2024, 2, 20), 30, "M1"),
            payment("S2", "C1", date(2024, 2, 3), 20, "M1"),
            payment("S3", "C1", date(2024, 4, 5), 50, "M1"),
            payment("S4", "C1", date(2024, 3, 5), 10, "E1"),
        ],
    }, as_of=date(2024, 6, 30))


def test_month_end_position_sums_the_payments_of_a_month_and_never_holds_a_bill_of_zero(steps):
    assert rows(steps, "select as_of_date, bill_id, paid_amount, open_amount, days_past_due "
                       "from receivables_month_end_position") == [
        (date(2024, 1, 31), "M1", D("0.00"), D("100.00"), -10),
        (date(2024, 2, 29), "M1", D("50.00"), D("50.00"), 19),   # S2 + S1
        (date(2024, 3, 31), "E1", D("10.00"), D("50.00"), -20),  # S4, paid before the issue
        (date(2024, 3, 31), "M1", D("50.00"), D("50.00"), 50),   # settled by S3 on 2024-04-05
        (date(2024, 4, 30), "E1", D("10.00"), D("50.00"), 10),
        (date(2024, 5, 31), "E1", D("10.00"), D("50.00"), 41),
        (date(2024, 6, 30), "E1", D("10.00"), D("50.00"), 71),
    ]
    assert steps.sql("select count(*) from receivables_as_of(date '2024-03-01') where bill_id = 'Z1'").fetchall() \
        == [(0,)]
    assert month_end_position_matches_as_of_macro(steps) == 7
    assert month_end_matches_as_of_macro(steps)


# ---------------------------------------------------------------- aging buckets and the billing worklist

AS_OF_AGING = date(2024, 12, 31)
# days past due -> expected bucket; a bill of 100 is due `days` before the as-of date
AGING_DAYS = {-5: "Not yet due", 0: "Not yet due", 1: "1-30", 30: "1-30", 31: "31-60", 60: "31-60",
              61: "61-90", 90: "61-90", 91: "91-180", 180: "91-180", 181: "180+"}


def aging_bill_id(days):
    return f"A{days + 100:03d}"


@pytest.fixture(scope="module")
def aging():
    bills = [bill(aging_bill_id(days), "C3", AS_OF_AGING - timedelta(days=days + 30),
                  AS_OF_AGING - timedelta(days=days), 100, billing_group_id="G1")
             for days in AGING_DAYS]
    return warehouse({
        "customers": [
            customer("C3", ("North", "Small Business", "High Net Worth", "250K+"), "G1", first_name="Cy",
                     last_name="Reed"),
            customer("C4", EAST),
        ],
        "employees": [row("employees", employee_id="E2", full_name="Carl Collector", role="Collector")],
        "billing_groups": [row("billing_groups", billing_group_id="G1", group_name="North group",
                               billing_email="north@example.com", collector_id="E2")],
        "bills": bills + [
            bill("FUTURE", "C3", date(2025, 1, 2), date(2025, 2, 1), 100),        # issued after the as-of date
            bill("PAID", "C3", date(2024, 10, 1), date(2024, 11, 1), 70),         # paid by its own payment
            bill("HALF", "C4", date(2024, 9, 1), date(2024, 10, 1), 300),         # 91 days late, 120 paid
        ],
        "payments": [payment("PY1", "C3", date(2024, 11, 2), 70, "PAID"),
                     payment("PY2", "C4", date(2024, 12, 1), 120)],
        "collection_actions": [
            action("CA0", "C3", "2024-12-01 09:00:00", "Letter", "Eve Stone"),
            action("CA1", "C3", "2024-12-20 10:00:00", "Call", "Eve Stone", "A101"),
            action("CA2", "C3", "2024-12-20 10:00:00", "SMS", "Ann Lee"),  # same moment: the higher id is last
        ],
    }, as_of=AS_OF_AGING)


def test_aging_buckets_at_each_boundary(aging):
    expected = [(aging_bill_id(days), days, bucket) for days, bucket in AGING_DAYS.items()]
    expected.append(("HALF", 91, "91-180"))  # 2024-10-01 to 2024-12-31
    assert rows(aging, "select bill_id, days_past_due, aging_bucket from receivables_position") == sorted(expected)


def test_aging_buckets_add_up_to_the_open_balance(aging):
    by_bucket = dict(aging.sql("select aging_bucket, sum(open_amount) from receivables_position group by all")
                     .fetchall())
    # 11 unpaid bills of 100, HALF 300 - 120; PAID and FUTURE are not in the position
    open_balance = 11 * D(100) + (D(300) - D(120))
    assert sum(by_bucket.values()) == open_balance == D("1280.00")
    assert by_bucket == {"Not yet due": D(200), "1-30": D(200), "31-60": D(200), "61-90": D(200),
                         "91-180": D(200) + D(180), "180+": D(100)}


def test_billing_worklist_lists_open_overdue_bills_with_contact_and_last_action(aging):
    worklist = rows(aging, """
        select bill_id, customer_name, billing_group_name, billing_email, collector_name, open_amount,
            days_past_due, cast(last_action_at as varchar), last_action_type, last_action_by
        from billing_worklist
    """)
    c3_contact = ("Cy Reed", "North group", "north@example.com", "Carl Collector")
    c3_last_action = ("2024-12-20 10:00:00", "SMS", "Ann Lee")  # CA2 beats CA1 at the same moment by action id
    overdue_c3 = [(aging_bill_id(days), *c3_contact, D("100.00"), days, *c3_last_action)
                  for days in AGING_DAYS if days > 0]
    half = ("HALF", "Ada Moss", None, None, None, D("180.00"), 91, None, None, None)  # C4: no group, no action
    assert worklist == sorted([*overdue_c3, half], key=lambda r: tuple(str(v) for v in r))


def test_last_collection_action_per_customer(aging):
    assert rows(aging, "select customer_id, last_action_id, last_action_date, last_action_type, last_action_by, "
                       "last_action_bill_id, collection_actions from customer_last_collection_action") == [
        ("C3", "CA2", date(2024, 12, 20), "SMS", "Ann Lee", None, 3)]


# ---------------------------------------------------------------- default rate and collection actions

AS_OF_DEFAULT = date(2024, 6, 30)


@pytest.fixture(scope="module")
def default():
    return warehouse(default_rows(), as_of=AS_OF_DEFAULT)


def default_rows(extra_actions=(), extra_customers=()):
    """Bills and their payments (all by bill id), as of 2024-06-30; C5 West, C6 East.

        bill customer due         amount  payments                                           D+60
        D1   C5       2024-03-01  100     30 on 02-20, 20 on 03-01, 25 on 03-08, 24.50 on 04-15  04-30: 0.50 left, paid
        D2   C5       2024-03-15  200     50 on 05-13 (D+59), 100 on 05-15 (D+61)            05-14: 150 left, default
        D3   C6       2024-03-20   50     50 on 03-17 (D-3)                                  05-19: paid
        D4   C6       2024-05-10   80     10 on 05-01                                        07-09: pending
        D5   C5       2024-05-01   60     -                                                  06-30: observed, default
        D6   C5       2024-07-15   40     -  (issued 2024-06-15)                             pending
    """
    return {
        "customers": [customer("C5", WEST), customer("C6", EAST), *extra_customers],
        "bills": [
            bill("D1", "C5", date(2024, 2, 1), date(2024, 3, 1), 100),
            bill("D2", "C5", date(2024, 2, 15), date(2024, 3, 15), 200),
            bill("D3", "C6", date(2024, 2, 20), date(2024, 3, 20), 50),
            bill("D4", "C6", date(2024, 4, 10), date(2024, 5, 10), 80),
            bill("D5", "C5", date(2024, 4, 1), date(2024, 5, 1), 60),
            bill("D6", "C5", date(2024, 6, 15), date(2024, 7, 15), 40),
        ],
        "payments": [
            payment("Q1", "C5", date(2024, 2, 20), 30, "D1"),
            payment("Q2", "C5", date(2024, 3, 1), 20, "D1"),
            payment("Q3", "C5", date(2024, 3, 8), 25, "D1"),
            payment("Q4", "C5", date(2024, 4, 15), D("24.50"), "D1"),
            payment("Q5", "C5", date(2024, 5, 13), 50, "D2"),
            payment("Q6", "C5", date(2024, 5, 15), 100, "D2"),
            payment("Q7", "C6", date(2024, 3, 17), 50, "D3"),
            payment("Q8", "C6", date(2024, 5, 1), 10, "D4"),
        ],
        "collection_actions": [
            action("K1", "C5", "2024-04-01 10:00:00", "Call", "Eve Stone", "D2"),
            action("K2", "C5", "2024-05-10 09:00:00", "Letter", "Ann Lee", "D2"),
            action("K3", "C5", "2024-04-01 11:00:00", "SMS", "Eve Stone", "D1"),
            action("K4", "C6", "2024-03-25 08:00:00", "Reminder e-mail", "Ann Lee", "D3"),  # D3 already paid
            action("K5", "C6", "2024-04-02 15:00:00", "Call", "Eve Stone"),                # no bill
            action("K6", "C6", "2024-06-20 10:00:00", "Call", "Eve Stone", "D4"),
            action("K7", "C5", "2024-07-02 10:00:00", "SMS", "Ann Lee", "D5"),              # recorded live
            action("K8", "C6", "2024-03-17 07:00:00", "SMS", "Ann Lee", "D3"),              # D3 paid that day
            *extra_actions,
        ],
    }


def test_default_checkpoints_per_bill(default):
    result = rows(default, """
        select bill_id, outstanding_d_minus_3, outstanding_d0, outstanding_d7, outstanding_d15, outstanding_d30,
            outstanding_d60, round(outstanding_share_d7, 4), is_pending, is_defaulted
        from bill_default_checkpoints
    """)
    assert result == [
        # D-3 = 02-27: 100 - 30; D0: - 20; D+7 = 03-08: - 25; D+60 = 04-30: - 24.50, within the 1.00 tolerance
        ("D1", D(70), D(50), D(25), D(25), D(25), D("0.50"), 0.25, False, False),
        # D+60 = 05-14: only the 50 of 05-13 is in, 150 left
        ("D2", D(200), D(200), D(200), D(200), D(200), D(150), 1.0, False, True),
        ("D3", D(0), D(0), D(0), D(0), D(0), D(0), 0.0, False, False),
        # D+30 = 06-09 is observed, D+60 = 07-09 is not: pending, default unknown
        ("D4", D(70), D(70), D(70), D(70), D(70), None, 0.875, True, None),
        # D+60 = 06-30 is the as-of date itself: observed
        ("D5", D(60), D(60), D(60), D(60), D(60), D(60), 1.0, False, True),
        # due 07-15: even D-3 = 07-12 is after the as-of date
        ("D6", None, None, None, None, None, None, None, True, None),
    ]


def test_default_rate_monthly_excludes_pending_bills(default):
    march, may, july = date(2024, 3, 1), date(2024, 5, 1), date(2024, 7, 1)
    zero = D("0.00")
    assert rows(default, """
        select month, region, bills, defaulted_bills, billed_amount, defaulted_outstanding_amount,
            outstanding_d_minus_3, outstanding_d0, outstanding_d7, outstanding_d15, outstanding_d30, outstanding_d60,
            pending_bills, pending_amount
        from default_rate_monthly
    """) == [
        # D3 paid before due
        (march, "East", 1, 0, D(50), zero, zero, zero, zero, zero, zero, zero, 0, zero),
        # D1 + D2: 70 + 200, 50 + 200, 25 + 200 (x3), 0.50 + 150
        (march, "West", 2, 1, D(300), D(150), D(270), D(250), D(225), D(225), D(225), D("150.50"), 0, zero),
        (may, "East", 0, 0, zero, zero, zero, zero, zero, zero, zero, zero, 1, D(80)),  # D4 pending
        (may, "West", 1, 1, D(60), D(60), D(60), D(60), D(60), D(60), D(60), D(60), 0, zero),  # D5
        (july, "West", 0, 0, zero, zero, zero, zero, zero, zero, zero, zero, 1, D(40)),  # D6 pending
    ]
    # count-weighted 2 of 4 observed bills, amount-weighted (150 + 60) / (50 + 300 + 60)
    rates = default.sql("select sum(defaulted_bills) / sum(bills), "
                        "round(sum(defaulted_outstanding_amount) / sum(billed_amount), 6) "
                        "from default_rate_monthly").fetchall()
    assert rates == [(0.5, round(210 / 410, 6))]


def test_default_tolerance_is_declared_once(default):
    assert default.sql("select default_tolerance, cure_window_days from receivables_settings").fetchall() == [
        (D("1.00"), 14)]


def test_collection_actions_monthly(default):
    assert rows(default, "select month, action_type, region, actions, actions_on_bills "
                         "from collection_actions_monthly") == [
        (date(2024, 3, 1), "Reminder e-mail", "East", 1, 1),
        (date(2024, 3, 1), "SMS", "East", 1, 1),
        (date(2024, 4, 1), "Call", "East", 1, 0),
        (date(2024, 4, 1), "Call", "West", 1, 1),
        (date(2024, 4, 1), "SMS", "West", 1, 1),
        (date(2024, 5, 1), "Letter", "West", 1, 1),
        (date(2024, 6, 1), "Call", "East", 1, 1),
        (date(2024, 7, 1), "SMS", "West", 1, 1),
    ]


def test_actions_per_defaulted_bill(default):
    # D2 (due March) had K1 and K2; D5 (due May) had K7
    assert rows(default, "select month, region, defaulted_bills, actioned_defaulted_bills, "
                         "actions_on_defaulted_bills from defaulted_bill_actions_monthly") == [
        (date(2024, 3, 1), "West", 1, 1, 2),
        (date(2024, 5, 1), "West", 1, 1, 1),
    ]


def test_cure_rate_after_an_action(default):
    assert rows(default, "select month, action_type, region, actions_on_open_bills, cured_actions, pending_actions "
                         "from collection_cure_monthly") == [
        # K8 on 03-17: D3 was open at the start of that day and paid the same day: cured
        (date(2024, 3, 1), "SMS", "East", 1, 1, 0),
        # K3 on 04-01: D1 had 25 open; the 24.50 of 04-15, the 14th day, leaves 0.50: cured
        (date(2024, 4, 1), "Call", "West", 1, 0, 0),   # K1 on 04-01: nothing paid on D2 by 04-15
        (date(2024, 4, 1), "SMS", "West", 1, 1, 0),
        (date(2024, 5, 1), "Letter", "West", 1, 0, 0),  # K2 on 05-10: 50 of 200 still open on 05-24
        (date(2024, 6, 1), "Call", "East", 0, 0, 1),   # K6 on 06-20: window ends 07-04, after the as-of date
        (date(2024, 7, 1), "SMS", "West", 0, 0, 1),    # K7 recorded after the as-of date
    ]  # K4 (bill already paid) and K5 (no bill) are not counted


def test_last_action_per_customer_includes_live_actions(default):
    assert rows(default, "select customer_id, last_action_id, last_action_type, last_action_by, last_action_bill_id,"
                         " collection_actions from customer_last_collection_action") == [
        ("C5", "K7", "SMS", "Ann Lee", "D5", 4),
        ("C6", "K6", "Call", "Eve Stone", "D4", 4),
    ]


def test_default_checkpoints_monthly_sums_every_bill_and_counts_those_that_reached_each_checkpoint(default):
    march, may, july = date(2024, 3, 1), date(2024, 5, 1), date(2024, 7, 1)
    assert rows(default, """
        select month, region, bills_due, amount_due, observed_bills_d_minus_3, outstanding_d_minus_3,
            observed_bills_d0, outstanding_d0, observed_bills_d7, outstanding_d7, observed_bills_d15, outstanding_d15,
            observed_bills_d30, outstanding_d30, observed_bills_d60, outstanding_d60
        from default_checkpoints_monthly
    """) == [
        (march, "East", 1, D(50), 1, D(0), 1, D(0), 1, D(0), 1, D(0), 1, D(0), 1, D(0)),  # D3
        # D1 + D2, as in default_rate_monthly: no bill of March is pending
        (march, "West", 2, D(300), 2, D(270), 2, D(250), 2, D(225), 2, D(225), 2, D(225), 2, D("150.50")),
        (may, "East", 1, D(80), 1, D(70), 1, D(70), 1, D(70), 1, D(70), 1, D(70), 0, None),  # D4: D+60 not reached
        (may, "West", 1, D(60), 1, D(60), 1, D(60), 1, D(60), 1, D(60), 1, D(60), 1, D(60)),  # D5
        (july, "West", 1, D(40), 0, None, 0, None, 0, None, 0, None, 0, None, 0, None),  # D6: due after the as-of
    ]


def test_defaulted_bills_with_the_actions_of_the_source_data(default):
    assert rows(default, "select bill_id, due_month, region, source_data_actions "
                         "from defaulted_bill_actions_source_data") == [
        ("D2", date(2024, 3, 1), "West", 2),  # K1 and K2
        ("D5", date(2024, 5, 1), "West", 1),  # K7
    ]


# ---------------------------------------------------------------- actions recorded in the app

# the views the pages read that show collection actions -> their part the build stores from the source data
SPLIT_VIEWS = {
    "collection_actions_monthly": "collection_actions_monthly_source_data",
    "collection_cure_monthly": "collection_cure_monthly_source_data",
    "customer_last_collection_action": "customer_last_collection_action_source_data",
    "billing_worklist": "billing_worklist_source_data",
    "defaulted_bill_actions_monthly": "defaulted_bill_actions_source_data",
}
RECORDED_IN_APP = {"K0", "K2", "K7", "K8", "K12", "K13"}


def record_in_app(con, recorded: list[dict]) -> None:
    """Make `recorded` the action log of an in-memory warehouse (in the log's columns), as the gateway does."""
    con.execute("create table action_log (action_id varchar, customer_id varchar, bill_id varchar, "
                "action_at timestamp, action_type varchar, performed_by varchar, outcome varchar)")
    columns = ("action_id", "customer_id", "bill_id", "action_at", "action_type", "performed_by", "outcome")
    con.executemany("insert into action_log values (?, ?, ?, ?, ?, ?, ?)",
                    [[a.get(c) for c in columns] for a in recorded])
    con.execute("create or replace view recorded_collection_actions as select action_id, action_id as entry_id, "
                "customer_id, bill_id, action_at, action_type, performed_by, outcome, null::varchar as note, "
                "timestamp '2024-07-03 08:00:00' as recorded_at from action_log")


@pytest.fixture(scope="module")
def recorded():
    """The `default` bills with more actions, once all in the source data and once with RECORDED_IN_APP moved to
    the action log. The moved ones make every case of the merge happen: C5's last recorded action (K7) has the
    same moment as its last in the source data (K10) and wins on its action id; C6's (K0) ties with the source
    data's (K9) and loses; C7's recorded action (K12) is later than its source one (K11); C8 has recorded
    actions only. K8 cures a bill, K7 is pending, K2 is a second action on a defaulted bill the source data
    already worked (D2) and K7 the only one on another (D5)."""
    everything = default_rows(extra_actions=[
        action("K10", "C5", "2024-07-02 10:00:00", "Call", "Eve Stone"),
        action("K9", "C6", "2024-06-20 10:00:00", "Field visit", "Bo Lind", "D4"),  # same moment as K6: K9 is last
        action("K0", "C6", "2024-06-20 10:00:00", "Letter", "Tom Kay"),
        action("K11", "C7", "2024-05-01 09:00:00", "Letter", "Eve Stone"),
        action("K12", "C7", "2024-06-01 09:00:00", "Call", "Tom Kay"),
        action("K13", "C8", "2024-06-02 09:00:00", "Call", "Tom Kay"),
    ], extra_customers=[customer("C7", WEST), customer("C8", EAST)])
    source_only = [a for a in everything["collection_actions"] if a["action_id"] not in RECORDED_IN_APP]
    split = warehouse({**everything, "collection_actions": source_only}, as_of=AS_OF_DEFAULT)
    record_in_app(split, [a for a in everything["collection_actions"] if a["action_id"] in RECORDED_IN_APP])
    return warehouse(everything, as_of=AS_OF_DEFAULT), split


@pytest.mark.parametrize("view", SPLIT_VIEWS)
def test_recorded_actions_count_exactly_as_the_same_actions_in_the_source_data(recorded, view):
    in_source_data, split = recorded
    assert rows(split, f"select * from {view}") == rows(in_source_data, f"select * from {view}")


def test_the_last_action_is_the_later_of_the_stored_and_the_recorded_one(recorded):
    _, split = recorded
    last = "select customer_id, last_action_id, last_action_type, collection_actions from {}"
    assert rows(split, last.format("customer_last_collection_action_source_data")) == [
        ("C5", "K10", "Call", 3), ("C6", "K9", "Field visit", 4), ("C7", "K11", "Letter", 1)]
    assert rows(split, last.format("customer_last_collection_action_for_source('recorded in app')")) == [
        ("C5", "K7", "SMS", 2), ("C6", "K0", "Letter", 2), ("C7", "K12", "Call", 1), ("C8", "K13", "Call", 1)]
    assert rows(split, last.format("customer_last_collection_action")) == [
        ("C5", "K7", "SMS", 5), ("C6", "K9", "Field visit", 6), ("C7", "K12", "Call", 2), ("C8", "K13", "Call", 1)]
    # D1 (0.50 still open), D2, D4 and D5 are overdue
    assert rows(split, "select bill_id, last_action_id, last_action_type from billing_worklist_source_data") == [
        ("D1", "K10", "Call"), ("D2", "K10", "Call"), ("D4", "K9", "Field visit"), ("D5", "K10", "Call")]
    assert rows(split, "select bill_id, last_action_type, last_action_by from billing_worklist") == [
        ("D1", "SMS", "Ann Lee"), ("D2", "SMS", "Ann Lee"), ("D4", "Field visit", "Bo Lind"),
        ("D5", "SMS", "Ann Lee")]


def test_the_counts_of_recorded_actions_add_to_the_stored_ones(recorded):
    _, split = recorded
    march, may, june, july = date(2024, 3, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)
    assert rows(split, "select month, action_type, region, actions, actions_on_bills "
                       "from collection_actions_monthly_for_source('recorded in app')") == [
        (march, "SMS", "East", 1, 1),       # K8
        (may, "Letter", "West", 1, 1),      # K2
        (june, "Call", "East", 1, 0),       # K13
        (june, "Call", "West", 1, 0),       # K12
        (june, "Letter", "East", 1, 0),     # K0
        (july, "SMS", "West", 1, 1),        # K7
    ]
    assert rows(split, "select month, action_type, region, actions_on_open_bills, cured_actions, pending_actions "
                       "from collection_cure_monthly_for_source('recorded in app')") == [
        (march, "SMS", "East", 1, 1, 0),    # K8: D3 paid the same day
        (may, "Letter", "West", 1, 0, 0),   # K2: 50 of D2 still open on 05-24
        (july, "SMS", "West", 0, 0, 1),     # K7: window not over
    ]
    # D2 kept K1 in the source data, D5 lost its only one (K7) to the log: still worked, through the log
    assert rows(split, "select bill_id, source_data_actions from defaulted_bill_actions_source_data") == [
        ("D2", 1), ("D5", 0)]
    assert rows(split, "select month, defaulted_bills, actioned_defaulted_bills, actions_on_defaulted_bills "
                       "from defaulted_bill_actions_monthly") == [(march, 1, 1, 2), (may, 1, 1, 1)]


def test_a_stored_part_never_sees_the_action_log(recorded):
    """The build creates the stored parts against an empty log; run again over a log with actions, their queries
    still return what was stored, so they read the source data's actions only."""
    _, split = recorded
    objects = {o.name: o for o in build.load_catalog()}
    for stored in SPLIT_VIEWS.values():
        assert rows(split, objects[stored].query) == rows(split, f"select * from {stored}"), stored


# ---------------------------------------------------------------- allocation against a plain Python reference

def reference_allocation(bills, payments):
    """Bill id first in payment order, then a greedy walk of the customer's payments over bills oldest first."""
    allocated = defaultdict(Decimal)
    remaining = {b["bill_id"]: D(b["amount"]) for b in bills}
    pool = defaultdict(list)
    for p in sorted(payments, key=lambda p: (p["payment_date"], p["payment_id"])):
        left = D(p["amount"])
        if p["bill_id"] in remaining:
            paid = min(left, remaining[p["bill_id"]])
            if paid:
                allocated[(p["payment_id"], p["bill_id"])] += paid
            remaining[p["bill_id"]] -= paid
            left -= paid
        if left:
            pool[p["customer_id"]].append((p["payment_id"], left))
    for customer_id, entries in pool.items():
        queue = [b["bill_id"] for b in sorted(bills, key=lambda b: (b["due_date"], b["bill_id"]))
                 if b["customer_id"] == customer_id and remaining[b["bill_id"]] > 0]
        for payment_id, left in entries:
            while left and queue:
                paid = min(left, remaining[queue[0]])
                allocated[(payment_id, queue[0])] += paid
                remaining[queue[0]] -= paid
                left -= paid
                if not remaining[queue[0]]:
                    queue.pop(0)
            if left:
                allocated[(payment_id, None)] += left
    return allocated


@pytest.fixture(scope="module")
def reference():
    rng = random.Random(20240630)
    customers = [f"R{i}" for i in range(4)]
    bills, payments = [], []
    for c in customers:
        for n in range(8):
            due = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 540))
            bills.append(bill(f"{c}B{n}", c, due - timedelta(days=30), due, D(rng.randrange(1000, 30000)) / 100))
        for n in range(10):
            tagged = rng.random() < 0.4
            payments.append(payment(f"{c}P{n}", c, date(2023, 1, 1) + timedelta(days=rng.randrange(0, 600)),
                                    D(rng.randrange(1000, 30000)) / 100,
                                    f"{c}B{rng.randrange(8)}" if tagged else None))
    con = warehouse({"customers": [customer(c, WEST) for c in customers], "bills": bills, "payments": payments},
                    as_of=date(2024, 9, 30))
    return con, bills, payments


def test_allocation_matches_a_sequential_reference(reference):
    con, bills, payments = reference
    expected = reference_allocation(bills, payments)
    actual = {(p, b): a for p, b, a in con.sql("select payment_id, bill_id, allocated_amount "
                                               "from payment_allocations").fetchall()}
    assert len(actual) > 40 and any(b is None for _, b in actual)
    assert actual == dict(expected)


def test_month_end_series_equals_as_of_position_on_random_data(reference):
    con, _, _ = reference
    assert con.sql("select count(distinct month_end) from receivables_month_end").fetchall()[0][0] > 12
    assert month_end_matches_as_of_macro(con)
    assert month_end_position_matches_as_of_macro(con) > 40


def test_month_end_position_equals_the_as_of_position_on_generated_data(generated_warehouse):
    con = duckdb.connect()
    con.execute("attach ? as generated (read_only)", [str(generated_warehouse)])
    con.execute("use generated")
    try:
        assert month_end_position_matches_as_of_macro(con) > 100_000
    finally:
        con.close()


# ---------------------------------------------------------------- what the build may store

def test_what_reads_collection_actions_stays_a_view_and_only_its_source_data_part_is_stored():
    """Actions are recorded live, so every view showing them stays a view; the build stores only the part of each
    computed from the source data's actions, which recording an action cannot change."""
    objects = {o.name: o for o in build.load_catalog()}

    def reads(name):
        return {name} | set().union(*(reads(d) for d in objects[name].dependencies)) if name in objects else {name}

    receivables = [o for o in objects.values() if o.area == "receivables"]
    stored = {o.name for o in receivables if o.materialized}
    assert stored == {"payment_allocations", "bill_settlements", "bill_default_checkpoints", "receivables_position",
                      "receivables_month_end_position", "default_rate_monthly", "default_checkpoints_monthly",
                      *SPLIT_VIEWS.values()}
    assert {name for name in stored if "stg_collection_actions" in reads(name)} == set(SPLIT_VIEWS.values())
    for view, stored_part in SPLIT_VIEWS.items():
        assert objects[view].kind == "view" and stored_part in objects[view].dependencies
        live_part = set().union(*(reads(d) for d in objects[view].dependencies - {stored_part}))
        assert "stg_collection_actions" in live_part, f"{view} must merge the recorded actions in per request"


def test_receivable_bills_take_the_bills_group_or_else_the_customers():
    con = warehouse({
        "customers": [row("customers", customer_id="C1", region="West", billing_group_id="B1", income_band=None)],
        "billing_groups": [row("billing_groups", billing_group_id="B1"), row("billing_groups", billing_group_id="B2")],
        "bills": [
            row("bills", bill_id="BL1", customer_id="C1", billing_group_id=None),
            row("bills", bill_id="BL2", customer_id="C1", billing_group_id="B2"),
            row("bills", bill_id="BL3", customer_id="C9", billing_group_id=None),  # customer unknown: kept
        ],
    }, as_of=date(2023, 6, 30))
    assert con.sql("select bill_id, billing_group_id, region, income_band, due_month::varchar "
                   "from receivable_bills order by bill_id").fetchall() == [
        ("BL1", "B1", "West", None, "2023-02-01"),
        ("BL2", "B2", "West", None, "2023-02-01"),
        ("BL3", None, None, None, "2023-02-01"),
    ]
