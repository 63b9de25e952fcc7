"""One import, all or nothing: read every mapped file, convert, validate, and only when nothing is wrong build a new
warehouse from the converted tables.

The work happens in a scratch database held in memory. Only an accepted import builds: the new warehouse file is
attached to the same connection, the converted tables are copied straight into it and the build goes on as `build`
does, so the warehouse is replaced in one atomic step; a rejected import never creates or opens it. What DuckDB
spills to disk goes to a temporary folder, which holds copies of the bank's data: one left by an import that was
killed is removed by the next import.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from warehouse import build, contract, settings
from warehouse.files import remove_if_abandoned
from warehouse.identifiers import quoted
from warehouse.importer import mapping as mapping_file
from warehouse.importer import read, report, transform, validate
from warehouse.importer.problems import DROPPED, ERROR, NOTE, Problem, Problems

Progress = Callable[[str], None]
SCRATCH_PREFIX = "cfi-import-"  # then the pid of the importing process, so abandoned folders can be told apart
SCRATCH = "scratch"  # the in-memory database the import converts and validates in


def _quiet(_: str) -> None:
    pass


@dataclass
class ImportResult:
    accepted: bool
    source_dir: Path
    mapping: mapping_file.Mapping
    db_path: Path
    problems: pl.DataFrame  # every problem, as the CSV report holds them
    files: list[report.FileSummary]
    report_path: Path | None
    seconds: float
    build: build.BuildResult | None = None
    as_of: date | None = None  # the new warehouse's as-of date, once built

    @property
    def errors(self) -> int:
        return self.problems.filter(pl.col("severity") == ERROR).height

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read or 0 for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    def summary(self, max_problems: int = 20) -> str:
        return report.printed(accepted=self.accepted, source=self.source_dir, mapping=self.mapping.path,
                              db_path=self.db_path, problems=self.problems, files=self.files,
                              report_path=self.report_path, max_problems=max_problems, as_of=self.as_of,
                              currency=self.mapping.currency)


def run_import(source_dir: Path | str, mapping_path: Path | str, db_path: Path | str, *,
               report_path: Path | str | None = None, sql_dir: Path = settings.SQL_DIR,
               progress: Progress = _quiet) -> ImportResult:
    """Import source_dir into db_path as mapping_path says. MappingError when the mapping itself is wrong;
    otherwise the result says whether the import was accepted, with every problem found."""
    started = time.perf_counter()
    mapping = mapping_file.load(mapping_path)
    source_dir, db_path = Path(source_dir), Path(db_path)
    report_path = Path(report_path) if report_path is not None else None
    with _scratch_folder() as folder:
        con = duckdb.connect(config={**settings.duckdb_config(), "temp_directory": str(Path(folder) / "spill")})
        try:
            con.execute(f"attach ':memory:' as {SCRATCH}")
            con.execute(f"use {SCRATCH}")
            problems = Problems(con)
            converted, files = _read_and_convert(con, source_dir, mapping, problems, progress)
            progress("checking keys and references")
            validate.check_all(mapping, converted, _broken(files, converted), problems)
            accepted = problems.errors() == 0
            found = report.problems_frame(con, problems.ordered_sql())
            if not accepted:
                files = [report.FileSummary(f.file, f.table_name, f.rows_read, 0, 0) for f in files]
            if report_path is not None:
                report.write_csv(found, report_path)
            result = ImportResult(accepted, source_dir, mapping, db_path, found, files, report_path, 0.0)
            if accepted:
                def fill(target: duckdb.DuckDBPyConnection) -> None:
                    _copy_tables(target, converted, progress)
                    target.execute(f"detach {SCRATCH}")  # free the scratch data before the sql/ objects are built

                def record(target: duckdb.DuckDBPyConnection) -> None:
                    report.record_in_warehouse(target, found, report.summary_frame(files))
                    result.as_of = target.execute("select as_of_date from meta.build").fetchall()[0][0]

                progress("building the warehouse")
                result.build = build.build_on(con, db_path, fill, source_rows=result.rows_loaded, sql_dir=sql_dir,
                                              source_kind="import", source_detail=_detail(result),
                                              as_of=mapping.as_of, currency=mapping.currency, record=record,
                                              progress=progress)
        finally:
            con.close()
    result.seconds = time.perf_counter() - started
    return result


def _scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for this import, after removing those of imports that were killed."""
    for abandoned in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        remove_if_abandoned(abandoned, pid=abandoned.name[len(SCRATCH_PREFIX):].split("-")[0])
    return tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")


