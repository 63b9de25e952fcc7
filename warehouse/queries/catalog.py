"""Data & measures: what the warehouse holds, what it was built from, and every object of sql/ documented.

The documentation comes from the warehouse itself (meta.*, written by the build from the SQL file headers), so
the page describes exactly what was built. Which pages use an object is read from the source text of the query
modules (warehouse/queries/<module>.py): an object is used directly by a page when its name appears in a string of
that page's module, and through other objects when something it feeds is.

This module names no object of sql/ in its strings, so it never counts as a user of one.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import polars as pl

from warehouse import contract
from warehouse.catalog import AREA_TITLES
from warehouse.gateway import BuildInfo
from warehouse.queries import PAGES
from warehouse.queries.common import Reader
from warehouse.scope import Scope, add_months, month_start

QUERIES_DIR = Path(__file__).resolve().parent
# Query modules that read sql/ objects, with the part of the app they serve: the pages, then the shared parts.
CONSUMERS = {**{module: title for module, title in PAGES.items() if module != "catalog"},
             "customer": "Customer detail", "options": "Sidebar filters"}
PREVIEW_ROWS = 100
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
GROUP_COLUMNS = ("region", "segment", "wealth_tier")


# -------------------------------------------------------------------------------------- the warehouse's status

def table_rows(db: Reader) -> pl.DataFrame:
    """Row count of every contract table, with its area, grain and description."""
    counts = db.frame("select table_name, row_count from meta.table_rows")
    described = pl.DataFrame(
        {
            "table_name": [t.name for t in contract.TABLES],
            "area": [contract.DOMAINS[t.domain] for t in contract.TABLES],
            "grain": [t.grain for t in contract.TABLES],
            "description": [t.description for t in contract.TABLES],
        }
    )
    return described.join(counts, on="table_name", how="left")


def source_summary(info: BuildInfo) -> str:
    """The warehouse's origin in words, e.g. 'Generated demo data: scale 1, seed 7'."""
    detail = json.loads(info.source_detail or "{}")
    if info.source_kind == "generated":
        return f"Generated demo data: scale {detail.get('scale', '?'):g}, seed {detail.get('seed', '?')}"
    if info.source_kind == "fixture":
        return "Test fixture"
    if info.source_kind == "import":
        return (f"Imported from {detail.get('source_dir', '?')} with the mapping "
                f"{Path(detail.get('mapping', '?')).name}")
    return f"Loaded from {detail.get('raw_dir', 'Parquet files')}"


def source_label(info: BuildInfo) -> str:
    """The origin in a card's few words: 'Demo, scale 1', 'Imported files' or 'Test fixture'."""
    detail = json.loads(info.source_detail or "{}")
    if info.source_kind == "generated":
        return f"Demo, scale {detail.get('scale', '?'):g}"
    return "Test fixture" if info.source_kind == "fixture" else "Imported files"


def last_import(db: Reader, scope: Scope) -> dict[str, pl.DataFrame | None] | None:
    """The report of the import this warehouse was built from: rows read and loaded per file, and every row
    dropped or note made (an import with errors never builds a warehouse). None when it was not imported.

    The row-by-row report quotes values of any region and segment, so a viewer limited to some gets None in
    its place."""
    if not _has_meta(db, "import_summary"):
        return None
    report = None if scope.restricted else db.frame(
        'select severity, rule, file, row, "column", target, value, message '
        "from meta.import_report order by severity <> 'dropped', file, row")
    return {
        "files": db.frame("select file, table_name, rows_read, rows_loaded, duplicates_dropped "
                          "from meta.import_summary"),
        "report": report,
    }


# -------------------------------------------------------------------------------------- the catalog

def _has_meta(db: Reader, table: str) -> bool:
    return bool(db.frame(
        "select count(*) as found from duckdb_tables() "
        "where database_name = current_database() and schema_name = 'meta' and table_name = $table",
        {"table": table},
    )["found"][0])


def sql_objects(db: Reader) -> pl.DataFrame:
    """Every object the warehouse was built with from sql/, in build order, with what it answers and its grain."""
    return db.frame("select name, answers, grain, kind, area, path from meta.sql_objects order by position")


def dependencies(db: Reader) -> pl.DataFrame:
    """Which objects of sql/ each object reads (name -> depends_on); empty for warehouses built before the
    build recorded it."""
    if not _has_meta(db, "sql_dependencies"):
        return pl.DataFrame(schema={"name": pl.String, "depends_on": pl.String})
    return db.frame("select name, depends_on from meta.sql_dependencies order by name, depends_on")


