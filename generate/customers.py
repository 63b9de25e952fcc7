"""customers: who they are, plus the latent traits (never written) that keep every other table's story
consistent: fee sensitivity, a bad service experience, digital affinity, credit quality, payment discipline."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import DAYS_PER_YEAR, month_of_year, weekday
from generate.geography import CITY_NAMES, REGIONS, STATE_CODES, STATE_REGION, STATE_WEIGHTS, draw_cities
from generate.people import draw_names
from generate.plan import Plan
from generate.pools import EMAIL_DOMAINS, NamePools
from generate.randomness import choose, choose_by_group, rng_for
from generate.billing_groups import BillingGroups
from generate.staff import ADVISOR, Staff
from warehouse.contract import SEGMENTS, WEALTH_TIERS

RETAIL, SMALL_BUSINESS, CORPORATE = range(len(SEGMENTS))
MASS_MARKET, AFFLUENT, HIGH_NET_WORTH, ULTRA_HIGH_NET_WORTH = range(len(WEALTH_TIERS))
INCOME_BANDS = ("Under 25K", "25K-50K", "50K-100K", "100K-200K", "200K+")

SEGMENT_SHARE = np.array([0.82, 0.14, 0.04])
# Wealth tier by segment; overall about 60 / 28 / 10 / 2.
TIER_BY_SEGMENT = np.array([
    [0.63, 0.27, 0.085, 0.015],
    [0.45, 0.35, 0.16, 0.04],
    [0.35, 0.33, 0.22, 0.10],
])
INCOME_BY_TIER = np.array([
    [0.22, 0.38, 0.30, 0.09, 0.01],
    [0.03, 0.12, 0.40, 0.35, 0.10],
    [0.01, 0.03, 0.15, 0.41, 0.40],
    [0.00, 0.01, 0.04, 0.20, 0.75],
])
MEAN_AGE_AT_ENROLLMENT = np.array([38.0, 44.0, 50.0, 54.0])
# Share of customers billed for services (and so in a billing group), by segment.
BILLED_SHARE = np.array([0.22, 0.75, 0.90])
EXPECTED_BILLED_SHARE = float(SEGMENT_SHARE @ BILLED_SHARE)
RELATIONSHIP_MANAGER_SHARE = np.array([0.12, 0.6, 0.95, 1.0])  # by tier; business customers always have one
FEE_SENSITIVE_SHARE = np.array([0.45, 0.3, 0.15, 0.08])  # by tier
POOR_SERVICE_SHARE = 0.12
CREDIT_SCORE_BY_INCOME = np.array([615.0, 655.0, 695.0, 735.0, 770.0])

GENDERS = ("Female", "Male", "Non-binary")
OCCUPATIONS_BY_INCOME = (
    ("Student", "Retail Associate", "Food Service Worker", "Cashier", "Caregiver", "Retired"),
    ("Administrative Assistant", "Driver", "Warehouse Worker", "Retail Associate", "Retired", "Technician"),
    ("Teacher", "Nurse", "Accountant", "Technician", "Electrician", "Sales Representative", "Retired"),
    ("Software Engineer", "Engineer", "Project Manager", "Pharmacist", "Attorney", "Consultant"),
    ("Physician", "Executive", "Business Owner", "Attorney", "Investor", "Surgeon"),
)
INDUSTRIES = ("Retail Trade", "Construction", "Professional Services", "Healthcare", "Manufacturing",
              "Technology", "Hospitality", "Real Estate", "Transportation", "Agriculture")
OCCUPATIONS = tuple(dict.fromkeys([o for band in OCCUPATIONS_BY_INCOME for o in band] + list(INDUSTRIES)))
BAND_JOBS = np.array([OCCUPATIONS.index(o) for band in OCCUPATIONS_BY_INCOME for o in band])
BAND_JOB_COUNT = np.array([len(band) for band in OCCUPATIONS_BY_INCOME])
BAND_JOB_START = np.concatenate(([0], np.cumsum(BAND_JOB_COUNT)[:-1]))
INDUSTRY_CODES = np.array([OCCUPATIONS.index(i) for i in INDUSTRIES])

# New customers by month of year (January resolutions, autumn campaigns, quiet December) and day of week.
ENROLLMENT_SEASON = np.array([1.25, 1.05, 1.1, 1.0, 0.95, 0.9, 0.85, 0.9, 1.1, 1.05, 0.95, 0.8])
ENROLLMENT_WEEKDAY = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3])
ENROLLMENT_GROWTH = 0.13  # more new customers every year


def enrollment_days(plan: Plan) -> np.ndarray:
    """Every customer's enrollment day, sorted, so customer numbers follow the order customers joined."""
    rng = rng_for(plan.seed, "enrollment-dates")
    days = np.arange(plan.first_enrollment_day, plan.end_day + 1)
    years = (days - days[0]) / DAYS_PER_YEAR
    intensity = (1 + ENROLLMENT_GROWTH) ** years * ENROLLMENT_SEASON[month_of_year(days) - 1] \
        * ENROLLMENT_WEEKDAY[weekday(days)]
    return np.sort(rng.choice(days, size=plan.n_customers, p=intensity / intensity.sum()))


@dataclass
class CustomerChunk:
    """The customers of one chunk and everything later tables need to know about them."""
    chunk: int
    ids: pl.Series
    region: np.ndarray
    segment: np.ndarray
    tier: np.ndarray
    income: np.ndarray
    age_at_end: np.ndarray
    enrollment_day: np.ndarray
    start_day: np.ndarray  # first day inside the history
    billing_group: np.ndarray  # -1: not billed
    relationship_manager: np.ndarray  # employee index, -1: none
    fee_sensitive: np.ndarray
    poor_service: np.ndarray
    digital_affinity: np.ndarray
    credit_score: np.ndarray
    payment_discipline: np.ndarray
    end_day: np.ndarray = field(default=None)  # last day as a customer, set once accounts are known

    @property
    def size(self) -> int:
        return self.region.size


