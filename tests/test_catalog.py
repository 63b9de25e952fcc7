"""The catalog reads headers and orders views by their dependencies, with errors that name files."""

import hashlib
import json
from pathlib import Path

import pytest
import sqlglot

from warehouse import catalog

HEADER = """-- Answers: How much?
-- Grain: one row per thing.
-- Columns:
--   n: A number.
"""


def write(directory: Path, relative: str, query: str, header: str = HEADER) -> Path:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + query + "\n")
    return path


def test_header_fields_continuations_and_columns_are_parsed(tmp_path):
    text = """-- Answers: What is the month-end AUM
--   by product category?
-- Grain: one row per month end.
-- Definition: Sum of balances at the month end,
--   not the sum of all monthly rows.
-- Materialize: table
-- Columns:
--   month_end: Last day of the month.
--   aum: Assets under management at month_end,
--     in the warehouse currency.

with final as (select 1 as month_end, 2 as aum)
select * from final;
"""
    fields, columns, query = catalog.parse_header(text, tmp_path / "x.sql")
    assert fields["answers"] == "What is the month-end AUM by product category?"
    assert fields["definition"] == "Sum of balances at the month end, not the sum of all monthly rows."
    assert fields["materialize"] == "table"
    assert columns == {"month_end": "Last day of the month.",
                       "aum": "Assets under management at month_end, in the warehouse currency."}
    assert query == "with final as (select 1 as month_end, 2 as aum)\nselect * from final"


def test_unknown_header_field_is_an_error_naming_the_file(tmp_path):
    path = write(tmp_path, "a/v.sql", "select 1 as n", header="-- Answer: typo\n")
    with pytest.raises(catalog.CatalogError, match=r"v\.sql: line 1 .*Answer: typo"):
        catalog.load(tmp_path)


def test_objects_come_in_dependency_order_whatever_their_names(tmp_path):
    write(tmp_path, "z/a_last.sql", "select n from b_middle")
    write(tmp_path, "y/b_middle.sql", "with t as (select * from c_first join customers using (customer_id)) "
                                      "select n from t")
    write(tmp_path, "x/c_first.sql", "select 1 as n, 'C1' as customer_id")
    write(tmp_path, "x/d_macro.sql", "select n from c_first where n < limit_n",
          header=HEADER + "-- Parameters: limit_n\n")
    write(tmp_path, "x/e_uses_macro.sql", "select * from d_macro(3)")
    objects = catalog.load(tmp_path)
    order = [o.name for o in objects]
    assert order.index("c_first") < order.index("b_middle") < order.index("a_last")
    assert order.index("d_macro") < order.index("e_uses_macro")
    by_name = {o.name: o for o in objects}
    assert by_name["b_middle"].dependencies == {"c_first"}
    assert by_name["e_uses_macro"].dependencies == {"d_macro"}
    assert by_name["d_macro"].kind == "macro" and by_name["d_macro"].parameters == ("limit_n",)
    assert by_name["a_last"].area == "z"


def test_the_reference_cache_gives_the_same_order_and_reparses_only_what_changed(tmp_path, monkeypatch):
    sql, cache = tmp_path / "sql", tmp_path / "cache" / "references.json"
    write(sql, "x/first.sql", "select 1 as n")
    write(sql, "x/second.sql", "select n from first")
    parsed = []
    parse = catalog._references
    monkeypatch.setattr(catalog, "_references", lambda obj: parsed.append(obj.name) or parse(obj))

    def loaded():
        return [(o.name, o.dependencies) for o in catalog.load(sql, cache=cache)]

    assert loaded() == [("first", frozenset()), ("second", frozenset({"first"}))]
    assert sorted(parsed) == ["first", "second"] and cache.exists()
    parsed.clear()
    assert loaded() == [("first", frozenset()), ("second", frozenset({"first"}))] and parsed == []
    write(sql, "x/first.sql", "select n from third")  # an edited file is parsed again; its new reference counts
    write(sql, "x/third.sql", "select 3 as n")
    assert [name for name, _ in loaded()] == ["third", "first", "second"] and sorted(parsed) == ["first", "third"]
    (sql / "x" / "third.sql").unlink()  # first.sql comes from the cache, and what it reads is still checked
    with pytest.raises(catalog.CatalogError, match=r"first\.sql: reads 'third'"):
        loaded()


@pytest.mark.parametrize("content", ["not json", '{"sqlglot": "0.0.1", "entries": {}}', '{"entries": 3}', "[]",
                                     "wrong shapes"])
def test_an_unreadable_or_foreign_reference_cache_is_ignored_and_rewritten(tmp_path, content):
    sql, cache = tmp_path / "sql", tmp_path / "references.json"
    write(sql, "x/first.sql", "select 1 as n")
    write(sql, "x/second.sql", "select n from first")
    if content == "wrong shapes":  # entries of the current sqlglot whose values are not two lists of names
        keys = [hashlib.sha256(query.encode()).hexdigest() for query in ("select 1 as n", "select n from first")]
        content = json.dumps({"sqlglot": sqlglot.__version__, "entries": {keys[0]: ["ab", "cd"], keys[1]: [[]]}})
    cache.write_text(content)
    assert [(o.name, o.dependencies) for o in catalog.load(sql, cache=cache)] == [
        ("first", frozenset()), ("second", frozenset({"first"}))]
    assert len(json.loads(cache.read_text())["entries"]) == 2


def test_a_reference_cache_that_cannot_be_written_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    write(tmp_path / "sql", "x/first.sql", "select 1 as n")
    assert [o.name for o in catalog.load(tmp_path / "sql", cache=blocker / "references.json")] == ["first"]


def test_a_cycle_is_an_error_naming_every_file_in_it(tmp_path):
    write(tmp_path, "m/first.sql", "select n from second")
    write(tmp_path, "m/second.sql", "select n from first")
    with pytest.raises(catalog.CatalogError, match=r"cycle: .*first\.sql -> .*second\.sql -> .*first\.sql"):
        catalog.load(tmp_path)


def test_a_missing_reference_is_an_error_naming_file_and_relation(tmp_path):
    write(tmp_path, "m/reads_nothing.sql", "select n from no_such_view")
    with pytest.raises(catalog.CatalogError, match=r"reads_nothing\.sql: reads 'no_such_view'"):
        catalog.load(tmp_path)


def test_two_files_with_one_name_and_a_view_named_like_a_source_table_are_errors(tmp_path):
    write(tmp_path, "a/same.sql", "select 1 as n")
    write(tmp_path, "b/same.sql", "select 2 as n")
    with pytest.raises(catalog.CatalogError, match="two files define 'same'"):
        catalog.load(tmp_path)
    other = tmp_path / "other"
    write(other, "a/customers.sql", "select 1 as n")
    with pytest.raises(catalog.CatalogError, match="source table of the contract"):
        catalog.load(other)


def test_documentation_problems_are_listed_precisely(tmp_path):
    path = write(tmp_path, "a/v.sql", "select 1 as n, 2 as m")
    obj = catalog.read_object(path, tmp_path)
    assert catalog.missing_documentation(obj, ["n", "m"]) == ["column 'm' has no description"]
    assert catalog.missing_documentation(obj, []) == ["documented column 'n' is not returned"]