def _module_names(path: Path) -> frozenset[str]:
    """Every identifier written inside a string of a Python file (SQL text, view names passed as arguments)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(_IDENTIFIER.findall(node.value))
    return frozenset(names)


@lru_cache(maxsize=8)
def _scan(signature: tuple[tuple[str, str, int, int], ...]) -> dict[str, frozenset[str]]:
    return {module: _module_names(Path(path)) for module, path, _, _ in signature}


def module_names(directory: Path = QUERIES_DIR, consumers: Mapping[str, str] = CONSUMERS) -> dict[str, frozenset[str]]:
    """Identifiers in the strings of each consumer module that exists (re-read only when a file changes)."""
    signature = []
    for module in consumers:
        path = directory / f"{module}.py"
        if path.exists():
            stat = path.stat()
            signature.append((module, str(path), stat.st_mtime_ns, stat.st_size))
    return _scan(tuple(signature))


def direct_users(names: Iterable[str], directory: Path = QUERIES_DIR,
                 consumers: Mapping[str, str] = CONSUMERS) -> dict[str, list[str]]:
    """Object name -> the parts of the app (page titles, in navigation order) whose query module names it."""
    scanned = module_names(directory, consumers)
    return {name: [consumers[m] for m in consumers if m in scanned and name in scanned[m]] for name in names}


def _dependants(reads: pl.DataFrame) -> dict[str, set[str]]:
    """Object -> every object that reads it, directly or through others."""
    readers: dict[str, set[str]] = {}
    for name, depends_on in reads.iter_rows():
        readers.setdefault(depends_on, set()).add(name)
    closed: dict[str, set[str]] = {}

    def visit(name: str) -> set[str]:
        if name not in closed:
            closed[name] = set()  # guards against cycles, which the build refuses anyway
            found = set(readers.get(name, ()))
            for reader in list(found):
                found |= visit(reader)
            closed[name] = found
        return closed[name]

    for name in list(readers):
        visit(name)
    return closed


def _area_rank(area: str) -> int:
    """Measures first in the order of sql/README.md, staging (source tables renamed) last."""
    order = [a for a in AREA_TITLES if a != "staging"] + ["staging"]
    return order.index(area) if area in order else len(order)


def object_names(db: Reader) -> list[str]:
    """Every object's name in the catalog's order: the choices of the detail view."""
    rows = sql_objects(db).select("name", "area").iter_rows()
    return [name for name, _ in sorted(rows, key=lambda row: (_area_rank(row[1]), row[0]))]


def catalog(db: Reader, directory: Path = QUERIES_DIR) -> pl.DataFrame:
    """Every object with what it answers, grain, kind, area, file, the pages using it directly and the pages it
    feeds through other objects; measures first by area, staging last."""
    objects = sql_objects(db)
    names = objects["name"].to_list()
    direct = direct_users(names, directory)
    dependants = _dependants(dependencies(db))
    rows = []
    for obj in objects.iter_rows(named=True):
        pages = direct[obj["name"]]
        through = {page for other in dependants.get(obj["name"], ()) for page in direct.get(other, ())}
        rows.append({
            **obj,
            "area_title": AREA_TITLES.get(obj["area"], obj["area"].title()),
            "pages": ", ".join(pages),
            "pages_through": ", ".join(p for p in CONSUMERS.values() if p in through and p not in pages),
            "area_rank": _area_rank(obj["area"]),
        })
    schema = {**dict(objects.schema), "area_title": pl.String, "pages": pl.String, "pages_through": pl.String,
              "area_rank": pl.Int64}
    return pl.DataFrame(rows, schema=schema).sort("area_rank", "name").drop("area_rank")


# -------------------------------------------------------------------------------------- one object in detail

@dataclass(frozen=True)
class Call:
    """How to read an object: its name, or a macro call with default arguments (None when one has no default)."""

    sql: str | None
    text: str
    params: dict[str, object]

    @property
    def example(self) -> str:
        """The statement an analyst would type to read the object."""
        return f"select * from {self.text}"


def macro_parameters(db: Reader, name: str) -> list[str]:
    frame = db.frame(
        "select parameters from duckdb_functions() where database_name = current_database() "
        "and function_name = $name and function_type = 'table_macro'", {"name": name})
    return list(frame["parameters"][0]) if frame.height else []


def default_argument(parameter: str, as_of: date) -> tuple[object, str] | None:
    """A sensible value for a macro parameter, and how it reads in SQL; None when there is no obvious one.

    Dates: the data as-of date, or the start of the twelve months up to it; lists of groups: null (all); the
    source of collection actions: the source data (what the build stores; 'recorded in app' is the live part)."""
    if parameter == "as_of" or parameter.endswith("_end") or parameter == "end_date":
        return as_of, f"DATE '{as_of.isoformat()}'"
    if parameter.endswith("_start") or parameter == "start_date":
        start = add_months(month_start(as_of), -11)
        return start, f"DATE '{start.isoformat()}'"
    if parameter in ("regions", "segments", "wealth_tiers"):
        return None, "NULL"
    if parameter == "action_source":
        return "source data", "'source data'"
    return None


def call_for(db: Reader, name: str, kind: str, as_of: date | None) -> Call:
    if not _SAFE_NAME.match(name):
        raise ValueError(f"not an object name: {name!r}")
    if kind != "macro":
        return Call(name, name, {})
    parameters = macro_parameters(db, name)
    defaults = {p: default_argument(p, as_of) for p in parameters} if as_of else {}
    if not as_of or any(defaults.get(p) is None for p in parameters):
        return Call(None, f"{name}({', '.join(parameters)})", {})
    text = f"{name}({', '.join(defaults[p][1] for p in parameters)})"
    return Call(f"{name}({', '.join(f'$arg_{p}' for p in parameters)})", text,
                {f"arg_{p}": defaults[p][0] for p in parameters})


def columns(db: Reader, name: str, call: Call) -> pl.DataFrame:
    """The object's columns in order, with their type in the warehouse and their documented meaning."""
    if call.sql is None:
        types = pl.DataFrame(schema={"column_name": pl.String, "data_type": pl.String})
    elif call.sql == name:
        types = db.frame(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() and table_schema = 'main' and table_name = $name "
            "order by ordinal_position", {"name": name})
    else:
        types = db.frame(f"describe select * from {call.sql}", call.params).select(
            pl.col("column_name"), pl.col("column_type").alias("data_type"))
    if _has_meta(db, "sql_columns"):
        described = db.frame("select column_name, description from meta.sql_columns where name = $name "
                             "order by position", {"name": name})
    else:
        described = pl.DataFrame(schema={"column_name": pl.String, "description": pl.String})
    if types.is_empty():
        return described.with_columns(pl.lit(None, pl.String).alias("data_type")).select(
            "column_name", "data_type", "description")
    return types.join(described, on="column_name", how="left", maintain_order="left")


