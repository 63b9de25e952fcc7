"""Revenue by month and region, summed while the customer tables are generated, so expenses can be sized
against it (the app's cost-to-income ratio)."""

from __future__ import annotations

import numpy as np

from generate.calendar import month_number
from generate.geography import REGIONS
from generate.plan import Plan


class Revenue:
    def __init__(self, plan: Plan):
        self.first_month = int(plan.months[0])
        self.last_month = int(plan.months[-1])
        self.by_month_region = np.zeros((plan.months.size, len(REGIONS)))
        self.first_day = plan.history_start_day
        # Month index of every day of the history, for the many rows that book revenue by day.
        self._month_of_day = (month_number(np.arange(plan.history_start_day, plan.end_day + 1))
                              - self.first_month).astype(np.int32)

    def add(self, other: Revenue) -> None:
        self.by_month_region += other.by_month_region

    def add_by_month(self, month_index: np.ndarray, region: np.ndarray, amount: np.ndarray) -> None:
        """month_index counts months from the history's first month."""
        n_months = self.by_month_region.shape[0]
        cells = month_index.astype(np.int64) * len(REGIONS) + region
        if month_index.size and (month_index.min() < 0 or month_index.max() >= n_months):
            inside = (month_index >= 0) & (month_index < n_months)
            cells, amount = cells[inside], amount[inside]
        self.by_month_region += np.bincount(cells, weights=amount,
                                            minlength=self.by_month_region.size).reshape(self.by_month_region.shape)

    def add_by_day(self, day: np.ndarray, region: np.ndarray, amount: np.ndarray) -> None:
        """day must lie inside the history."""
        self.add_by_month(self._month_of_day[day - self.first_day], region, amount)
