"""The gateway: the one place that opens the warehouse and runs SQL against it.

The app attaches the warehouse file read-only to a private in-memory DuckDB, so any number of app processes and
a concurrent build can coexist (a build writes a new file and swaps it in). Attaching, rather than connecting to
the path, matters: DuckDB caches database instances by path within a process, so a second connect() after a
rebuild would silently return the old data. Every query runs on its own cursor: DuckDB refuses a second
statement on a connection whose previous result is unfinished, and cursors are also what makes the gateway safe
to share between threads. User-chosen values only ever travel as bound parameters.
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

from warehouse.build import FORMAT_VERSION

ATTACHED_AS = "warehouse"
Params = Sequence[object] | Mapping[str, object] | None


class WarehouseUnavailable(Exception):
    """The warehouse cannot be used; the message says why and which command fixes it."""


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


class Gateway:
    """Read access to one warehouse; notices when the file has been replaced by a newer build."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db_path: Path | None = None, catalog: str | None = None):
        self._con = con
        self._db_path = db_path
        self._catalog = catalog
        self._identity = _file_identity(db_path) if db_path else None
        self._lock = threading.Lock()
        self.build_info = self._read_build_info()

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
            return cls(con, db_path, ATTACHED_AS)
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
        """Changes whenever the warehouse is rebuilt or its views re-applied: the key for caches."""
        return self.build_info.build_id

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
        cursor = self._cursor()
        try:
            result = cursor.sql(sql, params=_used(sql, params)).pl()
        finally:
            cursor.close()
        return result.with_columns(pl.selectors.decimal().cast(pl.Float64))

    def rows(self, sql: str, params: Params = None) -> list[tuple]:
        cursor = self._cursor()
        try:
            return cursor.sql(sql, params=_used(sql, params)).fetchall()
        finally:
            cursor.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # creating cursors concurrently on one connection is not guaranteed safe
            cursor = self._con.cursor()
        if self._catalog:
            cursor.execute(f"use {self._catalog}")  # each cursor starts in the in-memory catalog
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


def _file_identity(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
