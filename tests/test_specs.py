"""Chart specs are built once per distinct input: equal inputs share one spec, any change builds a new one."""

from __future__ import annotations

from collections import OrderedDict

import altair as alt
import polars as pl
import pyarrow as pa
import pytest

from app import charts, specs
from app import columns as c

REGION, REVENUE = c.text("region", "Region"), c.money("revenue", "Revenue")


@pytest.fixture()
def builds(monkeypatch):
    """The builds of a counting chart builder, from an empty spec cache."""
    monkeypatch.setattr(specs, "_specs", OrderedDict())
    made: list[pl.DataFrame] = []

    def bar(frame: pl.DataFrame, category: c.Col, value: c.Col, *, currency: str) -> alt.Chart:
        made.append(frame)
        return charts.bar(frame, category, value, currency=currency)

    return made, bar


def revenue(north: float) -> pl.DataFrame:
    return pl.DataFrame({"region": ["North", "South"], "revenue": [north, 250.0]})


def test_equal_inputs_share_one_spec_and_any_change_builds_a_new_one(builds):
    made, bar = builds
    first = specs.Chart(bar, revenue(100.0), REGION, REVENUE, currency="USD").spec()
    again = specs.Chart(bar, revenue(100.0), REGION, REVENUE, currency="USD").spec()  # an equal, separate frame
    assert again is first and len(made) == 1
    specs.Chart(bar, revenue(100.5), REGION, REVENUE, currency="USD").spec()
    specs.Chart(bar, revenue(100.0), REGION, c.money("revenue", "Income"), currency="USD").spec()
    specs.Chart(bar, revenue(100.0), REGION, REVENUE, currency="EUR").spec()
    assert len(made) == 4


def test_new_colour_domains_build_a_new_spec(builds, monkeypatch):
    made, bar = builds
    monkeypatch.setattr(charts, "_domains", {"region": ["North", "South"]})
    specs.Chart(bar, revenue(1.0), REGION, REVENUE, currency="USD").spec()
    charts.register_domains({"region": ["East", "North", "South"]})
    specs.Chart(bar, revenue(1.0), REGION, REVENUE, currency="USD").spec()
    assert len(made) == 2


def test_the_spec_carries_the_frame_as_arrow(builds):
    _, bar = builds
    spec = specs.Chart(bar, revenue(100.0), REGION, REVENUE, currency="USD").spec()
    [data] = spec["datasets"].values()
    assert pa.ipc.open_stream(data).read_all().to_pylist() == [{"region": "North", "revenue": 100.0},
                                                               {"region": "South", "revenue": 250.0}]


def test_the_least_recently_used_spec_is_dropped_beyond_the_limit(builds, monkeypatch):
    made, bar = builds
    monkeypatch.setattr(specs, "MAX_SPECS", 2)
    for north in (1.0, 2.0, 1.0, 3.0):  # 1.0 is used again before 3.0 arrives, so 2.0 is the one dropped
        specs.Chart(bar, revenue(north), REGION, REVENUE, currency="USD").spec()
    assert len(made) == 3
    specs.Chart(bar, revenue(1.0), REGION, REVENUE, currency="USD").spec()
    assert len(made) == 3
    specs.Chart(bar, revenue(2.0), REGION, REVENUE, currency="USD").spec()
    assert len(made) == 4


def test_an_argument_that_cannot_be_compared_by_value_is_refused(builds):
    _, bar = builds
    with pytest.raises(TypeError, match="of type object cannot be compared by value"):
        specs.Chart(bar, revenue(1.0), REGION, REVENUE, currency=object()).spec()
