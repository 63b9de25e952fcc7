"""Build the warehouse: load the contract tables, record what was built, create every object in sql/.

A warehouse file is only ever replaced whole: each build writes a new file beside the target and moves it into
place with os.replace, so a failed or killed build leaves the previous warehouse exactly as it was, and readers
that have the old file open keep reading it until they reopen.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from warehouse import actions, catalog, contract, creating, settings
from warehouse.files import fsync, remove_if_abandoned
from warehouse.identifiers import quoted

FORMAT_VERSION = 1
META_RELATIONS = frozenset({"meta.build", "meta.table_rows", "meta.sql_objects", "meta.sql_columns",
                            "meta.sql_dependencies"})
# Defined outside the warehouse file: actions users record in the app (warehouse.actions, read by the gateway).
EXTERNAL_RELATIONS = META_RELATIONS | {actions.RELATION}


class BuildError(Exception):
    """A build could not complete; the message says what and where. The target file was not touched."""


@dataclass
class BuildResult:
    db_path: Path
    build_id: str
    row_counts: dict[str, int]
    objects: list[catalog.SqlObject] = field(default_factory=list)


Progress = Callable[[str], None]
Record = Callable[[duckdb.DuckDBPyConnection], None]
# What build_on attaches the new file as. DuckDB stores views without the name of their own database, so the file
# opens under any name (tests/importer/test_run.py checks).
NEW_WAREHOUSE = "warehouse"


def _quiet(_: str) -> None:
    pass


# DuckDB divides a table into row groups, 122,880 rows by default, its unit of parallel work when writing and scanning.
# With little data that leaves most tables in one group, compressed by one thread at the checkpoint that ends the build
# and scanned by one; smaller groups spread that work over the cores (bench/RESULTS.md, Import). Much data fills many
# groups of the default size anyway. A file keeps its groups as written; only new tables need the setting.
SMALL_DATA_ROW_GROUP_SIZE = 32_768

# Rows of a table have no order unless the query that fills it says so (a materialized view's ORDER BY is kept):
# without the promise to keep the scan's order, DuckDB inserts and aggregates in parallel without merging batches
# back into sequence, about a tenth faster overall. Only a build's own connection is told.
UNORDERED_INSERTS = "set preserve_insertion_order = false"

# DuckDB syncs its file to disk at every commit and checkpoint: some 160 times while an import of a million rows builds.
# The new file is no one's warehouse until replacing() syncs it once and renames it into place; a crash before that
# leaves the previous warehouse as it was, and the next build removes the half-built file. So the new file's
# connection does not sync (0.1 s of an SF1 build). The setting holds for the whole DuckDB instance of that connection,
# which has no other file attached.
UNSYNCED_WRITES = "set fsync_mode = 'none'"


# ---------------------------------------------------------------- source tables

def create_source_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in contract.TABLES:
        con.execute(contract.create_table_sql(table))


def load_source_tables(con: duckdb.DuckDBPyConnection, raw_dir: Path, progress: Progress = _quiet) -> None:
    """Create every contract table and fill it from raw_dir/<table>.parquet, cast to the contract's types.

    A table without a file stays empty (partial data is normal); a file that lacks a contract column, or whose
    values do not cast, is an error naming the file and the column.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise BuildError(f"source folder {raw_dir} does not exist")
    if not any(raw_dir.glob("*.parquet")):
        raise BuildError(f"source folder {raw_dir} holds no .parquet files; run `python -m generate --out {raw_dir}`")
    create_source_tables(con)
    for table in contract.TABLES:
        path = raw_dir / f"{table.name}.parquet"
        if path.exists():
            _insert_parquet(con, table, path)
            progress(f"loaded {table.name}")


def _insert_parquet(con: duckdb.DuckDBPyConnection, table: contract.Table, path: Path) -> None:
    present = {row[0] for row in con.execute("select name from parquet_schema(?)", [str(path)]).fetchall()}
    missing = [c.name for c in table.columns if c.name not in present]
    if missing:
        raise BuildError(f"{path}: missing column(s) {', '.join(missing)} required by the contract table {table.name}")
    casts = ", ".join(f'cast("{c.name}" as {c.type})' for c in table.columns)
    try:
        con.execute(f'insert into "{table.name}" select {casts} from read_parquet(?)', [str(path)])
    except duckdb.Error as error:
        raise BuildError(f"{path}: could not load into {table.name}: {error}") from None