def preview(db: Reader, scope: Scope, call: Call, column_names: list[str]) -> tuple[pl.DataFrame | None, str]:
    """The first rows of the object, within the viewer's regions and segments and the sidebar's groups where it
    has those columns; None with the reason when it cannot be shown."""
    if call.sql is None:
        return None, f"It takes parameters without an obvious default: call it as {call.text}."
    present = {column: column if column in column_names else None for column in GROUP_COLUMNS}
    try:
        groups = scope.groups(**present)
    except ValueError as refusal:  # no region (segment) column, and the viewer is limited to some
        return None, f"It cannot be previewed here: {refusal}."
    frame = db.frame(f"select * from {call.sql} where {groups.sql} limit {PREVIEW_ROWS}",
                     {**call.params, **groups.params})
    applied = [label for column, field, label in (("region", "regions", "regions"), ("segment", "segments", "segments"),
                                                  ("wealth_tier", "wealth_tiers", "wealth tiers"))
               if present[column] and getattr(scope, field)]
    note = f"At most {PREVIEW_ROWS} rows, as stored" + (f"; only the sidebar's {' and '.join(applied)}"
                                                          if applied else "")
    return frame, note + "."


def detail(db: Reader, scope: Scope, objects: pl.DataFrame, name: str, as_of: date | None) -> dict[str, object]:
    """One object: its row of the catalog, what it reads and what reads it, its columns and a preview."""
    row = objects.filter(pl.col("name") == name).row(0, named=True)
    call = call_for(db, name, row["kind"], as_of)
    cols = columns(db, name, call)
    frame, note = preview(db, scope, call, cols["column_name"].to_list())
    reads = dependencies(db)
    return {
        "object": row,
        "call": call,
        "reads": reads.filter(pl.col("name") == name)["depends_on"].to_list(),
        "read_by": reads.filter(pl.col("depends_on") == name)["name"].to_list(),
        "columns": cols,
        "preview": frame,
        "preview_note": note,
        "documented": _has_meta(db, "sql_columns"),
    }


def load(db: Reader, scope: Scope, view: str | None = None) -> dict[str, object]:
    """Everything the Data & measures page shows. `view`: the object shown in detail (default: the first of the
    catalog); an unknown name falls back to the default."""
    objects = catalog(db)
    names = objects["name"].to_list()  # in the order of object_names
    as_of = db.frame("select as_of_date from meta.build")["as_of_date"][0]
    chosen = view if view in names else (names[0] if names else None)
    return {
        "tables": table_rows(db),
        "catalog": objects,
        "view": chosen,
        "detail": detail(db, scope, objects, chosen, as_of) if chosen else None,
    }
