"""market_data: trading days with an equity and a bond index and the macro rates, plus what other tables need
from them (monthly index returns for balances, the prime rate on any day for loan pricing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import day_number, month_number, weekday
from generate.plan import Plan
from generate.randomness import rng_for

TRADING_DAYS_PER_YEAR = 252

# Prime rate changes (date, new rate): the slow rise from 2015, cuts in 2019-2020, the 2022-2023 hikes and the
# easing from late 2024. Loans issued before the history are priced off the early ones.
PRIME_RATE_CHANGES = (
    (date(2008, 12, 16), 0.0325), (date(2015, 12, 17), 0.035), (date(2016, 12, 15), 0.0375),
    (date(2017, 3, 16), 0.04), (date(2017, 6, 15), 0.0425),
    (date(2017, 12, 14), 0.045), (date(2018, 3, 22), 0.0475), (date(2018, 6, 14), 0.05),
    (date(2018, 9, 27), 0.0525), (date(2018, 12, 20), 0.055), (date(2019, 8, 1), 0.0525),
    (date(2019, 9, 19), 0.05), (date(2019, 10, 31), 0.0475), (date(2020, 3, 4), 0.0425),
    (date(2020, 3, 16), 0.0325), (date(2022, 3, 17), 0.035), (date(2022, 5, 5), 0.04),
    (date(2022, 6, 16), 0.0475), (date(2022, 7, 28), 0.055), (date(2022, 9, 22), 0.0625),
    (date(2022, 11, 3), 0.07), (date(2022, 12, 15), 0.075), (date(2023, 2, 2), 0.0775),
    (date(2023, 3, 23), 0.08), (date(2023, 5, 4), 0.0825), (date(2023, 7, 27), 0.085),
    (date(2024, 9, 19), 0.08), (date(2024, 11, 8), 0.0775), (date(2024, 12, 19), 0.075),
    (date(2025, 9, 18), 0.0725), (date(2025, 10, 30), 0.07), (date(2025, 12, 11), 0.0675),
    (date(2026, 3, 19), 0.065),
)
# (date, level) anchors the yearly inflation and the unemployment rate follow between.
INFLATION_ANCHORS = (
    (date(2021, 1, 1), 0.014), (date(2021, 6, 1), 0.054), (date(2022, 6, 1), 0.091), (date(2023, 6, 1), 0.030),
    (date(2024, 6, 1), 0.030), (date(2025, 6, 1), 0.027), (date(2026, 10, 1), 0.026),
)
UNEMPLOYMENT_ANCHORS = (
    (date(2021, 1, 1), 0.064), (date(2021, 12, 1), 0.039), (date(2022, 6, 1), 0.036), (date(2023, 6, 1), 0.036),
    (date(2024, 6, 1), 0.041), (date(2025, 6, 1), 0.042), (date(2026, 10, 1), 0.044),
)
# Yearly drift and volatility of the indices, and their level on the first trading day.
EQUITY_DRIFT, EQUITY_VOLATILITY, EQUITY_START = 0.07, 0.16, 3750.0
BOND_DRIFT, BOND_VOLATILITY, BOND_START = 0.03, 0.05, 2350.0
# 2022's stock and bond sell-off as rates rose: start, end, extra yearly equity drift, extra yearly bond drift.
SELL_OFF = (date(2022, 1, 1), date(2022, 10, 15), -0.30, -0.17)


def prime_rate_on(days: np.ndarray) -> np.ndarray:
    change_days = np.array([day_number(d) for d, _ in PRIME_RATE_CHANGES])
    rates = np.array([rate for _, rate in PRIME_RATE_CHANGES])
    return rates[np.clip(np.searchsorted(change_days, days, side="right") - 1, 0, None)]


def _follow_anchors(days: np.ndarray, anchors) -> np.ndarray:
    return np.interp(days, [day_number(d) for d, _ in anchors], [level for _, level in anchors])


@dataclass(frozen=True)
class Market:
    frame: pl.DataFrame
    equity_monthly_return: np.ndarray  # per snapshot month
    bond_monthly_return: np.ndarray
    cash_monthly_return: np.ndarray
    trade_days: np.ndarray
    unemployment: np.ndarray

    def unemployment_on(self, days: np.ndarray) -> np.ndarray:
        return np.interp(days, self.trade_days, self.unemployment)


def _index_path(rng: np.random.Generator, n_days: int, drift: np.ndarray, volatility: float,
                start: float) -> np.ndarray:
    step = (drift - volatility**2 / 2) / TRADING_DAYS_PER_YEAR
    shocks = volatility / np.sqrt(TRADING_DAYS_PER_YEAR) * rng.standard_normal(n_days)
    return start * np.exp(np.cumsum(step + shocks))


def build_market(plan: Plan) -> Market:
    rng = rng_for(plan.seed, "market_data")
    all_days = np.arange(plan.history_start_day, plan.end_day + 1)
    days = all_days[weekday(all_days) < 5]
    in_sell_off = (days >= day_number(SELL_OFF[0])) & (days <= day_number(SELL_OFF[1]))
    equity = _index_path(rng, days.size, EQUITY_DRIFT + in_sell_off * SELL_OFF[2], EQUITY_VOLATILITY, EQUITY_START)
    bonds = _index_path(rng, days.size, BOND_DRIFT + in_sell_off * SELL_OFF[3], BOND_VOLATILITY, BOND_START)
    # Macro series move slowly: anchors plus a small wobble, a trailing four-week average of noise.
    wobble = np.convolve(rng.standard_normal(days.size), np.ones(20) / 20)[:days.size]
    inflation = _follow_anchors(days, INFLATION_ANCHORS) + 0.002 * wobble
    unemployment = _follow_anchors(days, UNEMPLOYMENT_ANCHORS) + 0.0008 * np.roll(wobble, 60)
    prime = prime_rate_on(days)

    frame = c.frame(
        "market_data",
        trade_date=c.dates(days),
        equity_index=c.doubles(np.round(equity, 2)),
        bond_index=c.doubles(np.round(bonds, 2)),
        inflation_rate=c.doubles(np.round(inflation, 4)),
        prime_rate=c.doubles(prime),
        unemployment_rate=c.doubles(np.round(unemployment, 4)),
    )

    # Month-over-month returns from each month's last close (the first month starts from the opening level).
    month_of_day = month_number(days)
    last_close = np.searchsorted(month_of_day, plan.snapshot_months, side="right") - 1
    equity_close = np.concatenate(([EQUITY_START], equity[last_close]))
    bond_close = np.concatenate(([BOND_START], bonds[last_close]))
    # Savings pay roughly the policy rate, which sits three points under prime.
    cash_yearly = np.maximum(prime[last_close] - 0.03, 0.001)
    return Market(
        frame=frame,
        equity_monthly_return=equity_close[1:] / equity_close[:-1] - 1,
        bond_monthly_return=bond_close[1:] / bond_close[:-1] - 1,
        cash_monthly_return=cash_yearly / 12,
        trade_days=days,
        unemployment=unemployment,
    )
