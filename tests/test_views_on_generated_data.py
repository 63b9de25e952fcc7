"""On the SF1 warehouse every object in sql/ returns rows, and a measure is only ever empty where its header says so."""

from __future__ import annotations

import pytest

from warehouse import build, catalog
from warehouse.gateway import Gateway

OBJECTS = build.load_catalog()
NUMERIC = ("DECIMAL", "DOUBLE", "FLOAT", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT")


@pytest.fixture(scope="module")
def gateway(generated_warehouse):
    opened = Gateway.open(generated_warehouse)
    yield opened
    opened.close()


def relation(obj: catalog.SqlObject) -> str:
    """The object as a FROM item; date parameters span the year to the as-of date, an action source is the source
    data (the generated warehouse has no recorded actions), others are left open (null)."""
    if not obj.is_macro:
        return obj.name
    as_of = "(select as_of_date from stg_data_as_of)"
    dates = [p for p in obj.parameters if "date" in p or p.startswith(("as_of", "period"))]
    values = {dates[-1]: as_of} if dates else {}
    if len(dates) == 2:
        values[dates[0]] = f"cast({as_of} - interval 1 year as date)"
    if "action_source" in obj.parameters:
        values["action_source"] = "'source data'"
    return f"{obj.name}({', '.join(values.get(p, 'null') for p in obj.parameters)})"


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.file)
def test_every_object_returns_rows_and_documents_its_empty_values(gateway, obj):
    source = relation(obj)
    columns = gateway.rows(f"select column_name, column_type from (describe select * from {source})")
    counts = gateway.rows(f"select count(*), {', '.join(f'count({name})' for name, _ in columns)} from {source}")[0]
    total = counts[0]
    assert total > 0, f"{obj.name} returns no rows on generated data"
    always_empty = [name for (name, _), filled in zip(columns, counts[1:]) if filled == 0]
    assert always_empty == [], f"{obj.name}: columns with no value at all: {always_empty}"
    undocumented_gaps = [
        name for (name, kind), filled in zip(columns, counts[1:])
        if filled < total and kind.startswith(NUMERIC)
        and not any(word in obj.columns.get(name, "").lower() for word in ("empty", "null", "no value"))
    ]
    assert undocumented_gaps == [], (
        f"{obj.name}: measures that are sometimes empty without the header saying when: {undocumented_gaps}")
