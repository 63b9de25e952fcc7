"""Read one source file into the scratch database as text, exactly as written, with its row numbers.

Every column is read as VARCHAR: converting is the next step's job, and only text lets a report quote the value
that failed to convert. A staged table is never modified, so its rowid plus a fixed offset is the row number the
report gives: the line in a CSV file or the row in a sheet (the header being row 1), the record's number (from 1)
in a Parquet file. The view src_<n> puts that number beside the source columns as _row.

Problems that make the file unusable (missing, empty, not UTF-8, the wrong delimiter, malformed lines) are
recorded and the file is not staged; the checks of its values would only repeat them.

A well-formed CSV file need not be staged at all: transform.convert_directly converts it as it is read, with the
query and header given here, and leaves any other file to stage().
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.importer.mapping import ROW_COLUMN, SOURCE_SUFFIXES, FileMapping
from warehouse.importer.problems import ERROR, Problem, Problems

_REJECT_RULES = {"INVALID ENCODING": "encoding"}  # every other kind of rejected CSV line is a malformed line
_COMMON_DELIMITERS = (",", ";", "\t", "|")
_QUOTED_LINES = 1000  # rejected lines quoted from the file itself; later ones keep DuckDB's rendering
CSV_FIRST_ROW = 2  # the number of a CSV file's first record: the header is row 1


@dataclass(frozen=True)
class Staged:
    entry: FileMapping
    view: str  # src_<n>: _row and the source columns (all text)
    columns: tuple[str, ...]
    rows: int


def stage(con: duckdb.DuckDBPyConnection, source_dir: Path, entry: FileMapping, problems: Problems) -> Staged | None:
    """The file's staged view, or None after recording why it cannot be read."""
    path = source_dir / entry.file

    def fail(rule: str, message: str, row: int | None = None, column: str | None = None,
             value: str | None = None) -> None:
        problems.add(Problem(ERROR, rule, entry.name, row, column, None, value, message, entry.position))

    if not path.is_file():
        near = [p.name for p in path.parent.glob("*") if p.name.lower() == path.name.lower()] \
            if path.parent.is_dir() else []
        fail("missing file", f"{entry.file} is not in the source folder" +
             (f" (there is {near[0]}: names are case-sensitive)" if near else ""))
        return None
    table = f"stage_{entry.position}"
    try:
        if entry.kind == "csv":
            offset = _stage_csv(con, path, entry, table, fail)
        elif entry.kind == "parquet":
            offset = _stage_parquet(con, path, table)
        else:
            offset = _stage_sheet(con, path, entry, table, fail)
    except duckdb.Error as error:
        fail("unreadable file", f"{entry.file} could not be read: {_message(error)}")
        return None
    if offset is None:
        return None
    columns = _source_columns(con, table)
    if ROW_COLUMN in columns:
        fail("unreadable file", f"the file has a column named {ROW_COLUMN}, a name the importer reserves for the "
                                "row number; rename it")
        return None
    view = f"src_{entry.position}"
    con.execute(f"create view {view} as select rowid + {int(offset)} as {ROW_COLUMN}, * from {table}")
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    return Staged(entry, view, columns, rows)


def _create_stage(con: duckdb.DuckDBPyConnection, table: str, select_sql: str, params: dict | None = None) -> None:
    """The staged table: the rows select_sql returns, all text."""
    con.execute(f"create table {table} as {select_sql}", params)


def _source_columns(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, ...]:
    return tuple(name for name, in con.execute(f"select name from pragma_table_info('{table}') order by cid").fetchall())


def missing_columns(staged: Staged, problems: Problems) -> bool:
    """Record every source column the mapping reads that the file lacks; True when all are there."""
    entry, present = staged.entry, set(staged.columns)
    missing = [name for name in entry.source_columns() if name not in present]
    for name in missing:
        targets = ", ".join(f"{entry.table}.{r.target}" for r in entry.columns if r.source == name)
        near = [c for c in staged.columns if c.strip().lower() == name.strip().lower()]
        hint = f" (did you mean {near[0]!r}?)" if near else f"; its columns are: {', '.join(staged.columns)}"
        problems.add(Problem(ERROR, "missing column", entry.name, 1, name, targets, None,
                             f"the header has no column {name!r}, which the mapping reads for {targets}{hint}",
                             entry.position))
    return not missing


