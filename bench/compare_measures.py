"""The six measures bench/compare.py computes side by side: what each returns, and the definitions' constants.

Each measure is stated once here: its result columns (with the kind of value each holds, which decides how results
are compared), the columns that identify a row, and the query that reads it from the product's views in sql/.
The pandas and SQLite re-implementations (compare_pandas.py, compare_sqlite.py) import the constants below instead
of reading rfm_settings, rfm_segment_rules, aging_buckets or receivables_settings from a warehouse, so they are
independent of the SQL they check: when someone changes a definition in sql/, the bench disagrees, loudly, until
the constants here follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

# Kinds of result values. Money is compared exactly, in cents: the warehouse holds DECIMAL(18,2), the
# re-implementations hold integer cents, so sums are exact in every engine and need no tolerance.
TEXT, INTEGER, DATE, MONEY, RATIO = "text", "integer", "date", "money", "ratio"

# rfm_settings: quintile scores over the 365 days ending on the as-of date (included).
RFM_SCORE_BUCKETS = 5
RFM_WINDOW_DAYS = 365

# rfm_segment_rules: (segment, lowest R, highest R, lowest F, highest F); every rule takes any M score.
RFM_SEGMENT_RULES = (
    ("Champions", 5, 5, 4, 5),
    ("Loyal", 3, 4, 4, 5),
    ("Potential Loyalist", 4, 5, 2, 3),
    ("New", 5, 5, 1, 1),
    ("Promising", 4, 4, 1, 1),
    ("Need Attention", 3, 3, 3, 3),
    ("About to Sleep", 3, 3, 1, 2),
    ("At Risk", 1, 2, 3, 4),
    ("Can't Lose Them", 1, 2, 5, 5),
    ("Hibernating", 2, 2, 1, 2),
    ("Hibernating", 1, 1, 2, 2),
    ("Lost", 1, 1, 1, 1),
)

# aging_buckets: (rank, label, most days past due in the bucket); the last bucket has no upper bound.
AGING_BUCKETS = (
    (1, "Not yet due", 0),
    (2, "1-30", 30),
    (3, "31-60", 60),
    (4, "61-90", 90),
    (5, "91-180", 180),
    (6, "180+", None),
)

# bill_default_checkpoints / receivables_settings: a bill defaults when more than 1.00 is outstanding at D+60.
DEFAULT_AFTER_DAYS = 60
DEFAULT_TOLERANCE_CENTS = 100

# service_contacts: a contact about the same reason within 7 days before is a repeat, within 7 days after undoes
# a resolution.
REPEAT_WINDOW_DAYS = 7


class AnalysisDates(NamedTuple):
    as_of: date  # the data as-of date: RFM, month ends, default checkpoints are measured against it
    aging_date: date  # the date the debt aging position is taken at


# The source tables and columns the six measures read: all the re-implementations load (DuckDB loads these tables
# whole, since its views select every column).
SOURCE_COLUMNS = {
    "customers": ("customer_id",),
    "products": ("product_id", "category"),
    "enrollments": ("account_id", "product_id"),
    "account_balances": ("account_id", "month_end", "balance", "contributions", "withdrawals"),
    "card_transactions": ("transaction_id", "customer_id", "transaction_at", "amount", "status"),
    "service_interactions": ("interaction_id", "customer_id", "opened_at", "channel", "reason", "resolution_status"),
    "bills": ("bill_id", "customer_id", "issue_date", "due_date", "amount"),
    "payments": ("payment_id", "customer_id", "bill_id", "payment_date", "amount"),
}
# Of those, the money columns (DECIMAL(18,2) in the contract), which the re-implementations hold in cents.
MONEY_COLUMNS = frozenset({"amount", "balance", "contributions", "withdrawals"})


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    columns: dict[str, str]  # result column -> kind, in result order
    keys: tuple[str, ...]  # the columns that identify a row
    duckdb_sql: str  # over the product's views; {position} is the receivables relation the app reads


MEASURES = (
    Measure(
        "rfm_scores",
        "RFM scores per customer",
        {"customer_id": TEXT, "recency_days": INTEGER, "frequency": INTEGER, "monetary": MONEY,
         "r_score": INTEGER, "f_score": INTEGER, "m_score": INTEGER, "rfm_segment": TEXT},
        ("customer_id",),
        """
        select customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_segment
        from rfm_customers
        order by customer_id
        """,
    ),
    Measure(
        "net_flows_monthly",
        "Monthly net flows by product category",
        {"month_end": DATE, "product_category": TEXT, "contributions": MONEY, "withdrawals": MONEY,
         "net_flow": MONEY},
        ("month_end", "product_category"),
        """
        select month_end, product_category, sum(contributions) as contributions, sum(withdrawals) as withdrawals,
            sum(net_flow) as net_flow
        from aum_monthly
        group by month_end, product_category
        order by month_end, product_category
        """,
    ),
    Measure(
        "aum_month_end",
        "Month-end AUM",
        {"month_end": DATE, "accounts": INTEGER, "aum": MONEY},
        ("month_end",),
        """
        select month_end, sum(accounts) as accounts, sum(aum) as aum
        from aum_monthly
        group by month_end
        order by month_end
        """,
    ),
    Measure(
        "debt_aging",
        "Debt aging buckets as of a date",
        {"aging_bucket_rank": INTEGER, "aging_bucket": TEXT, "open_bills": INTEGER, "open_amount": MONEY},
        ("aging_bucket_rank",),
        """
        select aging_bucket_rank, aging_bucket, count(*) as open_bills, sum(open_amount) as open_amount
        from {position}
        group by aging_bucket_rank, aging_bucket
        order by aging_bucket_rank
        """,
    ),
    Measure(
        "default_rate_monthly",
        "Monthly default rate at D+60",
        {"month": DATE, "bills": INTEGER, "defaulted_bills": INTEGER, "billed_amount": MONEY,
         "defaulted_outstanding_amount": MONEY, "pending_bills": INTEGER, "default_rate": RATIO,
         "amount_default_rate": RATIO},
        ("month",),
        """
        select month, sum(bills) as bills, sum(defaulted_bills) as defaulted_bills,
            sum(billed_amount) as billed_amount, sum(defaulted_outstanding_amount) as defaulted_outstanding_amount,
            sum(pending_bills) as pending_bills,
            sum(defaulted_bills) / nullif(sum(bills), 0) as default_rate,
            sum(defaulted_outstanding_amount) / nullif(sum(billed_amount), 0) as amount_default_rate
        from default_rate_monthly
        group by month
        order by month
        """,
    ),
    Measure(
        "first_contact_resolution",
        "First-contact resolution by month and channel",
        {"month": DATE, "channel": TEXT, "first_contacts": INTEGER, "resolved_first_contact": INTEGER,
         "fcr": RATIO},
        ("month", "channel"),
        """
        select month, channel, sum(first_contacts) as first_contacts,
            sum(resolved_first_contact) as resolved_first_contact,
            sum(resolved_first_contact) / nullif(sum(first_contacts), 0) as fcr
        from first_contact_resolution_monthly
        group by month, channel
        order by month, channel
        """,
    ),
)

