"""The gateway: the one place that opens the warehouse and runs SQL against it.

The app attaches the warehouse file read-only to a private in-memory DuckDB, so any number of app processes and
a concurrent build can coexist (a build writes a new file and swaps it in). Attaching, rather than connecting to
the path, matters: DuckDB caches database instances by path within a process, so a second connect() after a
rebuild would silently return the old data. Every query runs on its own cursor: DuckDB refuses a second
statement on a connection whose previous result is unfinished, and cursors are also what makes the gateway safe
to share between threads. User-chosen values only ever travel as bound parameters.

Actions users record live outside the warehouse file (warehouse.actions explains why). The gateway defines
the log as `recorded_collection_actions` in its own in-memory catalog and puts that catalog on every cursor's
search path, which is where the warehouse's `stg_collection_actions` view finds it; `actions_stamp()` changes
whenever an action is recorded, so caches of results that read actions (`reads_actions`) can be keyed on it.

A view can break after the build: an analyst re-creates one by hand with a typo, or drops a table it reads (DuckDB
does not track what a view reads). A query over it then fails with DuckDB's message, which never names the view.
The gateway works out which object of the warehouse is broken, from meta.sql_dependencies and by running each
object the query reads, and raises `ViewFailed` naming it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from warehouse import actions, settings
from warehouse.build import FORMAT_VERSION

ATTACHED_AS = "warehouse"
Params = Sequence[object] | Mapping[str, object] | None


class WarehouseUnavailable(Exception):
    """The warehouse cannot be used; the message says why and which command fixes it."""


class ViewFailed(duckdb.Error):
    """A query failed because objects of the warehouse it reads fail on their own (a view edited or a table
    dropped after the build).

    broken: each failing object none of whose own inputs fails (what to repair) -> its kind and DuckDB's error;
    reads: the warehouse objects the query itself names; reason: the query's own error.
    A duckdb.Error, so code that already handles query errors keeps handling this one.
    """

    def __init__(self, broken: Mapping[str, tuple[str, str]], reads: Sequence[str], reason: str):
        self.broken = dict(broken)
        self.reads = tuple(reads)
        self.reason = reason
        failing = "; ".join(f"{kind} {name} fails: {error}" for name, (kind, error) in self.broken.items())
        super().__init__(f"the warehouse {failing} (the query reads {', '.join(self.reads)})")


@dataclass(frozen=True)
class BuildInfo:
    build_id: str
    built_at: datetime
    views_applied_at: datetime
    source_kind: str
    source_detail: str
    as_of_date: date | None
    currency: str
    format_version: int


def fix_command(db_path: Path | str) -> str:
    return f"python -m warehouse demo --db {db_path}   (or: python -m warehouse build --raw DIR --db {db_path})"


def usable(db_path: Path | str) -> bool:
    """Whether a warehouse the app can read is at db_path."""
    try:
        Gateway.open(db_path).close()
    except WarehouseUnavailable:
        return False
    return True


class Gateway:
    """Read access to one warehouse; notices when the file has been replaced by a newer build."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db_path: Path | None = None, catalog: str | None = None,
                 action_log: actions.ActionLog | None = None):
        self._con = con
        self._db_path = db_path
        self._catalog = catalog
        self._identity = _file_identity(db_path) if db_path else None
        self._lock = threading.Lock()
        self._objects: dict[str, str] = {}  # the warehouse's objects of sql/ -> kind, dependencies first
        self._inputs: dict[str, set[str]] = {}  # object -> the objects of sql/ it reads
        self._probe_lock = threading.Lock()  # one diagnosis at a time: the others then reuse its findings
        self._probed: dict[str, str | None] = {}  # object -> its error when run on its own, None when it works
        self._home = con.sql("select current_database()").fetchall()[0][0]  # the in-memory catalog
        self.action_log = action_log
        self._log_has_files: bool | None = None
        if action_log is not None:
            self._define_actions()
        self.build_info = self._read_build_info()
        self._read_objects()
        self._action_readers = self._read_action_readers()

    @classmethod
    def open(cls, db_path: Path | str) -> Gateway:
        db_path = Path(db_path)
        if not db_path.exists():
            raise WarehouseUnavailable(f"No warehouse at {db_path}. Create one with:\n  {fix_command(db_path)}")
        if db_path.stat().st_size == 0:
            raise WarehouseUnavailable(f"The warehouse file {db_path} is empty. Rebuild it with:\n  "
                                       f"{fix_command(db_path)}")
        con = duckdb.connect()
        try:
            con.execute(f"attach ? as {ATTACHED_AS} (read_only)", [str(db_path)])
        except duckdb.Error as error:
            con.close()
            raise WarehouseUnavailable(f"The warehouse file {db_path} cannot be opened ({error}). Rebuild it "
                                       f"with:\n  {fix_command(db_path)}") from None
        try:
            return cls(con, db_path, ATTACHED_AS, actions.ActionLog(actions.folder_for(db_path)))
        except WarehouseUnavailable:
            con.close()
            raise

    def _read_build_info(self) -> BuildInfo:
        try:
            row = self._cursor().sql(
                "select build_id, built_at, views_applied_at, source_kind, source_detail, as_of_date, currency, "
                "format_version from meta.build"
            ).fetchall()
        except duckdb.Error:
            row = []
        where = self._db_path or "this database"
        if not row:
            raise WarehouseUnavailable(f"{where} is not a warehouse built by this app. Rebuild it with:\n  "
                                       f"{fix_command(self._db_path or 'PATH')}")
        info = BuildInfo(*row[0])
        if info.format_version != FORMAT_VERSION:
            raise WarehouseUnavailable(
                f"{where} was built by an older version of this app (format {info.format_version}, "
                f"need {FORMAT_VERSION}). Rebuild it with:\n  {fix_command(self._db_path or 'PATH')}"
            )
        return info

    @property
    def version(self) -> str:
        """The key for caches: changes whenever the warehouse is rebuilt or its views re-applied, and when the
        file is changed by hand (a view re-created in place keeps the build id, not the file's identity)."""
        if self._identity is None:
            return self.build_info.build_id
        return f"{self.build_info.build_id}@{'-'.join(str(part) for part in self._identity)}"

    # -- recorded actions ------------------------------------------------------------------------------------

    def actions_stamp(self) -> str:
        """Changes whenever an action is recorded (one directory listing): part of the cache key of results
        that read actions. Also lets the gateway notice the log's first file."""
        if self.action_log is None:
            return ""
        stamp = self.action_log.stamp()
        if (stamp != "0") != self._log_has_files:
            self._define_actions()
        return stamp

    def reads_actions(self, sql: str) -> bool:
        """Whether a query reads recorded actions, directly or through a view (so its results change when
        one is recorded)."""
        if self._action_readers is None:
            return True
        return any(name in self._action_readers for name in _WORD.findall(sql.lower()))

    def _define_actions(self) -> None:
        with self._lock:
            self._log_has_files = actions.define_relation(self._con, self.action_log, schema=f"{self._home}.main")

    def _read_objects(self) -> None:
        """The objects of sql/ and what each reads, as the build recorded them (left empty when not recorded)."""
        try:
            objects = self.rows("select name, kind from meta.sql_objects order by position")
            edges = self.rows("select name, depends_on from meta.sql_dependencies")
        except duckdb.Error:
            return
        self._objects = dict(objects)
        for name, dependency in edges:
            self._inputs.setdefault(name, set()).add(dependency)

    def _read_action_readers(self) -> frozenset[str] | None:
        """Every object of the warehouse that reads stg_collection_actions, directly or not (None: unknown).

        Tables the build stored are not among them, nor is what reads only them: the build sees an empty log,
        so a stored table holds the source data's actions alone and stays the same when an action is recorded
        (the collection views merge the recorded ones in per request, through the *_for_source macros)."""
        if not self._inputs:
            return None
        readers = {"stg_collection_actions", actions.RELATION}
        while True:
            more = {name for name, inputs in self._inputs.items()
                    if inputs & readers and self._objects.get(name) != "table"} - readers
            if not more:
                return frozenset(readers)
            readers |= more

    def is_current(self) -> bool:
        """False once the file on disk has been replaced (or removed) since this gateway opened it."""
        if self._db_path is None:
            return True
        try:
            return _file_identity(self._db_path) == self._identity
        except FileNotFoundError:
            return False

    def frame(self, sql: str, params: Params = None) -> pl.DataFrame:
        """Run one query and return its result as a polars DataFrame, decimals as floats (exact values: `rows`)."""
        result = self._run(sql, lambda cursor: cursor.sql(sql, params=_used(sql, params)).pl())
        return result.with_columns(pl.selectors.decimal().cast(pl.Float64))

    def rows(self, sql: str, params: Params = None) -> list[tuple]:
        return self._run(sql, lambda cursor: cursor.sql(sql, params=_used(sql, params)).fetchall())

    def _run(self, sql: str, query):
        """query(cursor) for sql; ViewFailed when it fails because an object of the warehouse it reads is broken."""
        try:
            return self._run_once_more_if_the_log_moved(query)
        except _NOT_THE_VIEWS_FAULT:
            raise
        except duckdb.Error as error:
            broken = self._broken_objects(sql) or self._missing_objects(sql)
            if not broken:
                raise  # everything the query reads works: the query itself is wrong
            reads = [*self._named_objects(sql), *(name for name in broken if name not in self._objects)]
            raise ViewFailed(broken, reads, _first_line(error)) from error

    def _run_once_more_if_the_log_moved(self, query):
        if self.action_log is not None and not self._log_has_files and self.action_log.files():
            self._define_actions()  # the log's first file appeared since the relation was defined empty
        cursor = self._cursor()
        try:
            return query(cursor)
        except duckdb.IOException:
            if self.action_log is None:
                raise
            # A file of the log vanished under the query (compaction merged it, or the log was emptied by hand):
            # read the log again as it is now, once.
            self._define_actions()
            return query(cursor)
        finally:
            cursor.close()

    # -- broken views ----------------------------------------------------------------------------------------

    def _named_objects(self, sql: str) -> list[str]:
        return [word for word in dict.fromkeys(_WORD.findall(sql.lower())) if word in self._objects]

    def _broken_objects(self, sql: str) -> dict[str, tuple[str, str]]:
        """The objects to repair (object -> kind, error): those the query reads, directly or through others
        that fail, which fail although everything they read works. Each object is run at most once per gateway."""
        found, seen, todo = set(), set(), self._named_objects(sql)
        with self._probe_lock:
            while todo:
                name = todo.pop()
                if name in seen or not self._fails(name):
                    continue
                seen.add(name)
                failing_inputs = [given for given in self._inputs_of(name) if self._fails(given)]
                if failing_inputs:
                    todo.extend(failing_inputs)
                else:
                    found.add(name)
        return {name: (kind, self._probe(name)) for name, kind in self._objects.items() if name in found}

    def _missing_objects(self, sql: str) -> dict[str, tuple[str, str]]:
        """Objects of sql/ the query reads that this warehouse lacks: it was built before they were added, and
        re-applying the views brings them in (object -> kind, why)."""
        if not self._objects:
            return {}
        defined = {path.stem for path in settings.SQL_DIR.rglob("*.sql")}
        return {word: ("view", "it is not in this warehouse, which was built before sql/ defined it")
                for word in dict.fromkeys(_WORD.findall(sql.lower())) if word in defined - self._objects.keys()}

    def _inputs_of(self, name: str) -> set[str]:
        return self._inputs.get(name, set()) & self._objects.keys()

    def _fails(self, name: str) -> bool:
        if self._objects[name] == "macro":  # a table macro needs arguments to run: it fails when what it reads does
            return any(self._fails(given) for given in self._inputs_of(name))
        return self._probe(name) is not None

    def _probe(self, name: str) -> str | None:
        """The error of running `name` on its own, remembered; None when it works."""
        if name not in self._probed:
            self._probed[name] = self._run_alone(name)
        return self._probed[name]

    def _run_alone(self, name: str) -> str | None:
        cursor = self._cursor()
        try:
            # Every column of every row is computed (hash needs each value; a plain count or limit would let
            # DuckDB skip the broken expression), and max() keeps the result one row.
            cursor.sql(f'select max(hash(columns(*))) from "{name}"').fetchall()
        except duckdb.Error as error:
            return _first_line(error)
        finally:
            cursor.close()
        return None

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # creating cursors concurrently on one connection is not guaranteed safe
            cursor = self._con.cursor()
        if self._catalog:
            # Each cursor starts in the in-memory catalog; views of the warehouse find the recorded actions,
            # defined in that in-memory catalog, through the search path.
            cursor.execute(f"use {self._catalog}; set search_path = '{self._catalog}.main,{self._home}.main'")
        return cursor

    def close(self) -> None:
        self._con.close()


def _used(sql: str, params: Params) -> Params:
    """Named parameters the query refers to: DuckDB rejects unused ones, and scopes offer more than a query needs."""
    if not isinstance(params, Mapping):
        return params
    named = set(_NAMED_PARAMETER.findall(sql))
    return {name: value for name, value in params.items() if name in named} or None


_NAMED_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
# Failures that say nothing about the views: running each of them to find a broken one would only add to them.
_NOT_THE_VIEWS_FAULT = (duckdb.OutOfMemoryException, duckdb.InterruptException)


def _first_line(error: duckdb.Error) -> str:
    """DuckDB's message without the query excerpt it appends."""
    return str(error).strip().splitlines()[0]


def _file_identity(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
