"""Random streams keyed by (seed, step, chunk), so no step's output depends on which steps ran before it."""

from __future__ import annotations

import hashlib

import numpy as np

SLOTS = 4096  # resolution of category draws: shares are dealt out in 1/4096ths


def step_key(step: str) -> int:
    # Python's hash() is salted per process; a digest keeps the key stable across runs.
    return int.from_bytes(hashlib.blake2b(step.encode(), digest_size=8).digest(), "little")


def rng_for(seed: int, step: str, chunk: int = 0) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, step_key(step), chunk]))


def faker_seed(seed: int, step: str) -> int:
    return int(np.random.SeedSequence([seed, step_key(step)]).generate_state(1)[0])


def choose(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """size category codes drawn with the given (unnormalised) weights."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(weights.size, size=size, p=weights / weights.sum()).astype(np.int16)


def choose_by_group(rng: np.random.Generator, weights: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One category code per row, drawn with the (unnormalised) weight row of the row's group.

    weights is (groups, categories); group holds each row's group index. Each group's shares are dealt out over
    SLOTS equally likely slots (largest remainders first), so a draw is one random slot and one lookup: shares
    are exact to 1/SLOTS, far finer than any of the generator's weights need.
    """
    weights = np.asarray(weights, dtype=float)
    n_groups, n_categories = weights.shape
    shares = weights / weights.sum(axis=1, keepdims=True) * SLOTS
    slots = np.floor(shares).astype(np.int64)
    short = SLOTS - slots.sum(axis=1)
    by_remainder = np.argsort(-(shares - slots), axis=1, kind="stable")
    slots[np.arange(n_groups)[:, None], by_remainder] += np.arange(n_categories)[None, :] < short[:, None]
    table = np.repeat(np.tile(np.arange(n_categories, dtype=np.int16), n_groups), slots.ravel())
    picks = rng.integers(0, SLOTS, group.size)
    picks += np.asarray(group, dtype=np.int64) * SLOTS
    return table[picks]


def inverse_cdf(cumulative: np.ndarray, targets: np.ndarray, bins_per_unit: int) -> np.ndarray:
    """For each target in [0, cumulative[-1]), the first index i with cumulative[i] > target.

    Same answer as np.searchsorted(cumulative, targets, side="right") for a non-decreasing cumulative starting
    above 0, but a lookup table of bins narrows each search to a step or two, which matters for millions of
    unsorted targets.
    """
    n_bins = max(1, int(np.ceil(cumulative[-1] * bins_per_unit)))
    bin_starts = np.arange(n_bins) / bins_per_unit
    last = cumulative.size - 1
    first_candidate = np.minimum(np.searchsorted(cumulative, bin_starts, side="right"), last)
    bins = (targets * bins_per_unit).astype(np.intp)
    np.minimum(bins, n_bins - 1, out=bins)
    index = first_candidate[bins]
    # Walk right past entries at or below the target; bins are narrow, so few rows need more than one step.
    behind = np.flatnonzero(cumulative[index] <= targets)
    while behind.size:
        index[behind] += 1
        still = cumulative[np.minimum(index[behind], last)] <= targets[behind]
        behind = behind[still & (index[behind] < last)]
    return np.minimum(index, last)

