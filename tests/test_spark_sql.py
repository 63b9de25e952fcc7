"""The measure layer as Spark SQL: every view, in dependency order, with table macros expanded where called."""

from __future__ import annotations

import re

from warehouse.build import load_catalog
from warehouse.spark import spark_sql


def test_every_view_is_created_after_what_it_reads_and_no_macro_call_is_left():
    ddl = spark_sql("/lake")
    objects = load_catalog()
    created = re.findall(r"^CREATE OR REPLACE VIEW ([\w.]+) AS", ddl, flags=re.MULTILINE)
    views = [o.name for o in objects if not o.is_macro]
    assert created[-len(views):] == views
    position = {name: index for index, name in enumerate(created)}
    for sql_object in objects:
        if sql_object.is_macro:
            continue
        for dependency in sql_object.dependencies:
            if dependency in position:
                assert position[dependency] < position[sql_object.name], (sql_object.name, dependency)
    statements = "\n".join(line for line in ddl.splitlines() if not line.startswith("--"))
    for macro in (o.name for o in objects if o.is_macro):
        assert not re.search(rf"\b{macro}\(", statements, flags=re.IGNORECASE), f"{macro} is still called"
    assert "FROM parquet.`/lake/card_transactions`" in ddl
