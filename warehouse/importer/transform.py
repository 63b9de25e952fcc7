"""Turn one staged file, or a well-formed CSV file as it is read, into rows of its contract table: rename, value
maps, defaults, constants, derived columns, date formats, and conversion to the contract's types.

The result, conv_<n>, keeps for every contract column both the text it was converted from (<column>__text) and
the converted value (<column>, NULL where the text did not convert), so validation can quote the value that
failed; a text column is its own text. Source column names are quoted as identifiers and every value from the
mapping is a bound parameter; a derived column is an SQL expression the mapping's author wrote, checked to be one
expression over the file's own columns (no subqueries, no other tables) and evaluated over the staged file only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from warehouse import contract
from warehouse.identifiers import quoted
from warehouse.importer import read
from warehouse.importer.mapping import ROW_COLUMN, ColumnRule, FileMapping
from warehouse.importer.problems import DROPPED, ERROR, Problem, Problems
from warehouse.importer.read import Staged

DUPLICATE_OF = "_duplicate_of"


@dataclass(frozen=True)
class Converted:
    entry: FileMapping
    table: str  # conv_<n>
    rows: int  # rows kept (duplicates dropped on request are not among them)
    duplicates: int  # exact duplicate rows found (dropped or rejected)
    unique_key: bool  # every row has its whole primary key, and no two rows share one


def text_column(column: contract.Column) -> str:
    """Where the text a value was converted from is kept: beside it, or the column itself for text columns."""
    return column.name if column.type == "VARCHAR" else f"{column.name}__text"


def convert(con: duckdb.DuckDBPyConnection, staged: Staged, problems: Problems) -> Converted | None:
    """conv_<n> for the staged file, or None after recording why its mapping cannot be applied.

    Exact duplicate rows are looked for before converting, unless the file's primary key can settle it: a row's key
    is made from that row's own values, so rows with whole keys that all differ cannot be equal. Keys are grouped
    once the rows are converted; only when some repeat or are missing are the rows compared (and converted again
    when duplicates are found)."""
    entry = staged.entry
    if not _derived_expressions_bind(con, staged, problems):
        return None
    key_settles = _key_settles_duplicates(entry)
    duplicates = 0 if key_settles else _mark_duplicates(con, staged, problems)
    table = _create_converted(con, staged, duplicates, problems)
    if table is None:
        return None
    unique_key = key_settles and _unique_key(con, table, entry.contract_table)
    if key_settles and not unique_key:
        duplicates = _mark_duplicates(con, staged, problems)
        if duplicates:  # converted again, each duplicate marked with the row it repeats
            con.execute(f"drop table {table}")
            table = _create_converted(con, staged, duplicates, problems)
            if table is None:
                return None
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    return Converted(entry, table, rows, duplicates, unique_key)


def convert_directly(con: duckdb.DuckDBPyConnection, path: Path, entry: FileMapping) -> Converted | None:
    """conv_<n> read straight from a CSV file, without a staged copy: for the usual file, well formed, without
    derived columns, and with every key present and different (so no row can repeat another). None, leaving nothing
    behind, for any other file: staging it (read.stage, then convert) finds and reports what is wrong with it.
    Its header is read with the delimiter the mapping names, and must hold every column the mapping reads.

    The rows are numbered by their place in the converted table, as staging numbers them by theirs: both keep the
    order the reader returns them in. conv_<n> is then a view adding those numbers to the table conv_<n>_rows."""
    if entry.kind != "csv" or any(rule.derived is not None for rule in entry.columns) \
            or not _key_settles_duplicates(entry):
        return None
    header = read.csv_header(path, entry)
    if header is None or ROW_COLUMN in header or not set(entry.source_columns()) <= set(header):
        return None
    select_sql, read_params = read.csv_select(path, entry)
    sql, params = _conversion_sql(entry, f"select *, cast(null as bigint) as {DUPLICATE_OF} from ({select_sql})",
                                  numbered=False)
    table, rows_table = f"conv_{entry.position}", f"conv_{entry.position}_rows"

    def give_up() -> None:
        con.execute(f"drop view if exists {table}")
        con.execute(f"drop table if exists {rows_table}")
        read.discard_rejects(con, entry)

    try:
        con.execute(f"create table {rows_table} as {sql}", {**read_params, **params})
    except duckdb.Error:  # the file lacks a mapped column, or cannot be read at all
        give_up()
        return None
    rows = con.execute(f"select count(*) from {rows_table}").fetchall()[0][0]
    con.execute(f"create view {table} as select rowid + {read.CSV_FIRST_ROW} as {ROW_COLUMN}, * from {rows_table}")
    if not rows or read.rejected_lines(con, entry) or not _unique_key(con, table, entry.contract_table):
        give_up()
        return None
    return Converted(entry, table, rows, 0, unique_key=True)


def _create_converted(con: duckdb.DuckDBPyConnection, staged: Staged, duplicates: int,
                      problems: Problems) -> str | None:
    """conv_<n>: the text and the converted value of every contract column, and for each duplicate row the row it
    repeats (rows dropped on request left out); None after recording a derived column that fails."""
    entry = staged.entry
    if duplicates:
        kept = f"where {DUPLICATE_OF} is null" if entry.drop_duplicates else ""
        source = (f"select s.*, d.first_row as {DUPLICATE_OF} from {staged.view} s "
                  f"left join dups_{entry.position} d on d.{ROW_COLUMN} = s.{ROW_COLUMN} {kept}")
    else:  # the usual case, and joining a million rows to nothing is a tenth of a second
        source = f"select *, cast(null as bigint) as {DUPLICATE_OF} from {staged.view}"
    sql, params = _conversion_sql(entry, source, numbered=True)
    table = f"conv_{entry.position}"
    try:
        con.execute(f"create table {table} as {sql}", params)
    except duckdb.Error as error:  # a derived expression that binds but fails on some value, e.g. a strict cast
        culprit = _failing_derived(con, staged) or "a derived column"
        problems.add(Problem(ERROR, "derived column", entry.name, None, None, f"{entry.table}.{culprit}", None,
                             f"the expression for {culprit} failed: {_message(error)}; use try_cast to let "
                             "values that do not convert be reported instead", entry.position))
        return None
    return table


def _conversion_sql(entry: FileMapping, source: str, *, numbered: bool) -> tuple[str, dict[str, object]]:
    """The query converting the rows of source (its columns the file's, and _duplicate_of; _row too when numbered)
    into the columns of conv_<n>, and its parameters."""
    params: dict[str, object] = {}
    target = entry.contract_table
    texts = [f"{_text_expression(rule, entry, params, i)} as {quoted(text_column(target.column(rule.target)))}"
             for i, rule in enumerate(entry.columns)]
    rules = {rule.target: rule for rule in entry.columns}
    typed = [f"{_typed_expression(column, rules.get(column.name), params)} as {quoted(column.name)}"
             for column in target.columns if column.type != "VARCHAR" or column.name not in rules]
    kept = [ROW_COLUMN, DUPLICATE_OF] if numbered else [DUPLICATE_OF]
    return (f"with source as ({source}), texts as (select {', '.join([*kept, *texts])} from source) "
            f"select {', '.join(['*', *typed])} from texts"), params


def _key_settles_duplicates(entry: FileMapping) -> bool:
    """Whether equal rows must have equal keys: every column of the table's primary key is mapped, and none is
    derived (a derived expression may call a random function)."""
    rules = {rule.target: rule for rule in entry.columns}
    key = entry.contract_table.primary_key
    return bool(key) and all(c in rules and rules[c].derived is None for c in key)


def _unique_key(con: duckdb.DuckDBPyConnection, table: str, target: contract.Table) -> bool:
    """Whether every row of the converted table has its whole primary key and no two rows share one."""
    keys = ", ".join(quoted(c) for c in target.primary_key)
    missing = " or ".join(f"{quoted(c)} is null" for c in target.primary_key)
    return con.execute(
        f"select not exists (select 1 from {table} where {missing}) "
        f"and not exists (select {keys} from {table} group by all having count(*) > 1)"
    ).fetchall()[0][0]


# ------------------------------------------------------------------------------------------------ derived columns

def _derived_expressions_bind(con: duckdb.DuckDBPyConnection, staged: Staged, problems: Problems) -> bool:
    entry, ok = staged.entry, True
    available = {c.lower() for c in staged.columns} | {ROW_COLUMN}
    for rule in entry.columns:
        if rule.derived is None:
            continue
        mistake = _expression_mistake(rule.derived, available)
        if mistake is None:
            try:
                con.execute(f"select ({rule.derived}) from {staged.view} limit 0").fetchall()
            except duckdb.Error as error:
                mistake = _message(error)
        if mistake is not None:
            problems.add(Problem(ERROR, "derived column", entry.name, None, rule.label, f"{entry.table}.{rule.target}",
                                 rule.derived, f"the expression for {rule.target} cannot be used: {mistake}",
                                 entry.position))
            ok = False
    return ok


def _expression_mistake(expression: str, available: set[str]) -> str | None:
    """Why the text is not one SQL expression over the file's columns, or None when it is."""
    try:
        parsed = sqlglot.parse(expression, dialect="duckdb")
    except sqlglot.errors.ParseError as error:
        return f"it is not a SQL expression ({str(error).splitlines()[0]})"
    if len(parsed) != 1 or parsed[0] is None or isinstance(parsed[0], exp.Command | exp.DDL | exp.DML):
        return "it must be a single expression, not a statement"
    tree = parsed[0]
    if any(isinstance(node, exp.Subquery | exp.Query | exp.Table) for node in tree.walk()):
        return "it may only use the file's own columns: no subqueries or other tables"
    unknown = sorted({c.name for c in tree.find_all(exp.Column) if c.name.lower() not in available})
    if unknown:
        return f"the file has no column(s) {', '.join(repr(u) for u in unknown)}"
    return None


def _failing_derived(con: duckdb.DuckDBPyConnection, staged: Staged) -> str | None:
    for rule in staged.entry.columns:
        if rule.derived is not None:
            try:
                con.execute(f"select count(({rule.derived})) from {staged.view}").fetchall()
            except duckdb.Error:
                return rule.target
    return None


# ------------------------------------------------------------------------------------------------ duplicates

def _mark_duplicates(con: duckdb.DuckDBPyConnection, staged: Staged, problems: Problems) -> int:
    """The number of rows identical in all source columns to an earlier row; when there are any, dups_<n> holds
    each such row with that earlier row's number.

    Only rows sharing a hash of their values are compared column by column: sorting a million rows by every column
    costs several times more, and duplicates are few. Most files have none, which the hashes alone show."""
    entry = staged.entry
    every_column = ", ".join(quoted(c) for c in staged.columns)
    row_hash = f"hash({every_column})"
    shared_hashes = f"select {row_hash} from {staged.view} group by all having count(*) > 1"
    if not con.execute(f"select count(*) from ({shared_hashes})").fetchall()[0][0]:
        return 0
    con.execute(
        f"create table dups_{entry.position} as "
        f"with candidates as (select * from {staged.view} where {row_hash} in ({shared_hashes})) "
        f"select {ROW_COLUMN}, first_row from (select {ROW_COLUMN}, min({ROW_COLUMN}) over (partition by "
        f"{every_column}) as first_row from candidates) where {ROW_COLUMN} <> first_row"
    )
    found = con.execute(f"select count(*) from dups_{entry.position}").fetchall()[0][0]
    if found:
        severity, outcome = (DROPPED, "dropped") if entry.drop_duplicates else \
            (ERROR, "set drop_duplicates = true for this file to drop such rows")
        problems.add_select(
            f"select $position, $severity, 'duplicate row', $file, {ROW_COLUMN}, null, null, null, "
            f"'same as row ' || first_row || ' in every column; ' || $outcome from dups_{entry.position}",
            {"position": entry.position, "severity": severity, "file": entry.name, "outcome": outcome},
        )
    return found


# ------------------------------------------------------------------------------------------------ expressions

def _text_expression(rule: ColumnRule, entry: FileMapping, params: dict[str, object], i: int) -> str:
    """The value as trimmed text: source column (or derived value), empty and null_values read as missing,
    values mapped, the default where missing; or the constant."""
    if rule.constant is not None:
        params[f"constant_{i}"] = rule.constant
        return f"$constant_{i}"
    if rule.source is not None:
        # trim copies every value, and most have no space to remove: it runs only on values that start or end with
        # a space or hold a character beyond ASCII (trim also removes the other Unicode spaces, U+00A0 and the like).
        # Starting with a space is tested as sorting from ' ' to just before '!': comparing is cheaper than
        # starts_with.
        raw = quoted(rule.source)
        text = (f"(case when ({raw} >= ' ' and {raw} < '!') or suffix({raw}, ' ') or strlen({raw}) <> length({raw}) "
                f"then nullif(trim({raw}), '') else nullif({raw}, '') end)")
    else:
        text = f"nullif(trim(cast(({rule.derived}) as varchar)), '')"
    if entry.null_values:
        params["null_values"] = [v.strip() for v in entry.null_values]
        text = f"(case when list_contains($null_values, {text}) then null else {text} end)"
    if rule.values:
        params[f"keys_{i}"] = [source.strip() for source, _ in rule.values]
        params[f"values_{i}"] = [target for _, target in rule.values]
        text = f"nullif(coalesce(($values_{i})[list_position($keys_{i}, {text})], {text}), '')"
    if rule.default is not None:
        params[f"default_{i}"] = rule.default
        text = f"coalesce({text}, $default_{i})"
    return text


def _typed_expression(column: contract.Column, rule: ColumnRule | None, params: dict[str, object]) -> str:
    """The text converted to the contract type; NULL where it does not convert (validation reports those)."""
    if rule is None:
        return f"cast(null as {column.type})"
    text = quoted(text_column(column))
    if rule.format is not None:
        params[f"format_{column.name}"] = rule.format
        parsed = f"try_strptime({text}, $format_{column.name})"
        return f"cast({parsed} as date)" if column.type == "DATE" else parsed
    if column.type == "INTEGER":  # a plain cast would round 12.5 to 13; a fraction is a type error instead
        return (f"(case when try_cast({text} as double) = try_cast({text} as integer) "
                f"then try_cast({text} as integer) end)")
    return f"try_cast({text} as {column.type})"


def _message(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
