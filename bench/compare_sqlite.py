"""The six measures of bench/compare.py re-implemented in SQLite's SQL (stdlib sqlite3), from the raw Parquet files.

Written from the definitions in the sql/ headers in SQLite's dialect, not translated mechanically. `load` copies
the source columns into an in-memory SQLite database the way one would for SQLite: money as INTEGER cents (exact
sums, like the warehouse's DECIMAL(18,2)), dates as 'YYYY-MM-DD' text and timestamps as 'YYYY-MM-DD
HH:MM:SS.ffffff' text (both compare correctly as text), indexes on the keys the queries join, partition and filter
on, the small rule tables, and a view for the payment allocation two measures share. Loading is timed apart from
the measures.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench.compare_measures import (
    AGING_BUCKETS,
    DEFAULT_AFTER_DAYS,
    DEFAULT_TOLERANCE_CENTS,
    MONEY_COLUMNS,
    REPEAT_WINDOW_DAYS,
    RFM_SCORE_BUCKETS,
    RFM_SEGMENT_RULES,
    RFM_WINDOW_DAYS,
    SOURCE_COLUMNS,
    AnalysisDates,
)

INDEXES = """
create unique index customers_key on customers (customer_id);
create unique index products_key on products (product_id);
create unique index enrollments_key on enrollments (account_id);
create unique index bills_key on bills (bill_id);
create index payments_bill on payments (bill_id);
create index card_transactions_status_time on card_transactions (status, transaction_at);
create index service_interactions_episode on service_interactions (customer_id, reason, opened_at, interaction_id);
"""

# Payments applied to bills (payment_allocations without its unallocated credits, which no measure here reads).
BILL_ALLOCATIONS_VIEW = """
create view bill_allocations as
with received as (
    select payment_id, customer_id, bill_id, payment_date, amount
    from payments
    where amount > 0
),

named as (
    -- payments naming an existing bill fill it in payment order: the running total says how much they cover
    select
        received.payment_id,
        received.customer_id,
        received.payment_date,
        received.amount,
        bills.bill_id,
        bills.amount as bill_amount,
        sum(received.amount) over (
            partition by bills.bill_id order by received.payment_date, received.payment_id rows unbounded preceding
        ) as paid_through
    from received
    join bills on bills.bill_id = received.bill_id
),

direct as (
    select
        payment_id,
        customer_id,
        payment_date,
        amount,
        bill_id,
        max(min(paid_through, bill_amount) - (paid_through - amount), 0) as allocated_amount
    from named
),

fifo_payments as (
    select payment_id, customer_id, payment_date, amount
    from received
    where not exists (select 1 from bills where bills.bill_id = received.bill_id)
    union all
    select payment_id, customer_id, payment_date, amount - allocated_amount
    from direct
    where amount > allocated_amount
),

fifo_bills as (
    select bills.bill_id, bills.customer_id, bills.due_date, bills.amount - coalesce(paid.amount, 0) as open_amount
    from bills
    left join (select bill_id, sum(allocated_amount) as amount from direct group by bill_id) as paid
        on paid.bill_id = bills.bill_id
    where bills.amount - coalesce(paid.amount, 0) > 0
),

bill_ranges as (
    select bill_id, customer_id, sum(open_amount) over oldest_first as range_end
    from fifo_bills
    window oldest_first as (partition by customer_id order by due_date, bill_id rows unbounded preceding)
),

payment_ranges as (
    select payment_id, customer_id, payment_date, sum(amount) over received_order as range_end
    from fifo_payments
    window received_order as (partition by customer_id order by payment_date, payment_id rows unbounded preceding)
),

breakpoints as (
    -- every point where a bill's or a payment's range ends, with the bill and the payment that end there
    select
        customer_id,
        range_end,
        max(bill_id) as closing_bill_id,
        max(payment_id) as closing_payment_id,
        max(payment_date) as closing_payment_date
    from (
        select customer_id, range_end, bill_id, null as payment_id, null as payment_date from bill_ranges
        union all
        select customer_id, range_end, null, payment_id, payment_date from payment_ranges
    )
    group by customer_id, range_end
),

stretches as (
    -- the money between two consecutive breakpoints lies in one bill and one payment: the first ones to end
    -- at or after it, i.e. those in the same group of "ranges closed before"
    select
        customer_id,
        closing_bill_id,
        closing_payment_id,
        closing_payment_date,
        range_end - coalesce(lag(range_end) over upwards, 0) as amount,
        count(closing_bill_id) over upwards - (closing_bill_id is not null) as bills_closed_before,
        count(closing_payment_id) over upwards - (closing_payment_id is not null) as payments_closed_before
    from breakpoints
    window upwards as (partition by customer_id order by range_end rows unbounded preceding)
),