def unmapped_files(source_dir: Path, entries: tuple[FileMapping, ...]) -> list[str]:
    """Readable files in the folder that no mapping entry reads."""
    mapped = {Path(entry.file).as_posix() for entry in entries}
    found = sorted(p.relative_to(source_dir).as_posix() for p in source_dir.rglob("*")
                   if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)
    return [name for name in found if name not in mapped]


# ------------------------------------------------------------------------------------------------ CSV

def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, entry: FileMapping, table: str, fail) -> int | None:
    header = _header_bytes(path)
    if not header.strip():
        fail("empty file", f"{entry.file} is empty: a header row naming the columns is expected", row=1)
        return None
    try:
        # DuckDB drops a header line it cannot decode and takes the next line for the header: check it here
        header_text = header.decode("utf-8-sig") if entry.encoding == "utf-8" else \
            header.decode(entry.encoding, errors="replace")
    except UnicodeDecodeError as error:
        fail("encoding", f"the header row is not {entry.encoding} text (byte {header[error.start:error.end]!r}); "
                         "set encoding = \"latin-1\" in the mapping if that is how the file was saved",
             row=1, value=header.decode("utf-8", errors="replace").strip())
        return None
    _create_stage(con, table, *csv_select(path, entry))
    columns = _source_columns(con, table)
    if _wrong_delimiter(columns, entry):
        found = _likely_delimiter(con, path, header_text, entry.delimiter)
        said = f"delimiter {entry.delimiter!r}" if entry.delimiter else "the detected delimiter"
        fail("delimiter", f"with {said} the header is a single column, so no mapped column can be found; "
                          + (f"the file looks {found!r}-delimited: set delimiter = {found!r}" if found else
                             "set the file's delimiter in the mapping"),
             row=1, value=header_text.strip())
        return None
    rejected = con.execute(f"select line, column_name, error_type, csv_line, error_message from "
                           f"{_rejects(entry)} order by line").fetchall()
    # DuckDB shows undecodable bytes as '?': quote those lines from the file instead, bad bytes as U+FFFD
    undecodable = _lines(path, {line for line, _, kind, _, _ in rejected[:_QUOTED_LINES]
                                if _REJECT_RULES.get(kind) == "encoding"})
    for line, column, kind, text, message in rejected:
        rule = _REJECT_RULES.get(kind, "malformed line")
        detail = (f"not {entry.encoding} text" + ("; set encoding = \"latin-1\" in the mapping if that is how the "
                                                   "file was saved" if entry.encoding == "utf-8" else "")
                  if rule == "encoding" else message)
        fail(rule, detail, row=int(line), column=column, value=undecodable.get(int(line), text))
    return None if rejected else CSV_FIRST_ROW  # rows after a rejected line would get wrong numbers: fix the file


def csv_select(path: Path, entry: FileMapping) -> tuple[str, dict[str, str]]:
    """The query reading a CSV file as text, and its parameters; lines it cannot read go to rejects_<n>."""
    options = {"path": str(path), "quote": entry.quote, "encoding": entry.encoding}
    delimiter = ""
    if entry.delimiter is not None:
        options["delimiter"] = entry.delimiter
        delimiter = ", delim = $delimiter"
    rejects = _rejects(entry)
    return (f"select * from read_csv($path, header = true, all_varchar = true{delimiter}, quote = $quote, "
            f"escape = $quote, encoding = $encoding, store_rejects = true, rejects_table = '{rejects}', "
            f"rejects_scan = '{rejects}_scan')"), options


