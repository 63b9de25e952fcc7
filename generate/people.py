"""Vectorised personal details drawn from the name pools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate.pools import NamePools


@dataclass(frozen=True)
class Names:
    first: pl.Series
    last: pl.Series
    first_plain: pl.Series  # lower case letters only, for e-mail addresses
    last_plain: pl.Series


def _plain(values: tuple[str, ...]) -> pl.Series:
    return pl.Series(values).str.to_lowercase().str.replace_all("[^a-z]", "")


def _popular_first(rng: np.random.Generator, pool_size: int, size: int) -> np.ndarray:
    """Zipf-like picks: a few names are common, most are rare."""
    weights = 1.0 / np.arange(1, pool_size + 1) ** 0.6
    return rng.choice(pool_size, size=size, p=weights / weights.sum())


def draw_names(rng: np.random.Generator, pools: NamePools, female: np.ndarray) -> Names:
    first_pool = pools.female_first + pools.male_first
    first = np.where(female, _popular_first(rng, len(pools.female_first), female.size),
                     len(pools.female_first) + _popular_first(rng, len(pools.male_first), female.size))
    last = _popular_first(rng, len(pools.last), female.size)
    return Names(
        first=pl.Series(first_pool).gather(first),
        last=pl.Series(pools.last).gather(last),
        first_plain=_plain(first_pool).gather(first),
        last_plain=_plain(pools.last).gather(last),
    )


def full_names(names: Names) -> pl.Series:
    return pl.select(pl.concat_str([pl.lit(names.first), pl.lit(names.last)], separator=" ")).to_series()