fifo as (
    -- a group without a closing bill lies beyond the customer's last bill (unallocated credit), one without a
    -- closing payment beyond the last payment (nothing paid): neither pays a bill
    select
        max(closing_bill_id) over (partition by customer_id, bills_closed_before) as bill_id,
        max(closing_payment_id) over (partition by customer_id, payments_closed_before) as payment_id,
        max(closing_payment_date) over (partition by customer_id, payments_closed_before) as payment_date,
        amount
    from stretches
)

select bill_id, payment_date, allocated_amount
from direct
where allocated_amount > 0
union all
select bill_id, payment_date, amount
from fifo
where bill_id is not null and payment_id is not null
"""

QUERIES = {
    "rfm_scores": """
        with window_sales as (
            -- timestamps as text: on or after the window's first day, before the day after the as-of date
            select customer_id, substr(transaction_at, 1, 10) as sale_date, amount
            from card_transactions
            where status = 'Approved' and transaction_at >= :rfm_first_day and transaction_at < :day_after_as_of
        ),

        per_customer as (
            select
                customer_id,
                cast(julianday(:as_of) - julianday(max(sale_date)) as integer) as recency_days,
                count(*) as frequency,
                sum(amount) as monetary
            from window_sales
            group by customer_id
        ),

        scored as (
            -- SQLite's ntile puts the larger groups first, as the definition asks
            select
                *,
                ntile(:score_buckets) over (order by recency_days desc, customer_id) as r_score,
                ntile(:score_buckets) over (order by frequency, customer_id) as f_score,
                ntile(:score_buckets) over (order by monetary, customer_id) as m_score
            from per_customer
        )

        select
            scored.customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rules.rfm_segment
        from scored
        join customers on customers.customer_id = scored.customer_id
        left join rfm_segment_rules as rules
            on scored.r_score between rules.r_min and rules.r_max and scored.f_score between rules.f_min and rules.f_max
        order by scored.customer_id
    """,
    "net_flows_monthly": """
        select
            balances.month_end,
            products.category as product_category,
            sum(balances.contributions),
            sum(balances.withdrawals),
            sum(balances.contributions - balances.withdrawals)
        from account_balances as balances
        left join enrollments on enrollments.account_id = balances.account_id
        left join products on products.product_id = enrollments.product_id
        where balances.month_end <= :as_of
        group by balances.month_end, products.category
        order by 1, 2
    """,
    "aum_month_end": """
        select month_end, count(*), sum(balance)
        from account_balances
        where month_end <= :as_of
        group by month_end
        order by month_end
    """,
    "debt_aging": """
        with paid as (
            select bill_id, sum(allocated_amount) as amount
            from bill_allocations
            where payment_date <= :aging_date
            group by bill_id
        ),

        open_bills as (
            select
                bills.amount - coalesce(paid.amount, 0) as open_amount,
                cast(julianday(:aging_date) - julianday(bills.due_date) as integer) as days_past_due
            from bills
            left join paid on paid.bill_id = bills.bill_id
            where bills.issue_date <= :aging_date and bills.amount - coalesce(paid.amount, 0) > 0
        )

        select buckets.bucket_rank, buckets.label, count(*), sum(open_bills.open_amount)
        from open_bills
        join aging_buckets as buckets
            on open_bills.days_past_due between buckets.min_days and buckets.max_days
        group by buckets.bucket_rank, buckets.label
        order by buckets.bucket_rank
    """,
    "default_rate_monthly": """
        with paid_by_horizon as (
            select allocations.bill_id, sum(allocations.allocated_amount) as amount
            from bill_allocations as allocations
            join bills on bills.bill_id = allocations.bill_id
            where allocations.payment_date <= date(bills.due_date, :default_horizon)
            group by allocations.bill_id
        ),

        checked as (
            -- pending: D+60 is after the as-of date, so the bill cannot be judged yet
            select
                substr(bills.due_date, 1, 7) || '-01' as month,
                bills.amount,
                bills.amount - coalesce(paid_by_horizon.amount, 0) as outstanding,
                date(bills.due_date, :default_horizon) > :as_of as is_pending
            from bills
            left join paid_by_horizon on paid_by_horizon.bill_id = bills.bill_id
        ),

        judged as (
            select *, not is_pending and outstanding > :tolerance_cents as is_defaulted
            from checked
        )

        select
            month,
            count(*) filter (where not is_pending),
            count(*) filter (where is_defaulted),
            coalesce(sum(amount) filter (where not is_pending), 0),
            coalesce(sum(outstanding) filter (where is_defaulted), 0),
            count(*) filter (where is_pending),
            1.0 * count(*) filter (where is_defaulted) / nullif(count(*) filter (where not is_pending), 0),
            1.0 * coalesce(sum(outstanding) filter (where is_defaulted), 0)
                / nullif(sum(amount) filter (where not is_pending), 0)
        from judged
        group by month
        order by month
    """,
    "first_contact_resolution": """
        with neighbours as (
            select
                opened_at,
                channel,
                resolution_status,
                lag(opened_at) over same_reason as previous_at,
                lead(opened_at) over same_reason as next_at,
                -- opened_at shifted by whole days: the date part moves, the time of day (with its microseconds,
                -- which SQLite's own date-time functions would round to milliseconds) is kept as it is
                date(substr(opened_at, 1, 10), :repeat_window_back) || substr(opened_at, 11) as window_start,
                date(substr(opened_at, 1, 10), :repeat_window_ahead) || substr(opened_at, 11) as window_end
            from service_interactions
            window same_reason as (partition by customer_id, reason order by opened_at, interaction_id)
        ),

        flagged as (
            select
                substr(opened_at, 1, 7) || '-01' as month,
                channel,
                previous_at is null or previous_at < window_start as is_first_contact,
                resolution_status = 'Resolved' and (next_at is null or next_at > window_end) as stays_resolved
            from neighbours
        )

        select
            month,
            channel,
            count(*) filter (where is_first_contact),
            count(*) filter (where is_first_contact and stays_resolved),
            1.0 * count(*) filter (where is_first_contact and stays_resolved)
                / count(*) filter (where is_first_contact)
        from flagged
        group by month, channel
        having count(*) filter (where is_first_contact) > 0
        order by month, channel
    """,
}


def load(raw_dir: Path) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    for table, columns in SOURCE_COLUMNS.items():
        data = pq.read_table(Path(raw_dir) / f"{table}.parquet", columns=list(columns))
        values = [sqlite_values(name, data.column(name)) for name in columns]
        declared = ", ".join(f"{name} {'integer' if name in MONEY_COLUMNS else 'text'}" for name in columns)
        con.execute(f"create table {table} ({declared})")
        con.executemany(f"insert into {table} values ({', '.join('?' for _ in columns)})", zip(*values))
    con.executescript(INDEXES)
    create_rule_tables(con)
    con.execute(BILL_ALLOCATIONS_VIEW)
    con.commit()
    return con


def sqlite_values(name: str, column: pa.ChunkedArray) -> list:
    if name in MONEY_COLUMNS:
        return pc.round(pc.multiply(column, 100)).cast(pa.int64()).to_pylist()
    if pa.types.is_date(column.type):
        return pc.strftime(column, format="%Y-%m-%d").to_pylist()
    if pa.types.is_timestamp(column.type):
        # %S of a microsecond timestamp prints the seconds with six decimals, so every value has the same width
        return pc.strftime(column.cast(pa.timestamp("us")), format="%Y-%m-%d %H:%M:%S").to_pylist()
    return column.to_pylist()


def create_rule_tables(con: sqlite3.Connection) -> None:
    con.execute("create table rfm_segment_rules (rfm_segment text, r_min integer, r_max integer, f_min integer, "
                "f_max integer)")
    con.executemany("insert into rfm_segment_rules values (?, ?, ?, ?, ?)", RFM_SEGMENT_RULES)
    con.execute("create table aging_buckets (bucket_rank integer, label text, min_days integer, max_days integer)")
    # open-ended buckets get bounds no bill reaches, so one BETWEEN places every bill
    lowest_days = [None] + [most_days + 1 for _, _, most_days in AGING_BUCKETS[:-1]]
    con.executemany("insert into aging_buckets values (?, ?, ?, ?)", [
        (rank, label, -(2 ** 62) if least is None else least, 2 ** 62 if most is None else most)
        for (rank, label, most), least in zip(AGING_BUCKETS, lowest_days, strict=True)])


def run(con: sqlite3.Connection, measure: str, dates: AnalysisDates) -> list[tuple]:
    return con.execute(QUERIES[measure], parameters(dates)).fetchall()


def parameters(dates: AnalysisDates) -> dict[str, object]:
    return {
        "as_of": dates.as_of.isoformat(),
        "aging_date": dates.aging_date.isoformat(),
        "day_after_as_of": (dates.as_of + timedelta(days=1)).isoformat(),
        "rfm_first_day": (dates.as_of - timedelta(days=RFM_WINDOW_DAYS - 1)).isoformat(),
        "score_buckets": RFM_SCORE_BUCKETS,
        "default_horizon": f"+{DEFAULT_AFTER_DAYS} days",
        "tolerance_cents": DEFAULT_TOLERANCE_CENTS,
        "repeat_window_back": f"-{REPEAT_WINDOW_DAYS} days",
        "repeat_window_ahead": f"+{REPEAT_WINDOW_DAYS} days",
    }