def _parquet_rows(raw_dir: Path) -> int:
    """The rows of raw_dir's contract-table Parquet files, from their footers; 0 when there are none or one cannot
    be read (loading it then reports why)."""
    paths = [str(raw_dir / f"{t.name}.parquet") for t in contract.TABLES if (raw_dir / f"{t.name}.parquet").is_file()]
    if not paths:
        return 0
    try:
        with duckdb.connect() as con:
            return con.execute("select coalesce(sum(num_rows), 0) from parquet_file_metadata(?)", [paths]).fetchall()[0][0]
    except duckdb.Error:
        return 0


def _count_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The rows of every contract table, counted in one query (write_metadata records them in meta.table_rows)."""
    counted = " union all ".join(f"select {i} as position, count(*) from {quoted(t.name)}"
                                 for i, t in enumerate(contract.TABLES))
    rows = dict(con.execute(counted).fetchall())
    return {t.name: rows[i] for i, t in enumerate(contract.TABLES)}


def _recorded_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The row counts write_metadata recorded in meta.table_rows."""
    return dict(con.execute("select table_name, row_count from meta.table_rows").fetchall())


def derive_as_of(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest date anything was observed in the data (future-dated bills excluded)."""
    parts = [
        f'select max(cast("{t.date_column}" as date)) as d from "{t.name}"'
        for t in contract.TABLES
        if t.date_column and t.name not in ("bills", "customers", "marketing_campaigns")
    ]
    return con.execute(f"select max(d) from ({' union all '.join(parts)})").fetchall()[0][0]


# ---------------------------------------------------------------- metadata

def write_metadata(
    con: duckdb.DuckDBPyConnection,
    *,
    source_kind: str,
    source_detail: dict,
    as_of: date | None,
    currency: str = settings.CURRENCY,
) -> str:
    """Record what this warehouse was built from. Views may read meta.build (e.g. for the as-of date)."""
    build_id = uuid.uuid4().hex
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.execute("create schema if not exists meta")
    con.execute(
        "create or replace table meta.build (build_id varchar, built_at timestamp, views_applied_at timestamp, "
        "source_kind varchar, source_detail varchar, as_of_date date, currency varchar, format_version integer)"
    )
    con.execute(
        "insert into meta.build values (?, ?, ?, ?, ?, ?, ?, ?)",
        [build_id, now, now, source_kind, json.dumps(source_detail, default=str), as_of, currency, FORMAT_VERSION],
    )
    con.execute("create or replace table meta.table_rows (table_name varchar, domain varchar, row_count bigint)")
    counts = _count_rows(con)
    con.execute(
        "insert into meta.table_rows select unnest($names), unnest($domains), unnest($counts)",
        {"names": list(counts), "domains": [contract.table(name).domain for name in counts],
         "counts": list(counts.values())},
    )
    return build_id


# ---------------------------------------------------------------- sql/ objects

def load_catalog(sql_dir: Path = settings.SQL_DIR) -> list[catalog.SqlObject]:
    try:
        return catalog.load(sql_dir, external=EXTERNAL_RELATIONS, cache=settings.SQL_REFERENCE_CACHE)
    except catalog.CatalogError as error:
        raise BuildError(str(error)) from None


def apply_sql_objects(
    con: duckdb.DuckDBPyConnection,
    objects: list[catalog.SqlObject],
    progress: Progress = _quiet,
) -> None:
    """Create the objects of sql/ (as load_catalog returns them, in dependency order) and record them in
    meta.sql_objects, with their documented columns in meta.sql_columns and what each reads from sql/ in
    meta.sql_dependencies (for the Data & measures page; warehouses built before these two tables existed simply
    lack them). Reads meta.table_rows, written first, to decide how many objects to create at once."""
    actions.ensure_placeholder(con)  # views reading recorded actions are created against an empty stand-in
    source_rows = con.execute("select coalesce(sum(row_count), 0) from meta.table_rows").fetchall()[0][0]
    try:
        creating.create_objects(con, objects, progress, source_rows=source_rows)
    except creating.CreateError as error:
        raise BuildError(str(error)) from None
    con.execute(
        "create or replace table meta.sql_objects (position integer, name varchar, kind varchar, area varchar, "
        "path varchar, checksum varchar, answers varchar, grain varchar)"
    )
    described = [[i, o.name, o.kind, o.area, o.file, o.checksum, o.description, o.grain] for i, o in enumerate(objects)]
    con.execute("insert into meta.sql_objects select unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), "
                "unnest(?), unnest(?), unnest(?)", [list(values) for values in zip(*described, strict=True)]
                if described else [[]] * 8)
    columns = [(o.name, i, column, text) for o in objects for i, (column, text) in enumerate(o.columns.items())]
    con.execute("create or replace table meta.sql_columns (name varchar, position integer, column_name varchar, "
                "description varchar)")
    con.execute("insert into meta.sql_columns select unnest(?), unnest(?), unnest(?), unnest(?)",
                [list(values) for values in zip(*columns, strict=True)] if columns else [[], [], [], []])
    reads = [(o.name, dependency) for o in objects for dependency in sorted(o.dependencies)]
    con.execute("create or replace table meta.sql_dependencies (name varchar, depends_on varchar)")
    con.execute("insert into meta.sql_dependencies select unnest(?), unnest(?)",
                [list(values) for values in zip(*reads, strict=True)] if reads else [[], []])


def drop_sql_objects(con: duckdb.DuckDBPyConnection) -> None:
    """Drop everything a previous apply created, dependants first, so deleted or renamed files leave nothing."""
    recorded = con.execute("select name, kind from meta.sql_objects order by position desc").fetchall()
    statements = {"view": "drop view if exists {}", "table": "drop table if exists {}",
                  "macro": "drop macro table if exists {}"}
    for name, kind in recorded:
        con.execute(statements[kind].format(name))


# ---------------------------------------------------------------- whole-file operations

def _attach_new(con: duckdb.DuckDBPyConnection, path: Path, source_rows: int) -> None:
    """Attach the new warehouse file at path to con as NEW_WAREHOUSE and make it con's default database, its row
    groups sized for source_rows rows of contract tables, written without syncing (UNSYNCED_WRITES)."""
    options = f" (row_group_size {SMALL_DATA_ROW_GROUP_SIZE})" if source_rows <= creating.SMALL_DATA_ROWS else ""
    con.execute(UNSYNCED_WRITES)
    con.execute(f"attach ? as {NEW_WAREHOUSE}{options}", [str(path)])
    con.execute(f"use {NEW_WAREHOUSE}")


def _connect_new(path: Path, source_rows: int) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the new warehouse file at path (_attach_new). DuckDB spills beside the
    file (<file>.tmp), as it does for a connection opened on the file itself."""
    con = duckdb.connect(config={**settings.duckdb_config(), "temp_directory": f"{path}.tmp"})
    try:
        _attach_new(con, path, source_rows)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def replacing(db_path: Path) -> Iterator[Path]:
    """Yield a fresh temporary path beside db_path; on success move it over db_path in one atomic step."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_temporaries(db_path)
    temporary = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.building")
    try:
        yield temporary
        fsync(temporary)
        _discard_stale_wal(db_path)
        os.replace(temporary, db_path)
        fsync(db_path.parent)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _remove_abandoned_temporaries(db_path: Path) -> None:
    """What builds that were killed left: the new file, its WAL, and the folder DuckDB spills to (<file>.tmp)."""
    for candidate in db_path.parent.glob(f".{db_path.name}.*.building*"):
        remove_if_abandoned(candidate, pid=candidate.name[len(db_path.name) + 2:].split(".")[0])


def _discard_stale_wal(db_path: Path) -> None:
    """A WAL beside the file being replaced was left by a writer that crashed (someone who opened the warehouse
    writable): it belongs to the old file, and DuckDB refuses to open the new one next to it ("WAL does not match
    database file"). Removed before the swap, so no reader ever finds the new file with it."""
    db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)


def build(
    raw_dir: Path,
    db_path: Path,
    *,
    sql_dir: Path = settings.SQL_DIR,
    source_kind: str = "parquet",
    source_detail: dict | None = None,
    as_of: date | None = None,
    currency: str = settings.CURRENCY,
    progress: Progress = _quiet,
    record: Record | None = None,
) -> BuildResult:
    """Build a complete warehouse from raw_dir into db_path, atomically.

    record: called with the new warehouse's connection once its metadata is written, to store more about where the
    data came from (the importer's report) in the same file, before it replaces db_path.
    """
    objects = load_catalog(sql_dir)  # read first: a broken sql/ folder fails before any time is spent loading data
    detail = {"raw_dir": str(raw_dir), **(source_detail or {})}
    with replacing(db_path) as temporary:
        con = _connect_new(temporary, _parquet_rows(Path(raw_dir)))
        try:
            con.execute(UNORDERED_INSERTS)
            load_source_tables(con, raw_dir, progress)
            build_id = _describe_and_create_objects(con, objects, source_kind=source_kind, source_detail=detail,
                                                    as_of=as_of, currency=currency, progress=progress, record=record)
            counts = _recorded_rows(con)
            con.execute(f"checkpoint {NEW_WAREHOUSE}")
        finally:
            con.close()
    return BuildResult(Path(db_path), build_id, counts, objects)


def build_on(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    fill: Callable[[duckdb.DuckDBPyConnection], None],
    *,
    source_rows: int,
    sql_dir: Path = settings.SQL_DIR,
    source_kind: str,
    source_detail: dict,
    as_of: date | None = None,
    currency: str = settings.CURRENCY,
    progress: Progress = _quiet,
    record: Record | None = None,
) -> BuildResult:
    """Build a complete warehouse into db_path, atomically, from data already held by `con` (the importer's
    scratch database), so the data is copied once instead of being written out and read back.

    The new file is attached to con as NEW_WAREHOUSE and made its default database; fill(con) then inserts into the
    empty contract tables from con's other databases (source_rows rows in all), and the build goes on as build()
    does. con is closed on return: the new file must be closed before it replaces db_path.
    """
    objects = load_catalog(sql_dir)
    with replacing(db_path) as temporary:
        try:
            _attach_new(con, temporary, source_rows)
            con.execute(UNORDERED_INSERTS)  # after the importer numbered its rows, which needs the order kept
            create_source_tables(con)
            fill(con)
            build_id = _describe_and_create_objects(con, objects, source_kind=source_kind, source_detail=source_detail,
                                                    as_of=as_of, currency=currency, progress=progress, record=record)
            counts = _recorded_rows(con)
            con.execute(f"checkpoint {NEW_WAREHOUSE}")
        finally:
            con.close()
    return BuildResult(Path(db_path), build_id, counts, objects)


def _describe_and_create_objects(con: duckdb.DuckDBPyConnection, objects: list[catalog.SqlObject], *,
                                 source_kind: str, source_detail: dict, as_of: date | None, currency: str,
                                 progress: Progress, record: Record | None) -> str:
    """What every build does once the contract tables are filled; returns the build id."""
    build_id = write_metadata(con, source_kind=source_kind, source_detail=source_detail,
                              as_of=as_of or derive_as_of(con), currency=currency)
    if record is not None:
        record(con)
    apply_sql_objects(con, objects, progress)
    return build_id


def reapply_views(db_path: Path, *, sql_dir: Path = settings.SQL_DIR, progress: Progress = _quiet) -> BuildResult:
    """Re-create every object of sql/ in an existing warehouse without reloading data, atomically."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise BuildError(f"{db_path} does not exist; build it first with `python -m warehouse build`")
    objects = load_catalog(sql_dir)
    with replacing(db_path) as temporary:
        shutil.copyfile(db_path, temporary)
        with duckdb.connect(str(temporary), read_only=True) as existing:
            _require_current_format(existing, db_path)
            counts = _recorded_rows(existing)
        con = _connect_new(temporary, sum(counts.values()))
        try:
            con.execute(UNORDERED_INSERTS)
            drop_sql_objects(con)
            apply_sql_objects(con, objects, progress)
            build_id = uuid.uuid4().hex
            con.execute(
                "update meta.build set build_id = ?, views_applied_at = ?",
                [build_id, datetime.now(timezone.utc).replace(tzinfo=None)],
            )
            con.execute(f"checkpoint {NEW_WAREHOUSE}")
        finally:
            con.close()
    return BuildResult(db_path, build_id, counts, objects)


def _require_current_format(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    try:
        version = con.execute("select format_version from meta.build").fetchall()[0][0]
    except duckdb.Error:
        raise BuildError(f"{db_path} is not a warehouse built by this app; rebuild it with "
                         "`python -m warehouse build`") from None
    if version != FORMAT_VERSION:
        raise BuildError(f"{db_path} has format version {version}, this app needs {FORMAT_VERSION}; "
                         "rebuild it with `python -m warehouse build`")


def build_in_memory(tables: dict[str, list[dict]] | None = None, *, as_of: date | None = None,
                    sql_dir: Path = settings.SQL_DIR) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse from a few hand-made rows, built by the same steps as a real one (for tests)."""
    con = duckdb.connect()
    actions.define_relation(con, None)  # not temporary: visible to the connection's cursors too
    create_source_tables(con)
    for name, rows in (tables or {}).items():
        table = contract.table(name)
        for row in rows:
            unknown = set(row) - set(table.column_names)
            if unknown:
                raise BuildError(f"{name} has no column(s) {', '.join(sorted(unknown))}")
            names = list(row)
            columns = ", ".join(f'"{n}"' for n in names)
            placeholders = ", ".join("?" for _ in names)
            con.execute(f'insert into "{name}" ({columns}) values ({placeholders})', [row[n] for n in names])
    write_metadata(con, source_kind="fixture", source_detail={}, as_of=as_of or derive_as_of(con))
    apply_sql_objects(con, load_catalog(sql_dir))
    return con
