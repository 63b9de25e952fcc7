"""marketing_campaigns and campaign_contacts.

A few campaigns each quarter, each aimed at a segment (or everyone) on one channel. A campaign contacts a share
of the customers of its segment who were customers when it started; a few respond, fewer convert, and only
conversions bring revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import month_number, month_start
from generate.customers import SEGMENT_SHARE, CustomerChunk
from generate.plan import Plan
from generate.randomness import choose, rng_for
from warehouse.contract import SEGMENTS

CHANNELS = ("Email", "SMS", "Direct Mail", "Social", "Phone")
EMAIL, SMS, DIRECT_MAIL, SOCIAL, PHONE = range(len(CHANNELS))
CHANNEL_SHARE = [0.35, 0.2, 0.15, 0.2, 0.1]
REACH_BY_CHANNEL = np.array([1.0, 0.7, 0.3, 0.6, 0.15])  # relative share of the audience contacted
COST_PER_CONTACT = np.array([0.05, 0.15, 1.2, 0.8, 6.0])
RESPONSE_BY_CHANNEL = np.array([0.09, 0.1, 0.06, 0.07, 0.2])
DIGITAL_CHANNEL = np.isin(np.arange(len(CHANNELS)), [EMAIL, SMS, SOCIAL])
CONVERSION_OF_RESPONDERS = np.array([0.3, 0.25, 0.3, 0.2, 0.4])
REVENUE_BY_TIER = np.array([400.0, 1_500.0, 5_000.0, 15_000.0])  # first-year value of the sale
TARGET_WEIGHTS = [0.5, 0.2, 0.1, 0.2]  # Retail, Small Business, Corporate, everyone
EVERYONE = len(SEGMENTS)
CONTACTS_PER_CUSTOMER = 2.0  # over the whole history, on average
ACTIVE_SHARE = 0.6  # rough share of a segment that is a customer when a campaign starts
THEMES = ("Spring Savings Boost", "Retirement Ready", "Wealth Review", "Card Rewards", "Home Loan Offer",
          "Business Growth", "Digital Banking Switch", "Year-End Investing", "Refer a Friend", "Premium Upgrade")


@dataclass(frozen=True)
class Campaigns:
    frame: pl.DataFrame
    ids: pl.Series
    channel: np.ndarray
    target: np.ndarray  # segment code, EVERYONE for untargeted campaigns
    start_day: np.ndarray
    end_day: np.ndarray
    reach: np.ndarray  # chance an eligible customer is contacted


def build_campaigns(plan: Plan) -> Campaigns:
    rng = rng_for(plan.seed, "marketing_campaigns")
    months = plan.months
    quarters = np.unique(months - months % 3)
    per_quarter = plan.campaigns_per_quarter
    quarter = np.repeat(quarters, per_quarter)
    n = quarter.size
    quarter_start = np.maximum(month_start(quarter), plan.history_start_day)
    start_day = quarter_start + (rng.random(n) * np.minimum(75, plan.end_day - quarter_start)).astype(np.int64)
    order = np.lexsort((start_day,))
    quarter, start_day = quarter[order], start_day[order]
    end_day = np.minimum(start_day + rng.integers(14, 61, n), plan.end_day)
    channel = choose(rng, CHANNEL_SHARE, n)
    target = choose(rng, TARGET_WEIGHTS, n)
    audience_share = np.append(SEGMENT_SHARE, 1.0)[target]
    # Scale reach so customers get about CONTACTS_PER_CUSTOMER contacts over the history at any scale.
    weight = REACH_BY_CHANNEL[channel]
    reach = np.minimum(weight * CONTACTS_PER_CUSTOMER / (weight * audience_share * ACTIVE_SHARE).sum(), 0.9)
    expected_contacts = reach * audience_share * ACTIVE_SHARE * plan.n_customers
    creative = rng.uniform(1_000, 5_000, n) * np.sqrt(max(plan.scale, 0.1))  # design and set-up, bigger for big runs
    budget = np.round(expected_contacts * COST_PER_CONTACT[channel] + creative, -2)

    year = month_number(start_day) // 12 + 1970
    quarter_of_year = month_number(start_day) % 12 // 3 + 1
    ids = c.sequence_ids("MC", 1, n, 5)
    frame = c.frame(
        "marketing_campaigns",
        campaign_id=ids,
        campaign_name=pl.select(pl.format(
            "{} Q{} {}", pl.lit(c.labels(THEMES, rng.integers(0, len(THEMES), n)).cast(pl.String)),
            pl.lit(pl.Series(quarter_of_year)), pl.lit(pl.Series(year)),
        )).to_series(),
        channel=c.labels(CHANNELS, channel),
        target_segment=c.labels(SEGMENTS + ("",), target, null=target == EVERYONE),
        start_date=c.dates(start_day),
        end_date=c.dates(end_day),
        budget=c.money(budget),
    )
    return Campaigns(frame, ids, channel, target, start_day, end_day, reach)


def build_contacts(plan: Plan, customers: CustomerChunk, campaigns: Campaigns) -> pl.DataFrame:
    rng = rng_for(plan.seed, "campaign_contacts", customers.chunk)
    campaign_parts, customer_parts = [], []
    # A loop over campaigns (a few hundred at most), each vectorised over the chunk's customers.
    for index in range(campaigns.channel.size):
        start = campaigns.start_day[index]
        eligible = (customers.enrollment_day < start) & (customers.end_day >= start)
        if campaigns.target[index] != EVERYONE:
            eligible &= customers.segment == campaigns.target[index]
        chosen = np.flatnonzero(eligible & (rng.random(customers.size) < campaigns.reach[index]))
        campaign_parts.append(np.full(chosen.size, index))
        customer_parts.append(chosen)
    campaign = np.concatenate(campaign_parts) if campaign_parts else np.zeros(0, dtype=np.int64)
    owner = np.concatenate(customer_parts) if customer_parts else np.zeros(0, dtype=np.int64)
    n = owner.size

    start = campaigns.start_day[campaign]
    last = np.minimum(campaigns.end_day[campaign], customers.end_day[owner])
    day = start + (rng.random(n) * (last - start + 1)).astype(np.int64)
    channel = campaigns.channel[campaign]
    affinity = np.where(DIGITAL_CHANNEL[channel], np.sqrt(customers.digital_affinity[owner]), 1.0)
    responded = rng.random(n) < np.clip(RESPONSE_BY_CHANNEL[channel] * affinity, 0.02, 0.35)
    converted = responded & (rng.random(n) < CONVERSION_OF_RESPONDERS[channel])
    revenue = np.where(converted, REVENUE_BY_TIER[customers.tier[owner]] * np.exp(0.7 * rng.standard_normal(n)), 0)
    return c.frame(
        "campaign_contacts",
        campaign_id=campaigns.ids.gather(campaign),
        customer_id=customers.ids.gather(owner),
        contacted_date=c.dates(day),
        responded=c.booleans(responded),
        converted=c.booleans(converted),
        revenue=c.money(revenue),
    )
