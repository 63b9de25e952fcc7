"""billing_groups: customers billed together, each group in one region with a collector of that region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate import columns as c
from generate.geography import REGION_WEIGHTS, REGIONS
from generate.plan import Plan
from generate.pools import NamePools
from generate.randomness import choose, rng_for
from generate.staff import COLLECTOR, Staff

CUSTOMERS_PER_GROUP = 60
GROUP_KINDS = ("Consolidated Billing", "Household Accounts", "Group Billing", "Payroll Accounts", "Family Office")
MAILBOXES = ("billing", "accounts", "ap", "finance", "invoices")


@dataclass(frozen=True)
class BillingGroups:
    frame: pl.DataFrame
    ids: pl.Series
    region: np.ndarray
    collector: np.ndarray  # employee index, -1: unassigned
    _by_region: list[np.ndarray]

    def pick(self, rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
        """A random group in each row's region."""
        counts = np.array([members.size for members in self._by_region])
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        flat = np.concatenate(self._by_region)
        return flat[offsets[region] + (rng.random(region.size) * counts[region]).astype(np.int64)]


def build_billing_groups(plan: Plan, pools: NamePools, staff: Staff, billed_share: float) -> BillingGroups:
    rng = rng_for(plan.seed, "billing_groups")
    n = max(2 * len(REGIONS), round(plan.n_customers * billed_share / CUSTOMERS_PER_GROUP))
    # Every region gets at least one group, the rest follow the regions' customer shares.
    region = np.concatenate((np.arange(len(REGIONS)), choose(rng, REGION_WEIGHTS, n - len(REGIONS))))
    collector = staff.pick(rng, COLLECTOR, region, np.full(n, plan.end_day))
    collector = np.where(rng.random(n) < 0.03, -1, collector)  # a few groups wait for a collector
    company = rng.integers(0, len(pools.companies), n)
    companies = pl.Series(pools.companies).gather(company)
    domains = pl.Series(pools.companies).str.to_lowercase().str.replace_all("[^a-z]", "").gather(company)
    ids = c.sequence_ids("BG", 1, n, 6)
    frame = c.frame(
        "billing_groups",
        billing_group_id=ids,
        group_name=pl.select(pl.concat_str([
            pl.lit(companies), pl.lit(c.labels(GROUP_KINDS, rng.integers(0, len(GROUP_KINDS), n)).cast(pl.String)),
        ], separator=" ")).to_series(),
        billing_email=c.strings(pl.select(pl.concat_str([
            pl.lit(c.labels(MAILBOXES, rng.integers(0, len(MAILBOXES), n)).cast(pl.String)), pl.lit("@"),
            pl.lit(domains), pl.lit(".com"),
        ])).to_series(), null=rng.random(n) < 0.05),
        collector_id=c.strings(staff.ids.gather(np.maximum(collector, 0)), null=collector < 0),
    )
    by_region = [np.flatnonzero(region == r) for r in range(len(REGIONS))]
    return BillingGroups(frame, ids, region, collector, by_region)