def _read_and_convert(con: duckdb.DuckDBPyConnection, source_dir: Path, mapping: mapping_file.Mapping,
                      problems: Problems, progress: Progress,
                      ) -> tuple[dict[str, list[transform.Converted]], list[report.FileSummary]]:
    converted: dict[str, list[transform.Converted]] = {}
    files: list[report.FileSummary] = []
    if not source_dir.is_dir():
        problems.add(Problem(ERROR, "missing folder", str(source_dir), None, None, None, None,
                             f"the source folder {source_dir} does not exist"))
        return converted, files
    for name in read.unmapped_files(source_dir, mapping.files):
        problems.add(Problem(NOTE, "file not mapped", name, None, None, None, None,
                             "no [[files]] entry reads this file; it was not imported"))
    for entry in mapping.files:
        progress(f"reading {entry.name}")
        item = transform.convert_directly(con, source_dir / entry.file, entry)
        rows_read = item.rows if item is not None else None
        if item is None:
            item, rows_read = _stage_and_convert(con, source_dir, entry, problems)
        if item is not None:
            converted.setdefault(entry.table, []).append(item)
        dropped = item.duplicates if item is not None and entry.drop_duplicates else 0
        files.append(report.FileSummary(entry.name, entry.table, rows_read, item.rows if item else 0, dropped))
    return converted, files


def _stage_and_convert(con: duckdb.DuckDBPyConnection, source_dir: Path, entry: mapping_file.FileMapping,
                       problems: Problems) -> tuple[transform.Converted | None, int | None]:
    """The file staged, checked and converted, and the rows read from it (None when it could not be read)."""
    staged = read.stage(con, source_dir, entry, problems)
    if staged is None or not read.missing_columns(staged, problems):
        return None, staged.rows if staged else None
    if staged.rows == 0:
        problems.add(Problem(NOTE, "no rows", entry.name, None, None, None, None,
                             f"the file has a header but no rows; {entry.table} gets none from it", entry.position))
    return transform.convert(con, staged, problems), staged.rows


def _broken(files: list[report.FileSummary], converted: dict[str, list[transform.Converted]]) -> set[str]:
    """Tables with a file that could not be converted: references to them cannot be judged."""
    counted = {t: len(items) for t, items in converted.items()}
    expected: dict[str, int] = {}
    for f in files:
        expected[f.table_name] = expected.get(f.table_name, 0) + 1
    return {t for t, n in expected.items() if counted.get(t, 0) < n}


def _copy_tables(con: duckdb.DuckDBPyConnection, converted: dict[str, list[transform.Converted]],
                 progress: Progress) -> None:
    """Every imported contract table, from the scratch database into the new warehouse (con's default database).

    Each table is copied on a cursor of its own, side by side: a small table is written by one thread, which would
    otherwise leave the other cores waiting before the large tables start."""

    def copy(table_name: str) -> str:
        columns = ", ".join(quoted(c) for c in contract.table(table_name).column_names)
        rows = " union all ".join(f"select {columns} from {SCRATCH}.{item.table} "
                                  f"where {transform.DUPLICATE_OF} is null" for item in converted[table_name])
        with con.cursor() as cursor:
            cursor.execute(f"use {build.NEW_WAREHOUSE}")  # what build_on attached the new file as
            cursor.execute(f"insert into {quoted(table_name)} ({columns}) {rows}")
        return table_name

    workers = max(1, min(len(converted), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="copy-table") as pool:
        for table_name in pool.map(copy, converted):
            progress(f"loaded {table_name}")


def _detail(result: ImportResult) -> dict:
    """What meta.build records about the import (the Data & measures page and `status` show it)."""
    counts = report.counts_by_rule(result.problems)
    return {
        "raw_dir": str(result.source_dir),  # what the build records for any source
        "source_dir": str(result.source_dir),
        "mapping": str(result.mapping.path),
        "files": len(result.files),
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "duplicates_dropped": sum(n for severity, _, n in counts if severity == DROPPED),
        "notes": sum(n for severity, _, n in counts if severity == NOTE),
    }