def build_customers(plan: Plan, pools: NamePools, staff: Staff, groups: BillingGroups, all_enrollment_days: np.ndarray,
                    chunk: int, start: int, stop: int) -> tuple[CustomerChunk, pl.DataFrame]:
    rng = rng_for(plan.seed, "customers", chunk)
    n = stop - start
    enrollment_day = all_enrollment_days[start:stop]
    segment = choose(rng, SEGMENT_SHARE, n)
    tier = choose_by_group(rng, TIER_BY_SEGMENT, segment)
    income = choose_by_group(rng, INCOME_BY_TIER, tier)
    state = choose(rng, STATE_WEIGHTS, n)
    region = STATE_REGION[state]
    city = draw_cities(rng, state)

    age_at_enrollment = np.clip(MEAN_AGE_AT_ENROLLMENT[tier] + 13 * rng.standard_normal(n), 18, 85)
    birth_day = enrollment_day - (age_at_enrollment * DAYS_PER_YEAR).astype(np.int64) - rng.integers(0, 365, n)
    oldest_birth_day = plan.end_day - int(90 * DAYS_PER_YEAR)
    birth_day = np.maximum(birth_day, oldest_birth_day + rng.integers(0, 5 * 365, n))
    age_at_end = (plan.end_day - birth_day) / DAYS_PER_YEAR

    gender = choose(rng, [0.495, 0.495, 0.01], n)
    names = draw_names(rng, pools, female=(gender == 0) | ((gender == 2) & (rng.random(n) < 0.5)))
    email_number = pl.Series(rng.integers(1, 100, n)).cast(pl.String)
    email = pl.select(pl.concat_str([
        pl.lit(names.first_plain), pl.lit("."), pl.lit(names.last_plain),
        # Half the addresses carry a number, as the plain name was taken.
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.5))).then(pl.lit(email_number)).otherwise(pl.lit("")),
        pl.lit("@"), pl.lit(c.labels(EMAIL_DOMAINS, choose(rng, [30, 14, 14, 10, 8, 3, 2], n)).cast(pl.String)),
    ])).to_series()
    phone = pl.select(pl.format(
        "({}) {}-{}", pl.lit(pl.Series(rng.integers(201, 990, n))), pl.lit(pl.Series(rng.integers(200, 1000, n))),
        pl.lit(pl.Series(rng.integers(0, 10_000, n)).cast(pl.String).str.zfill(4)),
    )).to_series()

    # Occupation: a job matching the income band for people, an industry for business customers.
    job = BAND_JOB_START[income] + (rng.random(n) * BAND_JOB_COUNT[income]).astype(int)
    industry = INDUSTRY_CODES[rng.integers(0, len(INDUSTRIES), n)]
    occupation = np.where(segment == RETAIL, BAND_JOBS[job], industry)

    billed = rng.random(n) < BILLED_SHARE[segment]
    billing_group = np.where(billed, groups.pick(rng, region), -1)
    has_manager = (rng.random(n) < RELATIONSHIP_MANAGER_SHARE[tier]) | (segment != RETAIL)
    manager = np.where(has_manager, staff.pick(rng, ADVISOR, region, np.full(n, plan.end_day)), -1)

    young = np.clip((70 - age_at_end) / 40, 0.15, 1.3)
    customers = CustomerChunk(
        chunk=chunk,
        ids=c.sequence_ids("C", start + 1, n, 8),
        region=region,
        segment=segment,
        tier=tier,
        income=income,
        age_at_end=age_at_end,
        enrollment_day=enrollment_day,
        start_day=np.maximum(enrollment_day, plan.history_start_day),
        billing_group=billing_group,
        relationship_manager=manager,
        fee_sensitive=rng.random(n) < FEE_SENSITIVE_SHARE[tier] + 0.05 * (income <= 1),
        poor_service=rng.random(n) < POOR_SERVICE_SHARE,
        digital_affinity=young * np.exp(0.45 * rng.standard_normal(n)),
        credit_score=np.clip(CREDIT_SCORE_BY_INCOME[income] + 55 * rng.standard_normal(n), 300, 850),
        payment_discipline=0.35 * (income - 2) + rng.standard_normal(n),
    )
    no_state = rng.random(n) < 0.01
    frame = c.frame(
        "customers",
        customer_id=customers.ids,
        first_name=names.first,
        last_name=names.last,
        email=c.strings(email, null=rng.random(n) < 0.04),
        phone=c.strings(phone, null=rng.random(n) < 0.03),
        birth_date=c.dates(birth_day, null=rng.random(n) < 0.01),
        gender=c.labels(GENDERS, gender, null=rng.random(n) < 0.01),
        city=c.labels(CITY_NAMES, city, null=no_state),
        state=c.labels(STATE_CODES, state, null=no_state),
        region=c.labels(REGIONS, region),
        segment=c.labels(SEGMENTS, segment),
        wealth_tier=c.labels(WEALTH_TIERS, tier),
        income_band=c.labels(INCOME_BANDS, income, null=rng.random(n) < 0.02),
        occupation=c.labels(OCCUPATIONS, occupation, null=rng.random(n) < 0.03),
        enrollment_date=c.dates(enrollment_day),
        billing_group_id=c.strings(groups.ids.gather(np.maximum(billing_group, 0)), null=billing_group < 0),
        relationship_manager_id=c.strings(staff.ids.gather(np.maximum(manager, 0)), null=manager < 0),
    )
    return customers, frame
