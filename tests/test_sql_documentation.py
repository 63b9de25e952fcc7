"""Every object in sql/ documents itself: header fields, and exactly the columns it returns."""

import pytest

from warehouse import build, catalog, settings

OBJECTS = build.load_catalog()


@pytest.fixture(scope="module")
def empty_warehouse():
    return build.build_in_memory()


def returned_columns(con, obj: catalog.SqlObject) -> list[str]:
    relation = f"{obj.name}({', '.join('null' for _ in obj.parameters)})" if obj.is_macro else obj.name
    return [row[0] for row in con.sql(f"describe select * from {relation}").fetchall()]


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.file)
def test_object_and_every_column_are_described(empty_warehouse, obj):
    assert catalog.missing_documentation(obj, returned_columns(empty_warehouse, obj)) == []


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.file)
def test_house_style_cte_chain_ends_in_select_from_final(obj):
    assert obj.query.rstrip().lower().endswith("select * from final"), "end the query with `select * from final`"


def test_sql_readme_lists_every_object_and_is_up_to_date():
    expected = catalog.readme(OBJECTS)
    actual = (settings.SQL_DIR / "README.md").read_text(encoding="utf-8")
    assert actual == expected, "sql/README.md is out of date: run `python -m warehouse docs`"
