"""Create the objects of sql/ in a warehouse, each after everything it reads.

With little data most of the time goes to planning a hundred-odd queries one at a time, on one core: several
workers then create objects side by side, each as soon as what it reads exists (on a single core, one connection
creates them in one transaction instead: committed one by one, each statement would write and flush the log of a
file-backed warehouse on its own). With much data every query already keeps all cores busy, and two at once, or
one transaction holding every new table until the end, would only take more memory: then each object is created
and committed in turn.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import duckdb

from warehouse import actions, catalog
from warehouse.identifiers import quoted

Progress = Callable[[str], None]
SMALL_DATA_ROWS = 5_000_000  # source rows up to which the data counts as little
MAX_WORKERS = 4


class CreateError(Exception):
    """An object of sql/ could not be created; carries the object and DuckDB's error."""

    def __init__(self, obj: catalog.SqlObject, error: duckdb.Error):
        super().__init__(f"{obj.path}: {obj.name} could not be created: {error}")
        self.obj, self.error = obj, error


def create_objects(con: duckdb.DuckDBPyConnection, objects: list[catalog.SqlObject], progress: Progress, *,
                   source_rows: int, cpus: int | None = None) -> None:
    """Create every object (in dependency order, as catalog.load returns them) in the way that suits the amount
    of data; CreateError on the first that fails."""
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    if source_rows > SMALL_DATA_ROWS:
        _in_turn(con, objects, progress)
    elif cpus > 1:
        _side_by_side(con, objects, progress, workers=min(MAX_WORKERS, cpus))
    else:
        con.execute("begin transaction")
        try:
            _in_turn(con, objects, progress)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def _create(con: duckdb.DuckDBPyConnection, obj: catalog.SqlObject) -> None:
    try:
        con.execute(obj.create_sql())
    except duckdb.Error as error:
        raise CreateError(obj, error) from None


def _in_turn(con: duckdb.DuckDBPyConnection, objects: list[catalog.SqlObject], progress: Progress) -> None:
    for obj in objects:
        _create(con, obj)
        progress(f"created {obj.kind} {obj.name}")


def _side_by_side(con: duckdb.DuckDBPyConnection, objects: list[catalog.SqlObject], progress: Progress,
                  workers: int) -> None:
    """Each worker takes a cursor pointed at con's database; an object is handed out once everything it reads is
    created. After a failure nothing new starts, and the first failure is raised."""
    database = con.execute("select current_database()").fetchall()[0][0]
    cursors = [con.cursor() for _ in range(workers)]
    free: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()

    def create(obj: catalog.SqlObject) -> None:
        cursor = free.get()  # never waits: no more objects run than there are cursors
        try:
            _create(cursor, obj)
        finally:
            free.put(cursor)

    waiting, created = list(objects), set()
    running: dict[Future, catalog.SqlObject] = {}
    failure: CreateError | None = None
    try:
        for cursor in cursors:
            cursor.execute(f"use {quoted(database)}")
            actions.ensure_placeholder(cursor)  # temporary views belong to one connection
            free.put(cursor)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="create-object") as pool:
            while running or (waiting and failure is None):
                if failure is None:
                    ready = [o for o in waiting if o.dependencies <= created]
                    if not ready and not running:
                        raise ValueError(f"{waiting[0].name} reads objects that are not being created")
                    for obj in ready[:workers - len(running)]:
                        waiting.remove(obj)
                        running[pool.submit(create, obj)] = obj
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    obj = running.pop(future)
                    try:
                        future.result()
                    except CreateError as error:
                        failure = failure or error
                        continue
                    created.add(obj.name)
                    progress(f"created {obj.kind} {obj.name}")
    finally:
        for cursor in cursors:
            cursor.close()
    if failure is not None:
        raise failure
