"""What an import found: one record per problem, kept in a table of the import's scratch database.

Row-level checks insert their findings with one SQL statement each, so a million bad values cost one query, not a
million Python objects; file-level findings are added one at a time.

Severity says what the problem did to the import:
    error    the import is rejected; nothing is written
    dropped  the row was left out on purpose (an exact duplicate, with drop_duplicates = true)
    note     worth knowing, changes nothing (a file in the folder that no mapping entry reads)
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.identifiers import quoted

ERROR, DROPPED, NOTE = "error", "dropped", "note"
COLUMNS = ("severity", "rule", "file", "row", "column", "target", "value", "message")
TABLE = "import_problems"


@dataclass(frozen=True)
class Problem:
    severity: str
    rule: str
    file: str | None
    row: int | None
    column: str | None
    target: str | None  # the contract table.column the value was meant for
    value: str | None
    message: str
    position: int = 0  # the mapping entry it belongs to (0: the folder or the mapping as a whole), for ordering


class Problems:
    """The problem table of one import's scratch connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        con.execute(
            f"create table {TABLE} (position integer, severity varchar, rule varchar, file varchar, row bigint, "
            '"column" varchar, target varchar, value varchar, message varchar)'
        )

    def add(self, problem: Problem) -> None:
        self.con.execute(
            f"insert into {TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [problem.position, problem.severity, problem.rule, problem.file, problem.row, problem.column,
             problem.target, _clip(problem.value), problem.message],
        )

    def add_select(self, select_sql: str, params: dict | None = None) -> None:
        """Insert the rows of a query returning (position, severity, rule, file, row, column, target, value,
        message)."""
        self.con.execute(f"insert into {TABLE} {select_sql}", params or {})

    def errors(self) -> int:
        return self.con.execute(f"select count(*) from {TABLE} where severity = '{ERROR}'").fetchall()[0][0]

    def ordered_sql(self) -> str:
        """The problems as the report lists them: errors first, then by file and row."""
        return (f'select {", ".join(quoted(c) for c in COLUMNS)} from {TABLE} '
                "order by severity <> 'error', severity <> 'dropped', position, row nulls first, \"column\", rule")


def _clip(value: str | None, limit: int = 200) -> str | None:
    """Values are quoted back to the user; a runaway line should not flood the report."""
    return value if value is None or len(value) <= limit else value[: limit - 1] + "…"
