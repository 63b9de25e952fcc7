"""The data-access layer of every page under hostile filters, and row-level security as a property.

Runs each page's `load()` on the SF1 demo warehouse: hostile values are data, never SQL, and never an exception;
a viewer limited to some regions never receives a row of another region, whatever the filters.
"""

from __future__ import annotations

import importlib
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse.gateway import Gateway
from warehouse.queries import PAGES
from warehouse.scope import Scope

REGIONS = ("Midwest", "Northeast", "Southeast", "Southwest", "West")
YEAR = (date(2025, 11, 1), date(2026, 10, 31))

HOSTILE_VALUES = [
    "West' OR '1'='1", "'; DROP TABLE stg_customers; --", "West\"; select 1; --", "$regions", "?", "%", "_",
    "", " ", "west", "WEST", "Ｗｅｓｔ", "West\u0000", "\u202eWest", "<script>alert(1)</script>", "x" * 10_000,
    "NULL", "null", "Retail) or (1=1", "Mass Market\n",
]
HOSTILE_SCOPES = (
    [Scope(*YEAR, regions=(value,)) for value in HOSTILE_VALUES]
    + [Scope(*YEAR, segments=(value,), wealth_tiers=(value,)) for value in HOSTILE_VALUES[:5]]
    + [Scope(*YEAR, regions=tuple(f"Region {i}" for i in range(500)) + ("West",)),
       Scope(date(1900, 1, 1), date(1900, 12, 31)), Scope(date(2999, 1, 1), date(2999, 12, 31)),
       Scope(date(2026, 10, 31), date(2026, 10, 31)), Scope(date(1900, 1, 1), date(2999, 12, 31)),
       Scope(*YEAR, allowed_regions=()), Scope(*YEAR, regions=("West",), allowed_regions=("Midwest",))]
)


@pytest.fixture(scope="module")
def gateway(generated_warehouse):
    opened = Gateway.open(generated_warehouse)
    yield opened
    opened.close()


def _frames(result: object):
    """Every polars frame in a page's data, however nested."""
    if isinstance(result, pl.DataFrame):
        yield result
    elif isinstance(result, dict):
        for value in result.values():
            yield from _frames(value)
    elif isinstance(result, (list, tuple)):
        for value in result:
            yield from _frames(value)


def _load(module: str):
    return importlib.import_module(f"warehouse.queries.{module}").load


@pytest.mark.parametrize("module", list(PAGES))
def test_hostile_filters_are_values_and_never_raise(gateway, module):
    load = _load(module)
    for scope in HOSTILE_SCOPES:
        data = load(gateway, scope)
        for frame in _frames(data):
            if "region" in frame.columns and scope.regions and scope.allowed_regions is None:
                unexpected = set(frame["region"].drop_nulls()) - set(scope.regions)
                assert not unexpected, f"{module} with regions {scope.regions[:3]}: rows of {unexpected}"
    assert gateway.rows("select count(*) from stg_customers")[0][0] == 10_000, "nothing was dropped"


@pytest.mark.parametrize("module", list(PAGES))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allowed=st.sets(st.sampled_from(REGIONS), max_size=3), chosen=st.sets(st.sampled_from(REGIONS + ("Nowhere",))),
       months=st.integers(min_value=1, max_value=36))
def test_a_viewer_never_sees_rows_outside_their_regions(gateway, module, allowed, chosen, months):
    end = YEAR[1]
    start = date(end.year - (months - 1) // 12 - (1 if (months - 1) % 12 >= end.month else 0),
                 (end.month - 1 - (months - 1) % 12) % 12 + 1, 1)
    scope = Scope(start, end, regions=tuple(sorted(chosen)), allowed_regions=tuple(sorted(allowed)))
    for frame in _frames(_load(module)(gateway, scope)):
        if "region" in frame.columns:
            leaked = set(frame["region"].drop_nulls()) - allowed
            assert not leaked, f"{module}: a viewer of {sorted(allowed)} received rows of {sorted(leaked)}"
