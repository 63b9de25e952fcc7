"""risk_assessments: about one credit review per customer per year while they are a customer.

The score drifts around the customer's income-driven credit quality, drops after a loan default and is a little
worse when unemployment is high; the default probability and the risk level follow from the score.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.credit import default_probability
from generate.customers import CustomerChunk
from generate.market import Market
from generate.plan import Plan
from generate.randomness import rng_for
from generate.runs import cumulative_within, positions
from warehouse.contract import RISK_LEVELS

LOW_RISK_BELOW, HIGH_RISK_FROM = 0.02, 0.08  # default probability thresholds
DAYS_BETWEEN = 365
DEFAULT_PENALTY = 90  # score points lost after a loan default
SCORE_DRIFT = 18  # points per review


def build_risk(plan: Plan, customers: CustomerChunk, first_default_day: np.ndarray, market: Market,
               first_number: int) -> pl.DataFrame:
    rng = rng_for(plan.seed, "risk_assessments", customers.chunk)
    first = customers.start_day + rng.integers(0, DAYS_BETWEEN, customers.size)
    span = customers.end_day - first
    counts = np.where(span >= 0, span // DAYS_BETWEEN + 1, 0)
    owner = np.repeat(np.arange(customers.size), counts)
    n = owner.size
    day = first[owner] + positions(counts) * DAYS_BETWEEN + rng.integers(-30, 31, n)
    day = np.clip(day, customers.start_day[owner], customers.end_day[owner])

    walk = cumulative_within(SCORE_DRIFT * rng.standard_normal(n), counts)  # each customer's own random walk
    unemployment = market.unemployment_on(day)
    score = customers.credit_score[owner] + walk - DEFAULT_PENALTY * (day >= first_default_day[owner]) \
        - 400 * np.maximum(unemployment - 0.04, 0)
    score = np.clip(np.round(score), 300, 850)
    probability = np.round(default_probability(score), 4)
    level = np.where(probability < LOW_RISK_BELOW, 0, np.where(probability < HIGH_RISK_FROM, 1, 2))
    return c.frame(
        "risk_assessments",
        assessment_id=c.sequence_ids("RA", first_number, n, 9),
        customer_id=customers.ids.gather(owner),
        assessed_on=c.dates(day),
        credit_score=c.integers(score),
        default_probability=c.doubles(probability),
        risk_level=c.labels(RISK_LEVELS, level),
    )