def csv_header(path: Path, entry: FileMapping) -> list[str] | None:
    """The names in a CSV file's header, when they can be read without staging's checks: the file exists, its
    header is text in the file's encoding, and the mapping names a delimiter of one character (as Python's csv
    module reads them); otherwise None."""
    if entry.delimiter is None or len(entry.delimiter) != 1 or not path.is_file():
        return None
    try:
        text = _header_bytes(path).decode("utf-8-sig" if entry.encoding == "utf-8" else entry.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    quoting = {"quotechar": entry.quote} if entry.quote else {"quoting": csv.QUOTE_NONE}
    try:
        return next(csv.reader([text], delimiter=entry.delimiter, **quoting), None)
    except csv.Error:
        return None


def rejected_lines(con: duckdb.DuckDBPyConnection, entry: FileMapping) -> int:
    return con.execute(f"select count(*) from {_rejects(entry)}").fetchall()[0][0]


def discard_rejects(con: duckdb.DuckDBPyConnection, entry: FileMapping) -> None:
    """Forget the lines a read of the file rejected (a later read adds its own to the same tables)."""
    rejects = _rejects(entry)
    con.execute(f"drop table if exists {rejects}")
    con.execute(f"drop table if exists {rejects}_scan")


def _rejects(entry: FileMapping) -> str:
    return f"rejects_{entry.position}"


def _wrong_delimiter(columns: tuple[str, ...], entry: FileMapping) -> bool:
    wanted = entry.source_columns()
    return len(columns) == 1 and (len(wanted) > 1 or (len(wanted) == 1 and wanted[0] != columns[0]))


def _likely_delimiter(con: duckdb.DuckDBPyConnection, path: Path, header: str, said: str | None) -> str | None:
    try:
        sniffed = con.execute("select Delimiter from sniff_csv($path)", {"path": str(path)}).fetchall()[0][0]
    except duckdb.Error:
        sniffed = None
    if sniffed and sniffed != said and sniffed in header:
        return sniffed
    return next((d for d in _COMMON_DELIMITERS if d != said and d in header), None)


def _lines(path: Path, numbers: set[int]) -> dict[int, str]:
    """The given lines of a file (1 = the first), decoded as UTF-8 with undecodable bytes shown as U+FFFD."""
    found: dict[int, str] = {}
    if not numbers:
        return found
    last = max(numbers)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number in numbers:
                found[number] = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
            if number >= last:
                break
    return found


def _header_bytes(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.readline(1 << 20)


def _message(error: Exception) -> str:
    """The first line of a DuckDB error: the rest repeats the reader's options."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# ------------------------------------------------------------------------------------------------ Parquet

def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> int:
    _create_stage(con, table, "select columns(*)::varchar from read_parquet($path)", {"path": str(path)})
    return 1


# ------------------------------------------------------------------------------------------------ Excel

def _stage_sheet(con: duckdb.DuckDBPyConnection, path: Path, entry: FileMapping, table: str, fail) -> int | None:
    from openpyxl import load_workbook  # only imports of workbooks pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        fail("unreadable file", f"{entry.file} is not a readable .xlsx workbook ({error})")
        return None
    try:
        if entry.sheet is not None and entry.sheet not in book.sheetnames:
            fail("missing sheet", f"{entry.file} has no sheet {entry.sheet!r}; its sheets are: "
                                  f"{', '.join(book.sheetnames)}", value=entry.sheet)
            return None
        sheet = book[entry.sheet] if entry.sheet is not None else book.worksheets[0]
        rows = [[_cell_text(v) for v in values] for values in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()  # trailing blank rows are formatting, not data
    if not rows or all(v is None for v in rows[0]):
        fail("empty file", f"{entry.name} is empty: a header row naming the columns is expected in row 1", row=1)
        return None
    names = _header_names(rows[0])
    width = len(names)
    columns = {name: [row[i] if i < len(row) else None for row in rows[1:]] for i, name in enumerate(names)}
    frame = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()}) if width else None
    con.register(f"{table}_sheet", frame)
    try:
        _create_stage(con, table, f"select * from {table}_sheet")
    finally:
        con.unregister(f"{table}_sheet")
    return 2


def _header_names(header: list[str | None]) -> list[str]:
    """Header cells as column names: blank ones named by position, repeated ones numbered like DuckDB does."""
    names: list[str] = []
    for i, value in enumerate(header, start=1):
        name = value.strip() if value and value.strip() else f"column{i}"
        base, n = name, 1
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _cell_text(value: object) -> str | None:
    """A cell as the text a CSV export would hold: ISO dates, whole numbers without '.0', true/false."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None
