"""Random streams keyed by (seed, step, chunk), so no step's output depends on which steps ran before it."""

from __future__ import annotations

import hashlib

import numpy as np


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

    weights is (groups, categories); group holds each row's group index.
    """
    cumulative = np.cumsum(np.asarray(weights, dtype=float), axis=1)
    cumulative /= cumulative[:, -1:]
    n_groups, n_categories = cumulative.shape
    # Shift group g's cumulative distribution to [g, g+1] so one searchsorted serves every group at once.
    shifted = (cumulative + np.arange(n_groups)[:, None]).ravel()
    u = rng.random(group.size) + group
    codes = np.searchsorted(shifted, u, side="right") - group.astype(np.int64) * n_categories
    return np.minimum(codes, n_categories - 1).astype(np.int16)


def lognormal(rng: np.random.Generator, median, sigma, size: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))
