"""churn_events: one exit per closed account, with the reason decided when the account was closed."""

from __future__ import annotations

import numpy as np
import polars as pl

from generate import columns as c
from generate.accounts import CHURN_REASONS, Accounts
from generate.customers import CustomerChunk
from generate.plan import Plan
from generate.products import Products
from generate.randomness import rng_for

# By reason (Service Issue, High Fees, Better Competitor, Relocation, Life Event).
EXIT_SCORE_MEAN = np.array([1.6, 2.4, 3.0, 3.9, 3.8])
RECOVERY_CHANCE = np.array([0.08, 0.2, 0.12, 0.05, 0.1])  # fee waivers win back the most
SURVEY_ANSWERED = 0.55


def build_churn(plan: Plan, customers: CustomerChunk, accounts: Accounts, products: Products,
                lifetime_fees: np.ndarray, first_number: int) -> pl.DataFrame:
    rng = rng_for(plan.seed, "churn_events", customers.chunk)
    exits = np.flatnonzero(accounts.closed)
    n = exits.size
    reason = accounts.churn_reason[exits]
    score = np.clip(np.round(EXIT_SCORE_MEAN[reason] + 0.8 * rng.standard_normal(n)), 1, 5)
    return c.frame(
        "churn_events",
        churn_id=c.sequence_ids("CH", first_number, n, 9),
        customer_id=customers.ids.gather(accounts.owner[exits]),
        product_id=products.ids.gather(accounts.product[exits]),
        account_id=accounts.ids.gather(exits),
        churn_date=c.dates(accounts.close_day[exits]),
        reason=c.labels(CHURN_REASONS, reason),
        exit_survey_score=c.doubles(score, null=rng.random(n) >= SURVEY_ANSWERED),
        recovered=c.booleans(rng.random(n) < RECOVERY_CHANCE[reason]),
        lifetime_value=c.money(lifetime_fees[exits]),
    )
