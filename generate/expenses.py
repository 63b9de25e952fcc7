"""expenses: monthly cost lines by department, category and region.

Costs are sized against the revenue the customer tables produced (loan interest, fees, card interchange), so the
cost-to-income ratio is plausible: about 64% at the start of the history, improving to about 55% as the bank grows.
Costs are sticky, so they follow a three-month average of revenue.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import month_end_of_month, month_start
from generate.geography import REGIONS
from generate.plan import Plan
from generate.randomness import rng_for
from generate.revenue import Revenue

DEPARTMENTS = ("Wealth Management", "Customer Service", "Collections", "Lending", "Marketing", "Technology",
               "Operations", "Risk & Compliance")
CATEGORIES = ("Salaries", "Technology", "Marketing", "Rent & Facilities", "Professional Services", "Travel",
              "Training")
SALARIES = 0
DEPARTMENT_SHARE = np.array([0.20, 0.14, 0.06, 0.14, 0.10, 0.16, 0.12, 0.08])
# How each department's costs split over the categories.
CATEGORY_MIX = np.array([
    [0.70, 0.06, 0.04, 0.10, 0.04, 0.04, 0.02],
    [0.72, 0.10, 0.00, 0.12, 0.02, 0.01, 0.03],
    [0.70, 0.08, 0.00, 0.10, 0.08, 0.02, 0.02],
    [0.68, 0.08, 0.04, 0.12, 0.04, 0.02, 0.02],
    [0.30, 0.08, 0.52, 0.05, 0.03, 0.01, 0.01],
    [0.45, 0.40, 0.00, 0.06, 0.07, 0.01, 0.01],
    [0.55, 0.12, 0.00, 0.25, 0.05, 0.01, 0.02],
    [0.60, 0.08, 0.00, 0.08, 0.20, 0.02, 0.02],
])
# Category spending by month of year: marketing pushes in autumn and January, training in the first quarter.
CATEGORY_SEASON = np.ones((12, len(CATEGORIES)))
CATEGORY_SEASON[:, 2] = [1.2, 0.9, 1.0, 1.0, 0.9, 0.8, 0.7, 0.8, 1.1, 1.2, 1.3, 1.1]
CATEGORY_SEASON[:, 6] = [1.6, 1.4, 1.2, 1.0, 0.9, 0.8, 0.6, 0.6, 1.0, 1.0, 1.0, 0.9]
RATIO_AT_START, RATIO_AT_END = 0.64, 0.55


def build_expenses(plan: Plan, revenue: Revenue) -> pl.DataFrame:
    rng = rng_for(plan.seed, "expenses")
    months = plan.months
    n_months = months.size
    kernel = np.ones(3) / 3
    smoothed = np.stack([np.convolve(np.pad(column, (2, 0), mode="edge"), kernel, mode="valid")
                         for column in revenue.by_month_region.T], axis=1)
    ratio = np.linspace(RATIO_AT_START, RATIO_AT_END, n_months) + 0.02 * rng.standard_normal(n_months)
    month_total = smoothed * ratio[:, None]  # (month, region)

    cell_department, cell_category = np.nonzero(CATEGORY_MIX)
    cell_weight = DEPARTMENT_SHARE[cell_department] * CATEGORY_MIX[cell_department, cell_category]
    seasonal = cell_weight[None, :] * CATEGORY_SEASON[(months % 12)[:, None], cell_category[None, :]]
    seasonal /= seasonal.sum(axis=1, keepdims=True)  # (month, cell), each month sums to 1

    lines = plan.expense_lines_per_cell
    shape = (n_months, len(REGIONS), cell_department.size, lines)
    split = rng.gamma(4.0, size=shape)
    split /= split.sum(axis=3, keepdims=True)
    amount = month_total[:, :, None, None] * seasonal[:, None, :, None] * split \
        * np.exp(0.05 * rng.standard_normal(shape))
    month_index, region, cell, _ = np.indices(shape).reshape(4, -1)
    amount = amount.reshape(-1)

    first_day = np.maximum(month_start(months), plan.history_start_day)[month_index]
    last_day = np.minimum(month_end_of_month(months), plan.end_day)[month_index]
    # Salaries are booked at the month's last day; other costs when their invoices arrive.
    invoice_day = first_day + (rng.random(amount.size) * (last_day - first_day + 1)).astype(np.int64)
    day = np.where(cell_category[cell] == SALARIES, last_day, invoice_day)
    keep = amount >= 0.01
    return c.frame(
        "expenses",
        expense_id=c.sequence_ids("EX", 1, int(keep.sum()), 8),
        expense_date=c.dates(day[keep]),
        department=c.labels(DEPARTMENTS, cell_department[cell][keep]),
        category=c.labels(CATEGORIES, cell_category[cell][keep]),
        region=c.labels(REGIONS, region[keep]),
        amount=c.money(amount[keep]),
    )
