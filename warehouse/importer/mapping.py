"""The mapping file: which source file fills which contract table, and how each contract column is filled.

A mapping is TOML (see mappings/README.md). Loading it checks everything that can be checked without reading the
data: known tables and columns, one way to fill each column, every required column filled, date formats that
parse, known encodings. All mistakes are reported at once, each naming where in the mapping it is.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import duckdb

from warehouse import contract, settings

ENCODINGS = ("utf-8", "latin-1", "utf-16")
SOURCE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".xlsx")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
ROW_COLUMN = "_row"  # the record's row number, offered to derived expressions (see read.py)

# Options that a file entry may set and the top level may set as the default for every file.
_SHARED = ("delimiter", "encoding", "quote", "drop_duplicates", "null_values", "date_format")
_TOP_LEVEL = frozenset({"currency", "as_of", "earliest_date", "latest_date", "files", *_SHARED})
_ENTRY = frozenset({"file", "sheet", "table", "columns", *_SHARED})
_COLUMN = frozenset({"column", "constant", "derived", "values", "format", "default"})
_DATE_TYPES = ("DATE", "TIMESTAMP")
# Friendly date patterns people write, and the strptime codes they mean (for the hint in an error message).
_FRIENDLY = (("yyyy", "%Y"), ("yy", "%y"), ("dd", "%d"), ("mm", "%m"), ("HH", "%H"), ("MI", "%M"), ("SS", "%S"))


class MappingError(Exception):
    """The mapping file cannot be used. The message lists every mistake found, each with where it is."""

    def __init__(self, path: Path, mistakes: list[str]):
        self.path, self.mistakes = path, mistakes
        super().__init__(f"{path}: {len(mistakes)} mistake(s) in the mapping\n" + "\n".join(f"  - {m}"
                                                                                          for m in mistakes))


@dataclass(frozen=True)
class ColumnRule:
    """How one contract column is filled: from a source column, a constant, or a SQL expression."""

    target: str
    source: str | None = None
    constant: str | None = None
    derived: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # source text -> contract text, applied after trimming
    format: str | None = None  # strptime codes for text dates
    default: str | None = None  # used where the source value is empty

    @property
    def label(self) -> str:
        """What a report calls the column: the source column, or how the value was made."""
        if self.source is not None:
            return self.source
        return f"(constant for {self.target})" if self.constant is not None else f"(derived {self.target})"


@dataclass(frozen=True)
class FileMapping:
    """One source file (or sheet) feeding one contract table."""

    position: int
    file: str
    table: str
    columns: tuple[ColumnRule, ...]
    sheet: str | None = None
    delimiter: str | None = None  # None: detected from the file
    encoding: str = "utf-8"
    quote: str = '"'
    drop_duplicates: bool = False
    null_values: tuple[str, ...] = ()
    date_format: str | None = None

    @property
    def name(self) -> str:
        """The file as a report names it: the path, and the sheet for a workbook."""
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file

    @property
    def kind(self) -> str:
        suffix = PurePosixPath(self.file).suffix.lower()
        return {".parquet": "parquet", ".xlsx": "xlsx"}.get(suffix, "csv")

    @property
    def contract_table(self) -> contract.Table:
        return contract.table(self.table)

    def source_columns(self) -> list[str]:
        """The source columns the mapping reads by name (derived expressions are checked separately)."""
        return list(dict.fromkeys(rule.source for rule in self.columns if rule.source is not None))


@dataclass(frozen=True)
class Mapping:
    path: Path
    files: tuple[FileMapping, ...]
    currency: str = settings.CURRENCY
    as_of: date | None = None
    earliest_date: date = EARLIEST_DATE
    latest_date: date = LATEST_DATE
    tables: tuple[str, ...] = field(default=())

    def entries_for(self, table: str) -> list[FileMapping]:
        return [entry for entry in self.files if entry.table == table]


def load(path: Path | str) -> Mapping:
    """Read and check a mapping file; MappingError lists every mistake."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(path, ["the mapping file does not exist"]) from None
    except UnicodeDecodeError as error:
        raise MappingError(path, [f"the mapping file is not UTF-8 text ({error.reason})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(path, [f"not valid TOML: {error}"]) from None
    mistakes: list[str] = []
    mapping = _parse(path, raw, mistakes)
    if mistakes:
        raise MappingError(path, mistakes)
    return mapping


# ------------------------------------------------------------------------------------------------ parsing

def _parse(path: Path, raw: dict, mistakes: list[str]) -> Mapping:
    _unknown_keys(raw, _TOP_LEVEL, "the top level", mistakes)
    defaults = {key: raw[key] for key in _SHARED if key in raw}
    currency = raw.get("currency", settings.CURRENCY)
    if not (isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)):
        mistakes.append(f"currency {currency!r} is not a three-letter ISO code such as USD, GBP or EUR")
        currency = settings.CURRENCY
    as_of = _date_option(raw, "as_of", None, mistakes)
    earliest = _date_option(raw, "earliest_date", EARLIEST_DATE, mistakes)
    latest = _date_option(raw, "latest_date", LATEST_DATE, mistakes)
    if earliest and latest and earliest > latest:
        mistakes.append(f"earliest_date {earliest} is after latest_date {latest}")
    entries = raw.get("files")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        mistakes.append("no [[files]] entries: each one maps a source file to a contract table")
        entries = []
    files = []
    for position, entry in enumerate(entries, start=1):
        parsed = _entry(position, entry, defaults, mistakes)
        if parsed is not None:
            files.append(parsed)
    _no_file_twice(files, mistakes)
    return Mapping(path, tuple(files), currency, as_of, earliest or EARLIEST_DATE, latest or LATEST_DATE,
                   tuple(dict.fromkeys(f.table for f in files)))


def _entry(position: int, raw: dict, defaults: dict, mistakes: list[str]) -> FileMapping | None:
    where = f"files[{position}]" + (f" ({raw['file']})" if isinstance(raw.get("file"), str) else "")
    _unknown_keys(raw, _ENTRY, where, mistakes)
    options = {**defaults, **{key: raw[key] for key in _SHARED if key in raw}}
    file, table_name = raw.get("file"), raw.get("table")
    if not isinstance(file, str) or not file.strip():
        mistakes.append(f"{where}: `file` is missing: the source file's path inside the source folder")
        return None
    relative = PurePosixPath(file)
    if relative.is_absolute() or ".." in relative.parts:
        mistakes.append(f"{where}: file {file!r} must be a path inside the source folder")
    if relative.suffix.lower() not in SOURCE_SUFFIXES:
        mistakes.append(f"{where}: file {file!r} is not a supported kind ({', '.join(SOURCE_SUFFIXES)})")
    sheet = raw.get("sheet")
    if sheet is not None and (relative.suffix.lower() != ".xlsx" or not isinstance(sheet, str)):
        mistakes.append(f"{where}: `sheet` is for .xlsx files only, and is the sheet's name")
        sheet = None
    if table_name not in contract.TABLES_BY_NAME:
        known = ", ".join(contract.TABLES_BY_NAME)
        mistakes.append(f"{where}: unknown table {table_name!r}; the contract tables are: {known}")
        return None
    table = contract.table(table_name)
    where = f"files[{position}] ({file} -> {table.name})"
    delimiter = options.get("delimiter")
    if delimiter is not None and not (isinstance(delimiter, str) and 1 <= len(delimiter) <= 4):
        mistakes.append(f"{where}: delimiter {delimiter!r} must be one to four characters, e.g. ',' ';' '\\t' '|'")
        delimiter = None
    encoding = str(options.get("encoding", "utf-8")).lower().replace("_", "-")
    encoding = {"utf8": "utf-8", "latin1": "latin-1", "iso-8859-1": "latin-1", "utf16": "utf-16"}.get(encoding,
                                                                                                   encoding)
    if encoding not in ENCODINGS:
        mistakes.append(f"{where}: encoding {options.get('encoding')!r} is not one of {', '.join(ENCODINGS)}")
    quote = options.get("quote", '"')
    if not (isinstance(quote, str) and len(quote) <= 1):
        mistakes.append(f"{where}: quote {quote!r} must be one character (or '' for none)")
        quote = '"'
    drop = options.get("drop_duplicates", False)
    if not isinstance(drop, bool):
        mistakes.append(f"{where}: drop_duplicates must be true or false")
    nulls = options.get("null_values", [])
    if not (isinstance(nulls, list) and all(isinstance(v, str) for v in nulls)):
        mistakes.append(f"{where}: null_values must be a list of texts, e.g. [\"N/A\", \"-\"]")
        nulls = []
    date_format = options.get("date_format")
    if date_format is not None:
        date_format = _checked_format(date_format, f"{where}: date_format", mistakes)
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        mistakes.append(f"{where}: [files.columns] is missing: it says which source column fills each contract "
                        "column")
        return None
    rules = [_column(table, target, spec, f"{where}, column {target}", date_format, mistakes)
             for target, spec in columns.items()]
    rules = [rule for rule in rules if rule is not None]
    filled = {rule.target for rule in rules}
    for column in table.columns:
        if column.required and column.name not in filled and not any(column.name == t for t in columns):
            mistakes.append(f"{where}: required column {table.name}.{column.name} ({column.description}) is not "
                            "mapped; map it to a source column, a constant or a derived expression")
    return FileMapping(position, file, table.name, tuple(rules), sheet, delimiter, encoding, quote,
                       bool(drop), tuple(nulls), date_format)


def _column(table: contract.Table, target: str, spec: object, where: str, date_format: str | None,
            mistakes: list[str]) -> ColumnRule | None:
    if target not in table.column_names:
        mistakes.append(f"{where}: {table.name} has no column {target!r}; its columns are: "
                        f"{', '.join(table.column_names)}")
        return None
    column = table.column(target)
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        mistakes.append(f"{where}: give a source column name, or a table such as {{ column = \"...\" }}, "
                        "{ constant = ... } or { derived = \"SQL expression\" }")
        return None
    _unknown_keys(spec, _COLUMN, where, mistakes)
    ways = [key for key in ("column", "constant", "derived") if key in spec]
    if len(ways) != 1:
        mistakes.append(f"{where}: needs exactly one of `column`, `constant` or `derived` (found "
                        f"{', '.join(ways) or 'none'})")
        return None
    source, derived = spec.get("column"), spec.get("derived")
    if "column" in ways and not (isinstance(source, str) and source):
        mistakes.append(f"{where}: `column` must be the source column's name as written in the header")
        return None
    if "derived" in ways and not (isinstance(derived, str) and derived.strip()):
        mistakes.append(f"{where}: `derived` must be a SQL expression over the source columns")
        return None
    constant = _text(spec["constant"]) if "constant" in ways else None
    values = spec.get("values", {})
    if not (isinstance(values, dict) and all(isinstance(v, str | bool | int | float) for v in values.values())):
        mistakes.append(f"{where}: `values` must map source texts to contract values, e.g. "
                        "{ \"Yes\" = true, \"Home Loan\" = \"Home\" }")
        values = {}
    value_format = spec.get("format")
    if value_format is not None or (date_format and column.type in _DATE_TYPES):
        if column.type not in _DATE_TYPES:
            mistakes.append(f"{where}: `format` is for date and timestamp columns; {target} is {column.type}")
            value_format = None
        elif value_format is not None:
            value_format = _checked_format(value_format, f"{where}: format", mistakes)
        else:
            value_format = date_format
    default = spec.get("default")
    return ColumnRule(target, source if "column" in ways else None, constant, derived.strip() if derived else None,
                      tuple((str(k), _text(v)) for k, v in values.items()), value_format,
                      _text(default) if default is not None else None)


# ------------------------------------------------------------------------------------------------ helpers

def _text(value: object) -> str:
    """A TOML scalar as the text the converter reads (true -> 'true', dates in ISO form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


@functools.cache
def _format_checker() -> duckdb.DuckDBPyConnection:
    """One in-memory database for every format check: opening one costs more than the check itself."""
    return duckdb.connect()


def _checked_format(value: object, where: str, mistakes: list[str]) -> str | None:
    if not isinstance(value, str) or "%" not in value:
        suggestion = str(value)
        for friendly, code in _FRIENDLY:
            suggestion = suggestion.replace(friendly, code)
        hint = f"; {value!r} is written {suggestion!r}" if suggestion != value and "%" in suggestion else ""
        mistakes.append(f"{where} {value!r} is not a date format: use strptime codes such as %d-%m-%Y or "
                        f"%Y-%m-%d %H:%M{hint}")
        return None
    try:
        _format_checker().cursor().execute("select try_strptime('', $format)", {"format": value}).fetchall()
    except duckdb.Error as error:
        mistakes.append(f"{where} {value!r} is not a date format: {str(error).splitlines()[0]}")
        return None
    return value


def _date_option(raw: dict, key: str, fallback: date | None, mistakes: list[str]) -> date | None:
    value = raw.get(key, fallback)
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        mistakes.append(f"{key} {value!r} is not a date; write it as 2024-06-30")
        return fallback


def _unknown_keys(raw: dict, known: frozenset[str], where: str, mistakes: list[str]) -> None:
    for key in raw:
        if key not in known:
            mistakes.append(f"{where}: unknown key {key!r}; known keys: {', '.join(sorted(known))}")


def _no_file_twice(files: list[FileMapping], mistakes: list[str]) -> None:
    seen: dict[tuple[str, str | None, str], int] = {}
    for entry in files:
        key = (entry.file, entry.sheet, entry.table)
        if key in seen:
            mistakes.append(f"files[{entry.position}] maps {entry.name} to {entry.table} again (as files[{seen[key]}]"
                            " does)")
        seen.setdefault(key, entry.position)
