"""How much to generate at a scale factor, and the fixed chunking of customers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from generate.calendar import day_number, month_end_of_month, month_number
from warehouse.settings import CUSTOMERS_PER_SCALE, HISTORY_START

# Customers are generated in fixed blocks: a block's rows depend only on (seed, block index), never on memory.
CHUNK_CUSTOMERS = 50_000
MIN_CUSTOMERS = 20
# The bank's oldest customers joined when it started its current book.
FIRST_ENROLLMENT = date(2012, 1, 1)
LAST_END_DATE = date(2150, 1, 1)  # the calendar tables run to 2199; customers born later are not planned for


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    end_date: date
    n_customers: int = field(init=False)

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError(f"scale must be positive, got {self.scale}")
        if self.seed < 0:
            raise ValueError(f"seed must be zero or positive, got {self.seed}")
        if not HISTORY_START < self.end_date < LAST_END_DATE:
            raise ValueError(f"end date {self.end_date} must be after the history start {HISTORY_START} "
                             f"and before {LAST_END_DATE}")
        object.__setattr__(self, "n_customers", max(MIN_CUSTOMERS, round(CUSTOMERS_PER_SCALE * self.scale)))

    @property
    def history_start_day(self) -> int:
        return day_number(HISTORY_START)

    @property
    def first_enrollment_day(self) -> int:
        return day_number(FIRST_ENROLLMENT)

    @property
    def end_day(self) -> int:
        return day_number(self.end_date)

    @property
    def chunks(self) -> list[tuple[int, int]]:
        """[start, stop) customer index ranges."""
        return [(start, min(start + CHUNK_CUSTOMERS, self.n_customers))
                for start in range(0, self.n_customers, CHUNK_CUSTOMERS)]

    @property
    def months(self) -> np.ndarray:
        """Month numbers (months since 1970-01) of every month the history touches, the last one maybe partial."""
        first, last = month_number(np.array([self.history_start_day, self.end_day]))
        return np.arange(first, last + 1)

    @property
    def snapshot_months(self) -> np.ndarray:
        """The months whose month end falls inside the history: the ones with month-end snapshots and bills."""
        months = self.months
        return months[month_end_of_month(months) <= self.end_day]

    def staff_count(self, per_ten_thousand_customers: float) -> int:
        return math.ceil(per_ten_thousand_customers * self.n_customers / 10_000)

    @property
    def campaigns_per_quarter(self) -> int:
        # More customers, more (smaller) campaigns; a minimum keeps the marketing pages populated.
        return max(3, round(3 * self.scale ** 0.35))

    @property
    def expense_lines_per_cell(self) -> int:
        return max(1, round(math.sqrt(self.scale)))
