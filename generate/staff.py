"""employees: advisors, service agents, collectors and sales staff per region, and the managers they report to.

Also answers "which employee of this role and region, already hired on that day" for every table that names an
employee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from generate import columns as c
from generate.calendar import day_number
from generate.geography import OFFICE_NAMES, REGION_WEIGHTS, REGIONS, draw_offices
from generate.people import draw_names, full_names
from generate.plan import Plan
from generate.pools import NamePools
from generate.randomness import choose, rng_for
from warehouse.contract import EMPLOYEE_ROLES

ADVISOR, SERVICE_AGENT, COLLECTOR, SALES, MANAGER = range(len(EMPLOYEE_ROLES))
# Front-line staff per 10,000 customers, and the department each role reports into.
STAFF_PER_TEN_THOUSAND = {ADVISOR: 30, SERVICE_AGENT: 45, COLLECTOR: 10, SALES: 22}
DEPARTMENTS = ("Wealth Management", "Customer Service", "Collections", "Lending", "Executive")
ROLE_DEPARTMENT = {ADVISOR: 0, SERVICE_AGENT: 1, COLLECTOR: 2, SALES: 3}
STAFF_PER_MANAGER = 12
CERTIFICATIONS = ("CFP", "CFA", "Series 65", "Series 7", "Series 24", "NMLS Licensed",
                  "Customer Service Certified", "Certified Credit & Collections")
NO_CERTIFICATION = len(CERTIFICATIONS)
CERTIFICATION_WEIGHTS = {  # per role, the last weight is "none"
    ADVISOR: [0.35, 0.15, 0.3, 0.2, 0, 0, 0, 0, 0],
    SERVICE_AGENT: [0, 0, 0, 0, 0, 0, 0.2, 0, 0.8],
    COLLECTOR: [0, 0, 0, 0, 0, 0, 0, 0.45, 0.55],
    SALES: [0, 0, 0, 0.35, 0, 0.45, 0, 0, 0.2],
    MANAGER: [0.15, 0.15, 0, 0, 0.35, 0, 0, 0, 0.35],
}
YEARLY_TARGET_MEDIAN = {ADVISOR: 6_000_000, SALES: 2_500_000}  # new money under management / loan volume


@dataclass(frozen=True)
class Staff:
    frame: pl.DataFrame
    ids: pl.Series
    full_names: pl.Series
    role: np.ndarray
    region: np.ndarray
    office: np.ndarray
    hire_day: np.ndarray
    _by_role_region: dict[tuple[int, int], np.ndarray]  # employee indices sorted by hire date

    def pick(self, rng: np.random.Generator, role: int, region: np.ndarray, on_day: np.ndarray) -> np.ndarray:
        """For each row, an employee of the role in the row's region who was hired by on_day (else the longest
        serving one)."""
        picked = np.empty(region.size, dtype=np.int64)
        u = rng.random(region.size)
        for region_code in range(len(REGIONS)):
            rows = np.flatnonzero(region == region_code)
            candidates = self._by_role_region[(role, region_code)]
            hired = np.maximum(np.searchsorted(self.hire_day[candidates], on_day[rows], side="right"), 1)
            picked[rows] = candidates[(u[rows] * hired).astype(np.int64)]
        return picked


def _hire_days(rng: np.random.Generator, plan: Plan, size: int, first_hire: date, share_before: float) -> np.ndarray:
    """Most staff were hired before the history starts; hiring continues, faster as the bank grows."""
    first = day_number(first_hire)
    before = rng.random(size) < share_before
    early = first + rng.random(size) * (plan.history_start_day - first)
    late = plan.history_start_day + np.sqrt(rng.random(size)) * (plan.end_day - plan.history_start_day)
    return np.minimum(np.where(before, early, late).astype(np.int64), plan.end_day)


def build_staff(plan: Plan, pools: NamePools) -> Staff:
    rng = rng_for(plan.seed, "employees")
    role, region = [], []
    for staff_role, per_ten_thousand in STAFF_PER_TEN_THOUSAND.items():
        total = plan.staff_count(per_ten_thousand)
        per_region = np.maximum(1, np.round(total * REGION_WEIGHTS)).astype(int)
        role.append(np.full(per_region.sum(), staff_role))
        region.append(np.repeat(np.arange(len(REGIONS)), per_region))
    role, region = np.concatenate(role), np.concatenate(region)
    department = np.array([ROLE_DEPARTMENT[r] for r in role])

    # Managers: one head per region, and a manager per STAFF_PER_MANAGER staff of a department in a region.
    team = region * len(DEPARTMENTS) + department
    team_sizes = np.bincount(team, minlength=len(REGIONS) * len(DEPARTMENTS))
    # Teams too small for a manager of their own report straight to the region's head.
    managers_per_team = np.where(team_sizes >= 4, np.ceil(team_sizes / STAFF_PER_MANAGER), 0).astype(int)
    manager_team = np.repeat(np.arange(team_sizes.size), managers_per_team)
    head_team = np.arange(len(REGIONS)) * len(DEPARTMENTS) + DEPARTMENTS.index("Executive")
    managers = np.concatenate((head_team, manager_team))
    n_staff, n_managers = role.size, managers.size
    # Managers come first so their ids are the lowest, heads first of all.
    role = np.concatenate((np.full(n_managers, MANAGER), role))
    region = np.concatenate((managers // len(DEPARTMENTS), region))
    department = np.concatenate((managers % len(DEPARTMENTS), department))
    n = role.size

    is_head = np.arange(n) < len(REGIONS)
    supervisor = np.full(n, -1)  # heads report to nobody
    supervisor[len(REGIONS): n_managers] = region[len(REGIONS): n_managers]  # managers report to their head
    # Staff report to one of their team's managers, whose indices are contiguous per team.
    first_manager_of_team = len(REGIONS) + np.concatenate(([0], np.cumsum(managers_per_team)[:-1]))
    pick = (rng.random(n_staff) * managers_per_team[team]).astype(int)
    supervisor[n_managers:] = np.where(managers_per_team[team] > 0, first_manager_of_team[team] + pick,
                                       region[n_managers:])

    hire_day = np.concatenate((_hire_days(rng, plan, n_managers, date(2000, 1, 1), 0.95),
                               _hire_days(rng, plan, n_staff, date(2008, 1, 1), 0.7)))
    office = draw_offices(rng, region)
    office[is_head] = region[is_head] * (len(OFFICE_NAMES) // len(REGIONS))  # heads sit in the main office

    certification = np.full(n, NO_CERTIFICATION)
    for staff_role, weights in CERTIFICATION_WEIGHTS.items():
        rows = np.flatnonzero(role == staff_role)
        certification[rows] = choose(rng, weights, rows.size)
    target = np.zeros(n)
    for staff_role, median in YEARLY_TARGET_MEDIAN.items():
        rows = role == staff_role
        target[rows] = np.round(median * np.exp(0.35 * rng.standard_normal(rows.sum())), -3)
    has_target = np.isin(role, list(YEARLY_TARGET_MEDIAN))

    names = full_names(draw_names(rng, pools, female=rng.random(n) < 0.5))
    ids = c.sequence_ids("E", 1, n, 6)
    frame = c.frame(
        "employees",
        employee_id=ids,
        full_name=names,
        role=c.labels(EMPLOYEE_ROLES, role),
        department=c.labels(DEPARTMENTS, department),
        region=c.labels(REGIONS, region),
        office=c.labels(OFFICE_NAMES, office),
        hire_date=c.dates(hire_day),
        certification=c.labels(CERTIFICATIONS + ("",), certification, null=certification == NO_CERTIFICATION),
        sales_target=c.money(target, null=~has_target),
        supervisor_id=c.strings(ids.gather(np.maximum(supervisor, 0)), null=supervisor < 0),
    )
    by_role_region = {}
    for staff_role in range(len(EMPLOYEE_ROLES)):
        for region_code in range(len(REGIONS)):
            members = np.flatnonzero((role == staff_role) & (region == region_code))
            by_role_region[(staff_role, region_code)] = members[np.argsort(hire_day[members], kind="stable")]
    return Staff(frame, ids, names, role, region, office, hire_day, by_role_region)
