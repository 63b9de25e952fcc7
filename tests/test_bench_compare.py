"""bench/compare.py: DuckDB's views, pandas and SQLite agree on every measure, and a wrong result is caught."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bench.compare import Disagreement, compare
from bench.compare_measures import MEASURES
from warehouse import build


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory) -> Path:
    """A warehouse generated at scale 0.02 (200 customers) and built by the real code paths."""
    from generate import generate

    root = tmp_path_factory.mktemp("compare")
    generate(root / "raw", scale=0.02, seed=7)
    build.build(root / "raw", root / "warehouse.duckdb")
    return root / "warehouse.duckdb"


@pytest.fixture(scope="module")
def figures(tiny_warehouse) -> dict:
    return compare(tiny_warehouse, repeat=1)


@pytest.mark.parametrize("measure", [m.name for m in MEASURES])
def test_every_engine_agrees_on_a_non_empty_result(figures, measure):
    result = figures["measures"][measure]
    assert result["agree"], result["disagreements"]
    assert result["rows"] > 0
    assert set(result["ratios"]) == {"duckdb_app", "pandas", "sqlite"}
    assert all(result[f"{engine}_ms"] > 0 for engine in ("duckdb", "duckdb_app", "pandas", "sqlite"))


def test_the_figures_say_which_duckdb_is_the_headline(figures):
    assert "nothing materialized" in figures["engines"]["duckdb"]
    assert set(figures["load_ms"]) == {"duckdb", "pandas", "sqlite"}
    assert set(figures["targets"]) == {"sqlite", "pandas"}


def test_a_wrong_result_is_named_by_measure_engine_and_row(tiny_warehouse, figures):
    def miscount_first_row(measure: str, engine: str, rows: list[tuple]) -> list[tuple]:
        if measure == "first_contact_resolution" and engine == "pandas":
            month, channel, first_contacts, resolved, fcr = rows[0]
            return [(month, channel, first_contacts + 1, resolved, fcr), *rows[1:]]
        return rows

    # an aging date before the data as-of date also takes the app's other path, the receivables_as_of macro:
    # the planted error must be the only disagreement
    earlier = date.fromisoformat(figures["as_of"]) - timedelta(days=45)
    with pytest.raises(Disagreement) as caught:
        compare(tiny_warehouse, repeat=1, aging_date=earlier, tamper=miscount_first_row)
    message = str(caught.value)
    assert message.count("\n") == 0, message
    assert message.startswith("first_contact_resolution")
    assert "pandas disagrees with duckdb" in message
    assert "row 0 differs in first_contacts" in message
