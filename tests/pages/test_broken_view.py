"""A view broken after the build (an analyst's typo, a dropped table): the gateway names the object to repair, the
pages reading it say so with the command that restores it, every other page works, and no failure is cached."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.pages.conftest import metrics, rerun
from warehouse import build
from warehouse.gateway import Gateway, ViewFailed

# The analyst meant to relabel the bands and cast the label instead of its start: fails on every row at query time.
TYPO = """create or replace view credit_score_distribution as
select cast(credit_score_band as integer) as credit_score_band, credit_score_band_start, region, segment, wealth_tier,
       count(*) as customers
from latest_risk_assessment
group by all"""
# The band DuckDB meets first varies with its threads.
TYPO_ERROR = (r"Conversion Error: Could not convert string '\d{3}-\d{3}' to INT32 when casting from source column "
              "credit_score_band")


@pytest.fixture(scope="module")
def intact(tmp_path_factory) -> Path:
    """A complete warehouse from tiny generated data: every page has something to show."""
    from generate import generate

    root = tmp_path_factory.mktemp("intact")
    generate(root / "raw", scale=0.02, seed=7)
    db = root / "warehouse.duckdb"
    build.build(root / "raw", db)
    return db


def changed_by_hand(intact: Path, directory: Path, *statements: str) -> Path:
    """A copy of the warehouse opened writable and changed, as someone fixing a view in place would."""
    directory.mkdir(exist_ok=True)
    db = directory / "warehouse.duckdb"
    shutil.copyfile(intact, db)
    con = duckdb.connect(str(db))
    for statement in statements:
        con.execute(statement)
    con.close()
    return db


def error_shown(app) -> str:
    assert not app.exception, f"an exception box instead of a message: {app.exception[0].value}"
    assert len(app.error) == 1, [e.value for e in app.error]
    return app.error[0].value


# ---------------------------------------------------------------- the gateway names the object to repair

def test_a_query_over_a_view_with_a_typo_names_that_view(intact, tmp_path):
    gateway = Gateway.open(changed_by_hand(intact, tmp_path, TYPO))
    with pytest.raises(ViewFailed) as raised:
        gateway.frame("select sum(customers) from credit_score_distribution where region = ?", ["West"])
    assert list(raised.value.broken) == ["credit_score_distribution"]
    kind, error = raised.value.broken["credit_score_distribution"]
    assert kind == "view" and re.fullmatch(TYPO_ERROR, error)
    assert raised.value.reads == ("credit_score_distribution",)
    assert re.fullmatch(TYPO_ERROR, raised.value.reason)
    assert re.fullmatch(f"the warehouse view credit_score_distribution fails: {TYPO_ERROR} "
                        r"\(the query reads credit_score_distribution\)", str(raised.value))


def test_the_broken_view_is_found_upstream_of_the_one_queried(intact, tmp_path):
    """fraud_cases_monthly itself is fine; the staging view under it reads a table that is gone."""
    gateway = Gateway.open(changed_by_hand(intact, tmp_path, "drop table fraud_cases"))
    with pytest.raises(ViewFailed) as raised:
        gateway.rows("select count(*) from fraud_cases_monthly")
    assert raised.value.broken == {
        "stg_fraud_cases": ("view", "Catalog Error: Table with name fraud_cases does not exist!")}
    assert raised.value.reads == ("fraud_cases_monthly",)


def test_queries_not_reading_the_broken_view_keep_working(intact, tmp_path):
    gateway = Gateway.open(changed_by_hand(intact, tmp_path, TYPO))
    expected = Gateway.open(intact).rows("select count(*), sum(credit_score) from latest_risk_assessment")
    assert expected[0][0] > 0
    assert gateway.rows("select count(*), sum(credit_score) from latest_risk_assessment") == expected


def test_a_wrong_query_over_working_views_is_not_blamed_on_them(intact):
    gateway = Gateway.open(intact)
    with pytest.raises(duckdb.BinderException, match='Referenced column "no_such_column" not found') as raised:
        gateway.rows("select no_such_column from credit_score_distribution")
    assert not isinstance(raised.value, ViewFailed)


def test_a_view_changed_by_hand_changes_the_cache_version_though_the_build_id_stays(intact, tmp_path):
    db = changed_by_hand(intact, tmp_path)
    before = Gateway.open(db)
    before.close()
    con = duckdb.connect(str(db))  # in place: the same file, its inode unchanged
    con.execute(TYPO)
    con.close()
    after = Gateway.open(db)
    assert after.build_info.build_id == before.build_info.build_id
    assert after.version != before.version, "results cached from the file before the change would be served"


# ---------------------------------------------------------------- the app shows it

def test_a_page_reading_the_broken_view_names_it_and_the_command_that_restores_it(intact, tmp_path, open_page):
    db = changed_by_hand(intact, tmp_path, TYPO)
    app = open_page(db, "pages/risk.py")
    message = error_shown(app)
    assert "the warehouse view `credit_score_distribution` it reads fails" in message
    assert re.search(rf"fails \({TYPO_ERROR}\)\. It was probably changed, or added to sql/, after the warehouse "
                     "was built", message)
    assert [c.value for c in app.code] == [f"python -m warehouse views --db {db}"]


def test_a_dropped_table_names_the_view_that_reads_it(intact, tmp_path, open_page):
    app = open_page(changed_by_hand(intact, tmp_path, "drop table fraud_cases"), "pages/risk.py")
    assert "the warehouse view `stg_fraud_cases` it reads fails (Catalog Error: Table with name fraud_cases does " \
           "not exist!)" in error_shown(app)


def test_a_view_every_page_reads_stops_every_page_with_the_message(intact, tmp_path, open_page):
    """The shared filters read stg_customers before any page runs."""
    db = changed_by_hand(intact, tmp_path, "create or replace view stg_customers as "
                                           "select * replace (cast(customer_id as integer) as region) from customers")
    for page in ("pages/overview.py", "pages/data_and_measures.py"):
        assert "the warehouse view `stg_customers` it reads fails" in error_shown(open_page(db, page))


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/digital.py", "pages/operations.py"])
def test_pages_not_reading_the_broken_view_show_exactly_what_they_show_on_the_intact_warehouse(
        intact, tmp_path, open_page, page):
    expected = open_page(intact, page)
    shown = open_page(changed_by_hand(intact, tmp_path, TYPO), page)
    assert not shown.exception and not shown.error
    assert metrics(expected), f"{page} shows no figures to compare"
    assert metrics(shown) == metrics(expected)
    assert [t.value for t in shown.title] == [t.value for t in expected.title]


def test_a_failure_is_not_cached_and_a_view_repaired_by_hand_shows_at_once(intact, tmp_path, open_page):
    db = changed_by_hand(intact, tmp_path, TYPO)
    app = open_page(db, "pages/risk.py")
    first = error_shown(app)
    assert "credit_score_distribution" in first
    rerun(app)  # same session, same file, same cache keys: a cached failure (or empty result) would show now
    assert error_shown(app) == first
    repaired = changed_by_hand(db, tmp_path / "repair", *intact_definition(intact, "credit_score_distribution"))
    os.replace(repaired, db)  # fixed by hand, as it was broken: the build id stays the same
    rerun(app)
    assert not app.exception and not app.error
    assert metrics(app) == metrics(open_page(intact, "pages/risk.py"))


def intact_definition(intact: Path, view: str) -> list[str]:
    con = duckdb.connect(str(intact), read_only=True)
    (sql,), = con.execute("select sql from duckdb_views() where view_name = ?", [view]).fetchall()
    con.close()
    return [f"drop view {view}", sql]


def test_a_view_added_to_sql_after_the_build_is_named_with_the_command_that_adds_it(intact, tmp_path, open_page):
    """A warehouse built by an older version of the app lacks a view the pages now read (here: as if sales_monthly
    had been added since): the page says which and how to bring the views up to date, not a raw catalog error."""
    db = changed_by_hand(intact, tmp_path, "drop table sales_monthly",
                         "delete from meta.sql_objects where name = 'sales_monthly'",
                         "delete from meta.sql_dependencies where 'sales_monthly' in (name, depends_on)")
    with pytest.raises(ViewFailed, match="view sales_monthly fails: it is not in this warehouse, which was built "
                                         "before sql/ defined it"):
        Gateway.open(db).frame("select sum(sales) from sales_monthly")
    app = open_page(db, "pages/operations.py")
    assert "the warehouse view `sales_monthly` it reads fails (it is not in this warehouse" in error_shown(app)
    assert [c.value for c in app.code] == [f"python -m warehouse views --db {db}"]
