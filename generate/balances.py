"""account_balances: a month-end snapshot of every open account, rolled forward month by month.

balance = previous balance + contributions - withdrawals + investment returns - fees, where returns follow the
product's mix of the market_data equity and bond indices and the cash rate, and fees are the product's yearly fee
rate on the balance, charged monthly. The loop runs over months; every step is vectorised over accounts.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.accounts import MONTHS_PER_CONTRIBUTION, NO_CONTRIBUTION, Accounts
from generate.calendar import DAYS_PER_YEAR, month_end_of_month, month_number
from generate.customers import CustomerChunk
from generate.market import Market
from generate.plan import Plan
from generate.products import CATEGORIES, Products
from generate.randomness import rng_for
from generate.revenue import Revenue

PRE_HISTORY_GROWTH = 1.05  # yearly growth of balances before the history starts
WITHDRAWAL_PER_MONTH = 0.02
SAVINGS_WITHDRAWAL_PER_MONTH = 0.06
MISSED_CONTRIBUTION = 0.1
OUTPUT_COLUMNS = ("balance", "contributions", "withdrawals", "investment_returns", "fees")


def _cents(values: np.ndarray) -> np.ndarray:
    """Round to whole cents in place (np.round would allocate two more temporaries)."""
    values *= 100
    np.rint(values, out=values)
    values /= 100
    return values


def build_balances(plan: Plan, customers: CustomerChunk, accounts: Accounts, products: Products, market: Market,
                   revenue: Revenue) -> tuple[pl.DataFrame, np.ndarray]:
    """The snapshots (month by month, so time-ordered) and each account's lifetime fees, including an estimate
    for the years before the history."""
    rng = rng_for(plan.seed, "account_balances", customers.chunk)
    months = plan.snapshot_months
    first_month = months[0] if months.size else 0
    open_index = month_number(accounts.open_day) - first_month
    close_index = np.where(accounts.closed, month_number(accounts.close_day) - first_month, months.size)

    # Accounts sorted by their first month in the history (earlier accounts first, then month by month): the
    # accounts open in month t are then a prefix of the arrays (less those already closed) and the ones opening
    # in month t its tail, so each step works on slices instead of gathered copies.
    order = np.argsort(np.maximum(open_index, -1), kind="stable")
    open_index, close_index = open_index[order], close_index[order]
    product = accounts.product[order]
    initial = accounts.initial_investment[order]
    contribution = accounts.contribution[order]
    every = np.maximum(MONTHS_PER_CONTRIBUTION[accounts.frequency[order]], 1)
    contributes = accounts.frequency[order] != NO_CONTRIBUTION
    noise = products.noise[product]
    monthly_fee = products.fee_rate[product] / 12
    withdrawal_chance = np.where(products.category[product] == CATEGORIES.index("Savings"),
                                 SAVINGS_WITHDRAWAL_PER_MONTH, WITHDRAWAL_PER_MONTH)
    sort_key = np.maximum(open_index, -1)
    opening_from = np.searchsorted(sort_key, np.arange(months.size), side="left")
    open_by = np.searchsorted(sort_key, np.arange(months.size), side="right")
    # The next month with a scheduled contribution: every `every` months after the opening month.
    next_due = np.where(contributes, open_index + every * np.maximum((every - 1 - open_index) // every, 1), months.size)
    # Each product's market return per month, from its exposure to equities, bonds and cash.
    product_return = np.stack([market.equity_monthly_return, market.bond_monthly_return,
                               market.cash_monthly_return], axis=1) @ products.exposure.T

    # Accounts opened before the history start from a balance grown from the first investment and contributions.
    years_before = np.maximum(plan.history_start_day - accounts.open_day[order], 0) / DAYS_PER_YEAR
    yearly_contribution = np.where(contributes, contribution * 12 / every, 0.0)
    opening = (initial * PRE_HISTORY_GROWTH ** years_before
               + yearly_contribution * years_before * PRE_HISTORY_GROWTH ** (years_before / 2)) \
        * np.exp(0.2 * rng.standard_normal(order.size))
    balance = np.where(open_index < 0, _cents(opening), 0.0)
    lifetime_fees = products.fee_rate[product] * (initial + balance) / 2 * years_before

    # Rows are written straight into arrays of the final size, month after month.
    first_observed = np.maximum(open_index, 0)
    last_observed = np.minimum(close_index, months.size - 1)
    n_rows = int(np.maximum(last_observed - first_observed + 1, 0).sum())
    row_account = np.empty(n_rows, dtype=np.int64)
    row_month = np.empty(n_rows, dtype=np.int16)
    out = {name: np.empty(n_rows) for name in OUTPUT_COLUMNS}
    written = 0
    for t in range(months.size):
        k, new = open_by[t], opening_from[t]
        previous = balance[:k]
        contributions = np.zeros(k)
        contributions[new:k] = initial[new:k]
        due = np.flatnonzero(next_due[:k] == t)
        next_due[due] += every[due]
        paid = due[rng.random(due.size) >= MISSED_CONTRIBUTION]
        contributions[paid] += contribution[paid]

        rate = product_return[t][product[:k]] + noise[:k] * rng.standard_normal(k)
        np.maximum(rate, -0.5, out=rate)
        returns = _cents(previous * rate + contributions * (rate / 2))
        available = previous + contributions + returns
        fees = _cents(np.maximum(available, 0) * monthly_fee[:k])
        available -= fees
        withdrawals = np.zeros(k)
        taking = np.flatnonzero(rng.random(k) < withdrawal_chance[:k])
        withdrawals[taking] = _cents(available[taking] * rng.uniform(0.05, 0.3, taking.size))
        closing = np.flatnonzero(close_index[:k] == t)
        withdrawals[closing] = available[closing]  # the closing month pays everything out
        # Components are whole cents, so the balance stays whole cents up to float noise the output rounds off.
        np.maximum(available - withdrawals, 0.0, out=previous)

        rows = np.flatnonzero(close_index[:k] >= t)
        lifetime_fees[rows] += fees[rows]
        target = slice(written, written + rows.size)
        np.take(order, rows, out=row_account[target])
        row_month[target] = t
        for name, values in (("balance", previous), ("contributions", contributions), ("withdrawals", withdrawals),
                             ("investment_returns", returns), ("fees", fees)):
            np.take(values, rows, out=out[name][target])
        written += rows.size

    revenue.add_by_month(row_month, customers.region[accounts.owner[row_account]], out["fees"])
    frame = c.frame(
        "account_balances",
        account_id=accounts.ids.gather(row_account),
        month_end=c.dates(month_end_of_month(months)[row_month]),
        balance=c.money(out["balance"]),  # the only column that may carry float noise
        **{name: c.money(out[name], whole_cents=True) for name in OUTPUT_COLUMNS[1:]},
    )
    unsorted_fees = np.empty_like(lifetime_fees)
    unsorted_fees[order] = lifetime_fees
    return frame, unsorted_fees
