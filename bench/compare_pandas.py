"""The six measures of bench/compare.py re-implemented in pandas, from the raw Parquet files.

Written from the definitions in the sql/ headers, not translated from DuckDB: vectorised throughout (no loop over
rows), money held in integer cents so sums are exact like the warehouse's DECIMAL(18,2), dates and timestamps as
datetime64. `load` reads the files (timed apart from the measures); `compute` runs one measure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
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

Frames = dict[str, pd.DataFrame]


def load(raw_dir: Path) -> Frames:
    """The source columns the measures read, money in cents and dates as datetime64 (the build's casts)."""
    frames = {}
    for table, columns in SOURCE_COLUMNS.items():
        path = Path(raw_dir) / f"{table}.parquet"
        frame = pd.read_parquet(path, columns=list(columns))
        schema = pq.read_schema(path)
        for column in columns:
            if column in MONEY_COLUMNS:
                frame[column] = (frame[column] * 100).round().astype("int64")
            elif pa.types.is_date(schema.field(column).type):  # they arrive as datetime.date objects
                frame[column] = pd.to_datetime(frame[column])
        frames[table] = frame
    return frames


def compute(measure: str, frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    return COMPUTE[measure](frames, dates)


def month_start(values: pd.Series) -> pd.Series:
    return values.dt.to_period("M").dt.to_timestamp()


# ---------------------------------------------------------------- RFM

def rfm_scores(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    as_of = pd.Timestamp(dates.as_of)
    sales = frames["card_transactions"]
    sale_date = sales["transaction_at"].dt.floor("D")
    in_window = (
        (sales["status"] == "Approved")
        & (sale_date <= as_of)
        & (sale_date > as_of - pd.Timedelta(days=RFM_WINDOW_DAYS))
    )
    window = sales.loc[in_window, ["customer_id", "amount"]].assign(sale_date=sale_date[in_window])
    scores = window.groupby("customer_id", as_index=False, dropna=False).agg(
        last_sale_date=("sale_date", "max"), frequency=("sale_date", "size"), monetary=("amount", "sum"))
    scores["recency_days"] = (as_of - scores["last_sale_date"]).dt.days
    scores["r_score"] = ntile_scores(scores, "recency_days", longest_first=True)
    scores["f_score"] = ntile_scores(scores, "frequency")
    scores["m_score"] = ntile_scores(scores, "monetary")
    # Customers are ranked before the join to customers, as in the view: a card holder unknown in customers
    # takes a rank, then drops out.
    scores = scores.merge(frames["customers"][["customer_id"]], on="customer_id", how="inner")
    scores["rfm_segment"] = rfm_segments(scores)
    columns = ["customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_segment"]
    return scores[columns].sort_values("customer_id", ignore_index=True)


def ntile_scores(scores: pd.DataFrame, measure: str, longest_first: bool = False) -> np.ndarray:
    """Scores 1 to RFM_SCORE_BUCKETS in equal groups, worst first, as SQL's ntile: ties broken by customer_id,
    and when the count does not divide evenly the first (count % buckets) groups take one customer more."""
    order = scores.sort_values([measure, "customer_id"], ascending=[not longest_first, True]).index.to_numpy()
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(len(scores))
    small_size, large_groups = divmod(len(scores), RFM_SCORE_BUCKETS)
    in_large_group = rank < large_groups * (small_size + 1)
    # with fewer customers than buckets every group is a large one; max() keeps the unused branch off zero
    return 1 + np.where(in_large_group, rank // (small_size + 1), (rank - large_groups) // max(small_size, 1))


def rfm_segments(scores: pd.DataFrame) -> np.ndarray:
    matches = [scores["r_score"].between(r_min, r_max) & scores["f_score"].between(f_min, f_max)
               for _, r_min, r_max, f_min, f_max in RFM_SEGMENT_RULES]
    return np.select(matches, [rule[0] for rule in RFM_SEGMENT_RULES], default=None)


# ---------------------------------------------------------------- wealth

def net_flows_monthly(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    balances = frames["account_balances"]
    balances = balances[balances["month_end"] <= pd.Timestamp(dates.as_of)]
    # snapshots of accounts or products missing from their tables are kept, with an empty category
    categories = frames["enrollments"].merge(frames["products"], on="product_id", how="left")
    months = balances.merge(categories[["account_id", "category"]], on="account_id", how="left")
    months["net_flow"] = months["contributions"] - months["withdrawals"]
    flows = months.groupby(["month_end", "category"], as_index=False, dropna=False)[
        ["contributions", "withdrawals", "net_flow"]].sum()
    return flows.rename(columns={"category": "product_category"})


def aum_month_end(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    balances = frames["account_balances"]
    balances = balances[balances["month_end"] <= pd.Timestamp(dates.as_of)]
    return balances.groupby("month_end", as_index=False).agg(accounts=("balance", "size"), aum=("balance", "sum"))


# ---------------------------------------------------------------- receivables

def bill_allocations(frames: Frames) -> pd.DataFrame:
    """The money of each payment applied to each bill (bill_id, payment_date, allocated_amount), as
    payment_allocations defines it: a payment naming an existing bill fills that bill first, in payment order;
    everything else pays the customer's bills oldest first, each for what is left open, computed over the whole
    history by overlapping the cumulative ranges of open bill amounts and of payment amounts."""
    bills = frames["bills"]
    payments = frames["payments"]
    payments = payments[payments["amount"] > 0]

    # one left join tells the payments naming an existing bill from the others (faster than isin on strings)
    matched = payments.merge(bills[["bill_id", "amount"]].rename(columns={"amount": "bill_amount"}), on="bill_id",
                             how="left", indicator=True)
    names_a_bill = matched["_merge"] == "both"
    named = matched[names_a_bill].astype({"bill_amount": "int64"})  # the join made it float for the unmatched
    named = named.sort_values(["bill_id", "payment_date", "payment_id"])
    paid_through = named.groupby("bill_id")["amount"].cumsum()
    named["allocated_amount"] = (
        np.minimum(paid_through, named["bill_amount"]) - (paid_through - named["amount"])).clip(lower=0)
    directly_paid = named.groupby("bill_id")["allocated_amount"].sum()

    fifo_columns = ["payment_id", "customer_id", "payment_date", "amount"]
    unnamed = matched.loc[~names_a_bill, fifo_columns]
    overpaid = named[named["amount"] > named["allocated_amount"]]
    leftovers = overpaid.assign(amount=overpaid["amount"] - overpaid["allocated_amount"])[fifo_columns]
    fifo_payments = pd.concat([unnamed, leftovers], ignore_index=True)

    fifo_bills = bills.assign(amount=bills["amount"] - bills["bill_id"].map(directly_paid).fillna(0).astype("int64"))
    fifo_bills = fifo_bills[fifo_bills["amount"] > 0]

    bill_ranges = cumulative_ranges(fifo_bills, ["due_date", "bill_id"])
    payment_ranges = cumulative_ranges(fifo_payments, ["payment_date", "payment_id"])
    ends = pd.concat([
        bill_ranges[["customer_id", "range_end"]].assign(closes_bill=1, closes_payment=0),
        payment_ranges[["customer_id", "range_end"]].assign(closes_bill=0, closes_payment=1),
    ])
    segments = (ends.groupby(["customer_id", "range_end"], as_index=False)[["closes_bill", "closes_payment"]].sum()
                .sort_values(["customer_id", "range_end"], ignore_index=True))
    by_customer = segments.groupby("customer_id")
    # each stretch between consecutive range ends lies in one bill and one payment: those not closed before it
    segments["allocated_amount"] = segments["range_end"] - by_customer["range_end"].shift(fill_value=0)
    segments["bill_position"] = 1 + by_customer["closes_bill"].cumsum() - segments["closes_bill"]
    segments["payment_position"] = 1 + by_customer["closes_payment"].cumsum() - segments["closes_payment"]
    payments_at = payment_ranges[["customer_id", "position", "payment_date"]].rename(
        columns={"position": "payment_position"})
    bills_at = bill_ranges[["customer_id", "position", "bill_id"]].rename(columns={"position": "bill_position"})
    # inner joins: stretches beyond the last payment pay nothing, beyond the last bill they are unallocated credit
    fifo = (segments.merge(payments_at, on=["customer_id", "payment_position"])
            .merge(bills_at, on=["customer_id", "bill_position"]))

    columns = ["bill_id", "payment_date", "allocated_amount"]
    return pd.concat([named.loc[named["allocated_amount"] > 0, columns], fifo[columns]], ignore_index=True)


def cumulative_ranges(rows: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Rows numbered 1, 2, ... per customer in the given order, with the running total of their amount."""
    ranges = rows.sort_values(["customer_id", *order], ignore_index=True)
    by_customer = ranges.groupby("customer_id")
    return ranges.assign(position=by_customer.cumcount() + 1, range_end=by_customer["amount"].cumsum())


def debt_aging(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    aging_date = pd.Timestamp(dates.aging_date)
    allocations = bill_allocations(frames)
    paid = allocations[allocations["payment_date"] <= aging_date].groupby("bill_id")["allocated_amount"].sum()
    bills = frames["bills"]
    bills = bills[bills["issue_date"] <= aging_date]
    open_amount = bills["amount"] - bills["bill_id"].map(paid).fillna(0).astype("int64")
    is_open = open_amount > 0
    days_past_due = (aging_date - bills.loc[is_open, "due_date"]).dt.days
    upper_bounds = [most_days for _, _, most_days in AGING_BUCKETS if most_days is not None]
    ranks = 1 + np.searchsorted(upper_bounds, days_past_due.to_numpy(), side="left")
    position = pd.DataFrame({"aging_bucket_rank": ranks, "open_amount": open_amount[is_open].to_numpy()})
    aging = position.groupby("aging_bucket_rank", as_index=False).agg(
        open_bills=("open_amount", "size"), open_amount=("open_amount", "sum"))
    labels = {rank: label for rank, label, _ in AGING_BUCKETS}
    aging.insert(1, "aging_bucket", aging["aging_bucket_rank"].map(labels))
    return aging


def default_rate_monthly(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    bills = frames["bills"]
    horizon = pd.Timedelta(days=DEFAULT_AFTER_DAYS)
    allocations = bill_allocations(frames).merge(bills[["bill_id", "due_date"]], on="bill_id")
    paid_by_horizon = (allocations[allocations["payment_date"] <= allocations["due_date"] + horizon]
                       .groupby("bill_id")["allocated_amount"].sum())
    outstanding = bills["amount"] - bills["bill_id"].map(paid_by_horizon).fillna(0).astype("int64")
    # a bill whose D+60 is after the as-of date cannot be judged yet: it is pending, in neither rate
    is_pending = bills["due_date"] + horizon > pd.Timestamp(dates.as_of)
    is_defaulted = ~is_pending & (outstanding > DEFAULT_TOLERANCE_CENTS)
    checked = pd.DataFrame({
        "month": month_start(bills["due_date"]),
        "bills": ~is_pending,
        "defaulted_bills": is_defaulted,
        "billed_amount": bills["amount"].where(~is_pending, 0),
        "defaulted_outstanding_amount": outstanding.where(is_defaulted, 0),
        "pending_bills": is_pending,
    })
    rates = checked.groupby("month", as_index=False).sum()
    rates["default_rate"] = rates["defaulted_bills"] / rates["bills"].where(rates["bills"] > 0)
    rates["amount_default_rate"] = (
        rates["defaulted_outstanding_amount"] / rates["billed_amount"].where(rates["billed_amount"] > 0))
    return rates


# ---------------------------------------------------------------- service

def first_contact_resolution(frames: Frames, dates: AnalysisDates) -> pd.DataFrame:
    contacts = frames["service_interactions"].sort_values(["customer_id", "reason", "opened_at", "interaction_id"])
    same_reason = contacts.groupby(["customer_id", "reason"], sort=False, dropna=False)["opened_at"]
    previous_at, next_at = same_reason.shift(1), same_reason.shift(-1)
    window = pd.Timedelta(days=REPEAT_WINDOW_DAYS)
    opened_at = contacts["opened_at"]
    is_first_contact = previous_at.isna() | (previous_at < opened_at - window)
    has_no_repeat = next_at.isna() | (next_at > opened_at + window)
    flagged = pd.DataFrame({
        "month": month_start(opened_at),
        "channel": contacts["channel"],
        "first_contacts": is_first_contact,
        "resolved_first_contact": is_first_contact & (contacts["resolution_status"] == "Resolved") & has_no_repeat,
    })
    fcr = flagged.groupby(["month", "channel"], as_index=False, dropna=False).sum()
    fcr = fcr[fcr["first_contacts"] > 0]
    return fcr.assign(fcr=fcr["resolved_first_contact"] / fcr["first_contacts"])


COMPUTE: dict[str, Callable[[Frames, AnalysisDates], pd.DataFrame]] = {
    "rfm_scores": rfm_scores,
    "net_flows_monthly": net_flows_monthly,
    "aum_month_end": aum_month_end,
    "debt_aging": debt_aging,
    "default_rate_monthly": default_rate_monthly,
    "first_contact_resolution": first_contact_resolution,
}
