"""Chart specs are built once per distinct input: equal inputs share one spec, any change builds a new one."""

from __future__ import annotations

import sys
import types
from collections import OrderedDict

import altair as alt
import polars as pl
import pyarrow as pa
import pytest

from app import charts, specs
from app import columns as c

REGION, REVENUE = c.text("region", "Region"), c.money("revenue", "Revenue")
CHART_PROCESSES = specs.chart_processes  # taken before tests/conftest.py makes every test build specs in-process


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


@pytest.fixture()
def chart_process(monkeypatch):
    """Specs built in one chart process, as the server builds them, from an empty spec cache."""
    monkeypatch.setattr(specs, "_specs", OrderedDict())
    monkeypatch.setattr(specs, "chart_processes", lambda: 1)
    monkeypatch.setattr(specs, "_pool", None)
    yield
    if specs._pool is not None:
        specs._pool.shutdown()


def test_a_spec_built_in_the_chart_process_equals_one_built_here(chart_process, monkeypatch):
    monkeypatch.setattr(charts, "_domains", {"region": ["East", "North", "South"]})
    elsewhere = specs.Chart(charts.bar, revenue(100.0), REGION, REVENUE, color=REGION, currency="USD").spec()
    pool = specs._pool
    assert pool is not None and len(pool._processes) == 1
    [process] = pool._processes.values()
    assert process.is_alive()
    here = specs.build_spec(charts.bar, (revenue(100.0), REGION, REVENUE), {"color": REGION, "currency": "USD"},
                            charts.registered_domains())
    assert elsewhere == here
    assert elsewhere["encoding"]["color"]["scale"]["domain"] == ["East", "North", "South"]  # the server's domains


def test_when_the_chart_process_dies_the_chart_is_still_drawn_and_a_new_process_takes_over(chart_process):
    specs.Chart(charts.bar, revenue(1.0), REGION, REVENUE, currency="USD").spec()
    [process] = specs._pool._processes.values()
    process.kill()
    process.join()
    drawn = specs.Chart(charts.bar, revenue(2.0), REGION, REVENUE, currency="USD").spec()
    assert pa.ipc.open_stream(next(iter(drawn["datasets"].values()))).read_all()["revenue"].to_pylist() == [2.0,
                                                                                                            250.0]
    assert specs._pool is None  # discarded; the next chart starts another
    specs.Chart(charts.bar, revenue(3.0), REGION, REVENUE, currency="USD").spec()
    assert specs._pool is not None and all(p.is_alive() for p in specs._pool._processes.values())


def test_the_chart_process_does_not_run_the_script_of_the_page_run_that_starts_it(chart_process, monkeypatch,
                                                                                tmp_path):
    ran = tmp_path / "ran"
    script = tmp_path / "streamlit_app.py"
    script.write_text(f"open({str(ran)!r}, 'w').close()\n")
    page_run = types.ModuleType("__main__")
    page_run.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page_run)  # as Streamlit sets it while a page runs
    specs.Chart(charts.bar, revenue(1.0), REGION, REVENUE, currency="USD").spec()
    assert all(p.is_alive() for p in specs._pool._processes.values())
    assert not ran.exists()
    assert sys.modules["__main__"] is page_run


@pytest.mark.parametrize(("configured", "processes"), [("", 1), (" 0 ", 0), ("3", 3)])
def test_the_number_of_chart_processes_is_read_from_the_environment(configured, processes, monkeypatch):
    monkeypatch.setenv("CFI_CHART_PROCESSES", configured)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert CHART_PROCESSES() == processes


@pytest.mark.parametrize("configured", ["two", "-1", "1.5"])
def test_a_wrong_number_of_chart_processes_is_refused_naming_the_setting(configured, monkeypatch):
    monkeypatch.setenv("CFI_CHART_PROCESSES", configured)
    with pytest.raises(ValueError, match=rf"CFI_CHART_PROCESSES must be a whole number .*\(got '{configured}'\)"):
        CHART_PROCESSES()
