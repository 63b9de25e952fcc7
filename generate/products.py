"""products: a fixed catalogue of about twenty investment, savings, retirement and insurance products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import day_number
from generate.plan import Plan

CATEGORIES = ("Equity Fund", "Bond Fund", "Mutual Fund", "ETF", "Savings", "Retirement", "Insurance")

# name, category, investment type, risk, fee, minimum investment, launch (year, or fraction of the history for
# products launched during it), (equity, bond, cash) exposure that drives monthly returns, monthly noise.
CATALOGUE = (
    ("US Large Cap Equity Fund", "Equity Fund", "Stocks", "High", 0.0095, 1000, 2004, (1.0, 0.0, 0.0), 0.012),
    ("Global Growth Equity Fund", "Equity Fund", "Stocks", "High", 0.0125, 2500, 2008, (1.0, 0.0, 0.0), 0.018),
    ("Emerging Markets Equity Fund", "Equity Fund", "Stocks", "High", 0.0165, 2500, 2011, (1.1, 0.0, 0.0), 0.03),
    ("Dividend Income Equity Fund", "Equity Fund", "Stocks", "Medium", 0.0085, 1000, 2009, (0.8, 0.0, 0.2), 0.01),
    ("Core Bond Fund", "Bond Fund", "Bonds", "Low", 0.0045, 1000, 2003, (0.0, 1.0, 0.0), 0.004),
    ("High Yield Bond Fund", "Bond Fund", "Bonds", "Medium", 0.0075, 2500, 2010, (0.3, 0.7, 0.0), 0.008),
    ("Municipal Bond Fund", "Bond Fund", "Bonds", "Low", 0.005, 5000, 2006, (0.0, 0.9, 0.1), 0.003),
    ("Balanced Mutual Fund", "Mutual Fund", "Mixed", "Medium", 0.0105, 1000, 2002, (0.6, 0.4, 0.0), 0.008),
    ("Conservative Allocation Fund", "Mutual Fund", "Mutual Funds", "Low", 0.009, 1000, 2007, (0.3, 0.6, 0.1), 0.005),
    ("Growth Allocation Fund", "Mutual Fund", "Mutual Funds", "Medium", 0.0115, 1000, 2012, (0.8, 0.2, 0.0), 0.01),
    ("Total Market Index ETF", "ETF", "Stocks", "Medium", 0.001, 100, 2005, (1.0, 0.0, 0.0), 0.004),
    ("Aggregate Bond ETF", "ETF", "Bonds", "Low", 0.0015, 100, 2009, (0.0, 1.0, 0.0), 0.002),
    ("Sustainable Leaders ETF", "ETF", "Stocks", "High", 0.0035, 100, 0.25, (1.05, 0.0, 0.0), 0.015),
    ("Everyday Savings", "Savings", "Cash", "Low", 0.001, 0, 2000, (0.0, 0.0, 1.0), 0.0),
    ("High Yield Savings", "Savings", "Cash", "Low", 0.001, 1000, 0.45, (0.0, 0.0, 1.15), 0.0),
    ("Certificate of Deposit Ladder", "Savings", "Cash", "Low", 0.0015, 5000, 2010, (0.0, 0.1, 0.9), 0.0005),
    ("Retirement Target 2045", "Retirement", "Mixed", "Medium", 0.0065, 500, 2006, (0.75, 0.25, 0.0), 0.008),
    ("Retirement Income Plan", "Retirement", "Mixed", "Low", 0.006, 500, 2008, (0.35, 0.55, 0.1), 0.004),
    ("Whole Life Insurance", "Insurance", "Mixed", "Low", 0.0175, 1000, 2001, (0.2, 0.6, 0.2), 0.002),
    ("Variable Annuity", "Insurance", "Mutual Funds", "Medium", 0.0195, 10000, 2005, (0.6, 0.4, 0.0), 0.007),
)

# Relative popularity of each category by wealth tier (Mass Market .. Ultra High Net Worth): mass-market
# customers save and insure, wealthier ones hold funds and bonds.
CATEGORY_POPULARITY = np.array([
    # Equity, Bond, Mutual, ETF, Savings, Retirement, Insurance
    [0.10, 0.04, 0.12, 0.08, 0.38, 0.16, 0.12],
    [0.17, 0.08, 0.16, 0.15, 0.18, 0.16, 0.10],
    [0.22, 0.15, 0.14, 0.19, 0.08, 0.12, 0.10],
    [0.26, 0.20, 0.10, 0.20, 0.05, 0.08, 0.11],
])


@dataclass(frozen=True)
class Products:
    frame: pl.DataFrame
    ids: pl.Series
    category: np.ndarray
    fee_rate: np.ndarray
    min_investment: np.ndarray
    launch_day: np.ndarray
    exposure: np.ndarray  # (products, 3): equity, bond, cash
    noise: np.ndarray
    popularity: np.ndarray  # (tiers, products): chance a new account of a tier is for the product
    established: np.ndarray  # for each product, an older product of the same category to fall back to


def build_products(plan: Plan) -> Products:
    history_days = plan.end_day - plan.history_start_day
    launch_day = np.array([
        # Spread launches of older products over the year so the dates look like real ones.
        day_number(date(launch, 1 + index % 12, 1 + (7 * index) % 28)) if launch >= 1900
        else plan.history_start_day + round(launch * history_days)
        for index, (*_, launch, _, _) in enumerate(CATALOGUE)
    ])
    category = np.array([CATEGORIES.index(row[1]) for row in CATALOGUE])
    per_category = np.bincount(category, minlength=len(CATEGORIES))
    popularity = CATEGORY_POPULARITY[:, category] / per_category[category]
    oldest_of_category = {cat: min(np.flatnonzero(category == cat), key=lambda i: launch_day[i])
                          for cat in range(len(CATEGORIES))}
    ids = c.sequence_ids("P", 1, len(CATALOGUE), 3)
    frame = c.frame(
        "products",
        product_id=ids,
        product_name=pl.Series([row[0] for row in CATALOGUE]),
        category=pl.Series([row[1] for row in CATALOGUE]),
        investment_type=pl.Series([row[2] for row in CATALOGUE]),
        risk_level=pl.Series([row[3] for row in CATALOGUE]),
        launch_date=c.dates(launch_day),
        annual_fee_rate=c.doubles(np.array([row[4] for row in CATALOGUE])),
        min_investment=c.money(np.array([row[5] for row in CATALOGUE], dtype=float)),
    )
    return Products(
        frame=frame,
        ids=ids,
        category=category,
        fee_rate=np.array([row[4] for row in CATALOGUE]),
        min_investment=np.array([row[5] for row in CATALOGUE], dtype=float),
        launch_day=launch_day,
        exposure=np.array([row[7] for row in CATALOGUE]),
        noise=np.array([row[8] for row in CATALOGUE]),
        popularity=popularity,
        established=np.array([oldest_of_category[cat] for cat in category]),
    )
