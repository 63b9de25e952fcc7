"""Small pools of names built with Faker; every row samples from them with numpy."""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

from generate.randomness import faker_seed

POOL_SIZE = 400
# Faker en_US only knows three free-mail domains; the market has a few more big ones.
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", "proton.me")


@dataclass(frozen=True)
class NamePools:
    female_first: tuple[str, ...]
    male_first: tuple[str, ...]
    last: tuple[str, ...]
    companies: tuple[str, ...]


def _unique(make, size: int) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    attempts = 0
    while len(seen) < size and attempts < size * 4:
        seen[make()] = None
        attempts += 1
    return tuple(seen)


def build_pools(seed: int) -> NamePools:
    # Uniform picks from Faker's name lists are enough: the rows weight the pool themselves.
    fake = Faker("en_US", use_weighting=False)
    fake.seed_instance(faker_seed(seed, "name-pools"))
    return NamePools(
        female_first=_unique(fake.first_name_female, POOL_SIZE),
        male_first=_unique(fake.first_name_male, POOL_SIZE),
        last=_unique(fake.last_name, POOL_SIZE),
        companies=_unique(fake.company, POOL_SIZE),
    )
