"""Dates as integer day numbers (days since 1970-01-01), so every date computation is a numpy array operation."""

from __future__ import annotations

from datetime import date

import numpy as np

from generate.randomness import choose_by_group, inverse_cdf

MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def day_number(d: date) -> int:
    return int((np.datetime64(d, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64))


# numpy's datetime conversions are slow per element; tables of the month of every day from 1900 to 2199 are not.
_TABLE_FIRST_DAY = int(np.datetime64("1900-01-01", "D").astype(np.int64))
_MONTH_OF_DAY = np.arange(_TABLE_FIRST_DAY, int(np.datetime64("2200-01-01", "D").astype(np.int64))) \
    .astype("M8[D]").astype("M8[M]").astype(np.int32)
_MONTH_OF_YEAR_OF_DAY = (_MONTH_OF_DAY % 12 + 1).astype(np.int8)
_YEAR_OF_DAY = (_MONTH_OF_DAY // 12 + 1970).astype(np.int16)


def month_number(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each day."""
    return _MONTH_OF_DAY[np.asarray(days) - _TABLE_FIRST_DAY]


def month_start(months: np.ndarray) -> np.ndarray:
    return np.asarray(months, dtype=np.int64).astype("M8[M]").astype("M8[D]").astype(np.int64)


def month_end_of_month(months: np.ndarray) -> np.ndarray:
    return month_start(np.asarray(months) + 1) - 1


def month_of_year(days: np.ndarray) -> np.ndarray:
    """1..12"""
    return _MONTH_OF_YEAR_OF_DAY[np.asarray(days) - _TABLE_FIRST_DAY]


def year_of(days: np.ndarray) -> np.ndarray:
    return _YEAR_OF_DAY[np.asarray(days) - _TABLE_FIRST_DAY]


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Same day of month `months` later, clamped to the month's last day."""
    days = np.asarray(days, dtype=np.int64)
    target = month_number(days) + months
    day_of_month = days - month_start(month_number(days))
    return np.minimum(month_start(target) + day_of_month, month_end_of_month(target))


def timestamps(days: np.ndarray, micros_of_day: np.ndarray) -> np.ndarray:
    """Microseconds since the epoch for a day number plus a time of day in microseconds."""
    return np.asarray(days, dtype=np.int64) * MICROS_PER_DAY + micros_of_day


def time_of_day(rng: np.random.Generator, hour_weights: np.ndarray, size: int) -> np.ndarray:
    """Microseconds after midnight: the hour weighted by hour_weights, uniform within the hour."""
    hour = choose_by_group(rng, hour_weights[None, :], np.zeros(size, dtype=np.int64)).astype(np.int64)
    hour *= MICROS_PER_HOUR
    hour += rng.integers(0, MICROS_PER_HOUR, size)
    return hour


class EventCalendar:
    """Where in time events fall: a relative intensity for every day of the history.

    Draws event days for many owners at once, each owner with its own active window and rate, by inverting the
    cumulative intensity (one Poisson count per owner, then one uniform per event).
    """

    def __init__(self, first_day: int, last_day: int, intensity: np.ndarray):
        if intensity.size != last_day - first_day + 1:
            raise ValueError("one intensity per day from first_day to last_day is needed")
        self.first_day = first_day
        self.last_day = last_day
        # cumulative[i] = total intensity before day first_day + i; scaled so an average day weighs 1/30.44,
        # which makes `rate` read as events per month.
        daily = intensity / intensity.mean() / DAYS_PER_MONTH
        self.cumulative = np.concatenate(([0.0], np.cumsum(daily)))
        self.grid = np.arange(intensity.size + 1, dtype=float)
        self.bins_per_unit = 4 * DAYS_PER_MONTH  # about four bins per average day

    def exposure(self, start_day: np.ndarray, end_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cumulative intensity at the start and the end (inclusive day) of each window."""
        start = np.clip(np.asarray(start_day, dtype=float) - self.first_day, 0, self.grid[-1])
        stop = np.clip(np.asarray(end_day, dtype=float) + 1 - self.first_day, 0, self.grid[-1])
        stop = np.maximum(stop, start)
        return np.interp(start, self.grid, self.cumulative), np.interp(stop, self.grid, self.cumulative)

    def draw(self, rng: np.random.Generator, start_day: np.ndarray, end_day: np.ndarray,
             rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(owner index, day number) of every event; owner i has on average rate[i] events per average month."""
        low, high = self.exposure(start_day, end_day)
        counts = rng.poisson(np.asarray(rate) * (high - low))
        owner = np.repeat(np.arange(counts.size), counts)
        position = low[owner] + rng.random(owner.size) * (high - low)[owner]
        # The day whose slice of cumulative intensity holds the position.
        day = inverse_cdf(self.cumulative[1:], position, bins_per_unit=self.bins_per_unit)
        return owner, self.first_day + day
