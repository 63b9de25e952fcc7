"""Scope: the period arithmetic and the WHERE clauses every page query is built from."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from warehouse.scope import Scope, add_months

YEAR = Scope(date(2025, 11, 1), date(2026, 10, 31))


def test_the_previous_period_of_whole_months_is_the_same_number_of_whole_months():
    assert YEAR.months == 12
    assert (YEAR.previous().start, YEAR.previous().end) == (date(2024, 11, 1), date(2025, 10, 31))
    quarter = Scope(date(2024, 1, 1), date(2024, 3, 31))
    assert (quarter.previous().start, quarter.previous().end) == (date(2023, 10, 1), date(2023, 12, 31))


def test_the_previous_period_of_arbitrary_days_has_the_same_length():
    days = Scope(date(2024, 3, 10), date(2024, 3, 19))
    previous = days.previous()
    assert (previous.start, previous.end) == (date(2024, 2, 29), date(2024, 3, 9))
    assert previous.end - previous.start == days.end - days.start


def test_add_months_clips_to_shorter_months():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 15), -13) == date(2022, 12, 15)


def test_a_reversed_period_is_refused():
    with pytest.raises(ValueError, match="starts"):
        Scope(date(2024, 2, 1), date(2024, 1, 1))


def _kept(scope: Scope, **columns) -> list[str]:
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('a', 'West', 'Retail', 'Affluent', date '2026-01-01'), "
                "('b', 'East', 'Retail', 'Affluent', date '2026-02-01'), "
                "('c', 'West', 'Corporate', 'Affluent', date '2020-01-01')) v(id, region, segment, wealth_tier, month)")
    clause = scope.where(month="month", **columns)
    used = {k: v for k, v in clause.params.items() if f"${k}" in clause.sql}
    return [r[0] for r in con.execute(f"select id from t where {clause.sql} order by id", used).fetchall()]


def test_where_keeps_the_period_and_chosen_groups_only():
    assert _kept(YEAR) == ["a", "b"]
    assert _kept(Scope(YEAR.start, YEAR.end, regions=("West",))) == ["a"]
    assert _kept(Scope(date(2019, 1, 1), YEAR.end, segments=("Corporate",))) == ["c"]


def test_row_level_security_applies_on_top_of_the_chosen_regions():
    limited = Scope(YEAR.start, YEAR.end, allowed_regions=("East",))
    assert _kept(limited) == ["b"]
    assert _kept(Scope(YEAR.start, YEAR.end, regions=("West",), allowed_regions=("East",))) == []
    assert _kept(Scope(YEAR.start, YEAR.end, allowed_regions=())) == [], "no regions allowed: nothing"
    with pytest.raises(ValueError, match="region column"):
        limited.where(region=None)


def test_a_viewer_limited_to_segments_sees_only_those_and_views_without_segments_are_refused():
    retail = Scope(date(2019, 1, 1), YEAR.end, allowed_segments=("Retail",))
    assert _kept(retail) == ["a", "b"]
    assert _kept(Scope(date(2019, 1, 1), YEAR.end, allowed_regions=("West",), allowed_segments=("Corporate",))) \
        == ["c"], "both limits at once"
    assert _kept(Scope(date(2019, 1, 1), YEAR.end, segments=("Corporate",), allowed_segments=("Retail",))) == []
    assert _kept(Scope(date(2019, 1, 1), YEAR.end, allowed_segments=())) == [], "no segments allowed: nothing"
    with pytest.raises(ValueError, match="without a segment column cannot be shown to a viewer limited to segments"):
        retail.where(segment=None)
    assert "Retail" not in retail.where().sql, "a bound parameter, not SQL text"


def test_a_restricted_scope_is_one_with_any_limit():
    assert not YEAR.restricted
    assert Scope(YEAR.start, YEAR.end, allowed_regions=()).restricted
    assert Scope(YEAR.start, YEAR.end, allowed_segments=("Retail",)).restricted


def test_hostile_values_are_data_not_sql():
    hostile = Scope(YEAR.start, YEAR.end, regions=("West' or '1'='1", "'); drop table t; --"))
    assert _kept(hostile) == []
    assert "West" not in hostile.where().sql


def test_narrowing_never_widens_a_choice():
    west = Scope(YEAR.start, YEAR.end, regions=("West", "East"))
    assert west.narrowed(regions="West").regions == ("West",)
    assert _kept(west.narrowed(regions=["North"])) == [], "a region outside the choice shows nothing, not all"
    assert Scope(YEAR.start, YEAR.end).narrowed(regions=None).regions == ()


def test_visible_regions_combines_choice_and_permission():
    assert YEAR.visible_regions() is None
    assert Scope(YEAR.start, YEAR.end, regions=("West",)).visible_regions() == ["West"]
    assert Scope(YEAR.start, YEAR.end, allowed_regions=("East",)).visible_regions() == ["East"]


def test_visible_segments_combines_choice_and_permission():
    assert YEAR.visible_segments() is None
    assert Scope(YEAR.start, YEAR.end, segments=("Retail",)).visible_segments() == ["Retail"]
    limited = Scope(YEAR.start, YEAR.end, segments=("Retail", "Corporate"), allowed_segments=("Corporate",))
    assert limited.visible_segments() == ["Corporate"]
    assert Scope(YEAR.start, YEAR.end, allowed_segments=()).visible_segments() == [], "an empty list: nothing"
