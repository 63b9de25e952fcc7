"""Helpers for rows stored as runs, one run per owner (an owner's accounts, reviews, bills...)."""

from __future__ import annotations

import numpy as np


def run_starts(counts: np.ndarray) -> np.ndarray:
    """Index of the first row of each owner's run (owners with no rows included)."""
    return np.cumsum(counts) - counts


def positions(counts: np.ndarray) -> np.ndarray:
    """Each row's position inside its run: 0, 1, 2... restarting for every owner."""
    return np.arange(int(counts.sum())) - np.repeat(run_starts(counts), counts)


def cumulative_within(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running sum that restarts at every owner's first row."""
    total = np.cumsum(values)
    return total - np.repeat(total[run_starts(counts)[counts > 0]] - values[run_starts(counts)[counts > 0]],
                             counts[counts > 0])
