"""Data & measures page: the warehouse's status, the catalog with each object's columns, who uses it, a preview."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from tests.factories import row
from tests.pages.conftest import fixture_warehouse, metrics
from warehouse import build, catalog as sql_catalog, settings
from warehouse.gateway import Gateway
from warehouse.queries import catalog
from warehouse.scope import Scope

PAGE = "pages/data_and_measures.py"
AS_OF = date(2024, 6, 30)
REGIONS = ("West", "Midwest")

ROWS = {
    # 120 customers, so a preview shows its limit of 100 rows
    "customers": [row("customers", customer_id=f"C{i:03d}", region=REGIONS[i % 2]) for i in range(120)],
    "products": [row("products")],
    "enrollments": [row("enrollments", account_id="A1", customer_id="C000", open_date=date(2023, 1, 15))],
    "account_balances": [
        row("account_balances", account_id="A1", month_end=date(2024, m, d), balance=1000 + m)
        for m, d in ((4, 30), (5, 31), (6, 30))
    ],
}
SCOPE = Scope(date(2023, 7, 1), AS_OF)


@pytest.fixture(scope="module")
def warehouse_file(tmp_path_factory):
    return fixture_warehouse(tmp_path_factory.mktemp("catalog"), ROWS, as_of=AS_OF)


@pytest.fixture(scope="module")
def db(warehouse_file):
    return Gateway.open(warehouse_file)


def header(name: str) -> sql_catalog.SqlObject:
    return next(o for o in build.load_catalog() if o.name == name)


# ---------------------------------------------------------------------------------------------- queries

def test_columns_of_a_view_with_types_and_the_descriptions_of_its_header(db):
    detail = catalog.load(db, SCOPE, view="aum_monthly")["detail"]
    columns = detail["columns"]
    assert columns["column_name"].to_list() == list(header("aum_monthly").columns)
    described = dict(columns.select("column_name", "description").iter_rows())
    assert described["month_end"] == "Month end of the snapshot."
    assert dict(columns.select("column_name", "data_type").iter_rows())["month_end"] == "DATE"
    assert detail["reads"] == ["wealth_account_months"]
    assert "aum_forecast_for" in detail["read_by"]
    assert detail["documented"]


def test_pages_using_a_view_directly_and_through_other_views(db):
    listing = catalog.load(db, SCOPE)["catalog"]
    by_name = {r["name"]: r for r in listing.iter_rows(named=True)}
    assert "Overview" in by_name["aum_monthly"]["pages"].split(", ")
    # Overview reads aum_monthly, which reads wealth_account_months
    assert "Overview" in by_name["wealth_account_months"]["pages_through"].split(", ")
    assert "Overview" not in by_name["wealth_account_months"]["pages"].split(", ")
    assert listing.height == len(build.load_catalog())
    assert listing["answers"].str.len_chars().min() > 0
    assert listing["area"].to_list()[-1] == "staging"  # measures first, source tables renamed last


def test_only_names_in_the_strings_of_a_module_count(tmp_path):
    (tmp_path / "overview.py").write_text('"""Reads aum_monthly_extra."""\nsql = f"select * from aum_monthly"\n')
    (tmp_path / "wealth.py").write_text("aum_monthly = 1  # a Python name, not a query\n")
    users = catalog.direct_users(["aum_monthly", "aum_forecast"], tmp_path,
                                 {"overview": "Overview", "wealth": "Wealth & products", "risk": "Risk"})
    assert users == {"aum_monthly": ["Overview"], "aum_forecast": []}


def test_preview_shows_at_most_a_hundred_rows(db):
    detail = catalog.load(db, SCOPE, view="stg_customers")["detail"]
    assert detail["preview"].height == catalog.PREVIEW_ROWS == 100
    three = catalog.load(db, SCOPE, view="aum_monthly")["detail"]["preview"]
    assert three.height == 3  # one account at three month ends
    assert sorted(three["aum"].to_list()) == [1004, 1005, 1006]


def test_preview_follows_the_sidebar_groups_and_the_viewers_regions(db):
    west = catalog.load(db, Scope(date(2023, 7, 1), AS_OF, regions=("West",)), view="stg_customers")["detail"]
    assert set(west["preview"]["region"]) == {"West"}
    assert "regions" in west["preview_note"]
    limited = Scope(date(2023, 7, 1), AS_OF, allowed_regions=("Midwest",))
    assert set(catalog.load(db, limited, view="stg_customers")["detail"]["preview"]["region"]) == {"Midwest"}
    no_region = catalog.load(db, limited, view="aging_buckets")["detail"]
    assert no_region["preview"] is None and "region" in no_region["preview_note"]


def test_a_macro_is_previewed_with_default_arguments(db):
    detail = catalog.load(db, SCOPE, view="product_performance_between")["detail"]
    assert detail["call"].text == "product_performance_between(DATE '2023-07-01', DATE '2024-06-30')"
    assert detail["preview"] is not None
    assert detail["columns"]["column_name"].to_list() == list(header("product_performance_between").columns)
    assert detail["columns"]["data_type"].null_count() == 0
    forecast = catalog.load(db, SCOPE, view="aum_forecast_for")["detail"]
    assert forecast["call"].text == "aum_forecast_for(NULL, NULL, NULL)"
    assert forecast["preview"].height > 0


def test_an_unknown_view_falls_back_to_the_first(db):
    data = catalog.load(db, SCOPE, view="no_such_view; drop table x")
    assert data["view"] == data["catalog"]["name"][0]


def test_a_warehouse_built_before_columns_were_recorded_still_lists_them(warehouse_file, tmp_path):
    older = tmp_path / "older.duckdb"
    shutil.copyfile(warehouse_file, older)
    with duckdb.connect(str(older)) as con:
        con.execute("drop table meta.sql_columns")
        con.execute("drop table meta.sql_dependencies")
    data = catalog.load(Gateway.open(older), SCOPE, view="aum_monthly")
    detail = data["detail"]
    assert not detail["documented"]
    assert detail["columns"]["column_name"].to_list() == list(header("aum_monthly").columns)
    assert detail["columns"]["description"].null_count() == detail["columns"].height
    assert "Overview" in data["catalog"].filter(data["catalog"]["name"] == "aum_monthly")["pages"][0]


# ---------------------------------------------------------------------------------------------- the page

def test_status_cards_and_catalog(warehouse_file, open_page):
    app = open_page(warehouse_file, PAGE)
    assert not app.exception
    cards = metrics(app)
    assert cards["Data as of"] == "Jun 30, 2024"
    assert cards["Built from"] == "Imported files"  # the fixture is written as Parquet files and loaded
    assert cards["Source rows"] == "125"  # 120 customers + 1 product + 1 enrollment + 3 balances
    assert cards["Source tables"] == str(len(build.contract.TABLES))
    assert cards["Measures and views"] == str(len(build.load_catalog()))
    assert app.caption[1].value.startswith("Loaded from ") and " · amounts in USD · " in app.caption[1].value
    tables, listing = app.dataframe[0].value, app.dataframe[1].value
    assert tables.set_index("table_name").loc["customers", "row_count"] == 120
    assert listing["answers"].str.len().min() > 0


def test_choosing_a_view_shows_its_columns_users_and_preview(warehouse_file, open_page):
    app = open_page(warehouse_file, PAGE, query_params={"catalog.view": "aum_monthly"})
    assert not app.exception
    assert app.selectbox(key="catalog.view").value == "aum_monthly"
    assert any(m.value.startswith("**Used by pages:**") and "Overview" in m.value for m in app.markdown)
    columns, preview = app.dataframe[2].value, app.dataframe[3].value
    assert columns["column_name"].tolist() == list(header("aum_monthly").columns)
    assert len(preview) == 3

    app.selectbox(key="catalog.view").set_value("receivables_as_of").run()
    assert not app.exception
    assert any("receivables_as_of(DATE '2024-06-30')" in code.value for code in app.code)
    assert app.dataframe[2].value["column_name"].tolist() == list(header("receivables_as_of").columns)
    assert len(app.dataframe) == 3  # no preview table: there are no bills in this warehouse
    assert any("no rows" in i.value for i in app.info)


def test_every_object_can_be_shown(db):
    for name in catalog.object_names(db):
        detail = catalog.load(db, SCOPE, view=name)["detail"]
        assert detail["preview"] is not None, name
        assert detail["columns"]["description"].null_count() == 0, name


def test_the_catalog_module_names_no_view():
    names = {o.name for o in build.load_catalog()}
    assert not names & catalog.module_names(settings.PROJECT_ROOT / "warehouse" / "queries",
                                            {"catalog": "Data & measures"})["catalog"]
