"""Contract checks over loaded source tables: keys, references, required values, allowed values and ranges.

Each check is one SQL query built from the contract (identifiers from the contract only, values bound), so the
generator's tests, the build and the importer all judge data by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse import contract
from warehouse.identifiers import quoted


@dataclass(frozen=True)
class Violation:
    table: str
    column: str
    rule: str
    rows: int
    example: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column}: {self.rule} ({self.rows:,} rows, e.g. {self.example})"


def _checks(table: contract.Table) -> list[tuple[str, str, str, list]]:
    """(column, rule, query returning (rows, example), params) for every rule the contract sets on table."""
    t = quoted(table.name)
    checks: list[tuple[str, str, str, list]] = []
    key = ", ".join(quoted(c) for c in table.primary_key)
    checks.append((
        "+".join(table.primary_key), "duplicate primary key",
        f"select coalesce(sum(n), 0), any_value(k) from (select count(*) as n, "
        f"cast(row({key}) as varchar) as k from {t} group by all having count(*) > 1)", [],
    ))
    for column in table.columns:
        c = quoted(column.name)
        example = f"any_value(cast({c} as varchar))"
        if column.required:
            checks.append((column.name, "required value missing",
                           f"select count(*), null from {t} where {c} is null", []))
        if column.allowed:
            checks.append((column.name, f"value not in {', '.join(column.allowed)}",
                           f"select count(*), {example} from {t} where {c} is not null and {c} not in "
                           f"(select unnest(?::varchar[]))", [list(column.allowed)]))
        if column.minimum is not None:
            checks.append((column.name, f"below minimum {column.minimum:g}",
                           f"select count(*), {example} from {t} where {c} < ?", [column.minimum]))
        if column.maximum is not None:
            checks.append((column.name, f"above maximum {column.maximum:g}",
                           f"select count(*), {example} from {t} where {c} > ?", [column.maximum]))
        if column.references:
            target, target_column = quoted(column.referenced_table), quoted(column.referenced_column)
            checks.append((column.name, f"no matching {column.references}",
                           f"select count(*), {example} from {t} where {c} is not null and {c} not in "
                           f"(select {target_column} from {target})", []))
    return checks


def contract_violations(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> list[Violation]:
    """Every rule of the contract broken by the loaded tables (all tables, or only those named)."""
    violations = []
    for table in contract.TABLES:
        if tables is not None and table.name not in tables:
            continue
        for column, rule, query, params in _checks(table):
            rows, example = con.execute(query, params).fetchall()[0]
            if rows:
                violations.append(Violation(table.name, column, rule, int(rows), str(example)))
    return violations
