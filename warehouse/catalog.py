"""The SQL catalog: every view and table macro in `sql/`, read from its file.

One object per file, named after the file. The file starts with a header comment that documents it:

    -- Answers: what question the object answers, in business words.
    -- Grain: one row per ...
    -- Definition: how the measure is defined, including deliberate differences from naive definitions.
    -- Materialize: table          (optional: the build stores the result as a table, for speed)
    -- Parameters: as_of           (optional: the file becomes a table macro taking these parameters)
    -- Columns:
    --   column_name: what the column means.

Lines indented further continue the field (or column) above them. Everything after the header is the query.
Dependencies are read from the query itself, so no one keeps an order list by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import sqlglot
from sqlglot import exp

from warehouse import contract

HEADER_FIELDS = ("answers", "grain", "definition", "materialize", "parameters", "columns")
REQUIRED_FIELDS = ("answers", "grain", "columns")
_FIELD_LINE = re.compile(r"^--\s?(\w+):\s*(.*)$")
_COLUMN_LINE = re.compile(r"^--\s{2,}(\w+):\s*(.*)$")
_CONTINUATION = re.compile(r"^--\s{2,}(.*)$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class CatalogError(Exception):
    """A problem with the files in sql/: the message names the file(s)."""


@dataclass(frozen=True)
class SqlObject:
    name: str
    path: Path
    file: str  # path relative to the sql/ folder, with forward slashes
    area: str
    fields: dict[str, str]
    columns: dict[str, str]
    query: str
    dependencies: frozenset[str] = field(default_factory=frozenset)

    @property
    def parameters(self) -> tuple[str, ...]:
        raw = self.fields.get("parameters", "")
        return tuple(p.strip() for p in raw.split(",") if p.strip())

    @property
    def is_macro(self) -> bool:
        return bool(self.parameters)

    @property
    def materialized(self) -> bool:
        return self.fields.get("materialize", "").strip().lower() == "table"

    @property
    def kind(self) -> str:
        if self.is_macro:
            return "macro"
        return "table" if self.materialized else "view"

    @property
    def description(self) -> str:
        return self.fields.get("answers", "")

    @property
    def grain(self) -> str:
        return self.fields.get("grain", "")

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def create_sql(self) -> str:
        """The statement that creates this object. Names come from file names checked against _IDENTIFIER."""
        if self.is_macro:
            return f"create or replace macro {self.name}({', '.join(self.parameters)}) as table\n{self.query}"
        if self.materialized:
            return f"create or replace table {self.name} as\n{self.query}"
        return f"create or replace view {self.name} as\n{self.query}"

    def drop_sql(self) -> str:
        if self.is_macro:
            return f"drop macro table if exists {self.name}"
        return f"drop {'table' if self.materialized else 'view'} if exists {self.name}"


def parse_header(text: str, path: Path) -> tuple[dict[str, str], dict[str, str], str]:
    """Split a file into its header fields, its column descriptions and its query."""
    lines = text.splitlines()
    fields: dict[str, str] = {}
    columns: dict[str, str] = {}
    current: tuple[str, str] | None = None  # ("field", name) or ("column", name)
    body_start = len(lines)
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped.startswith("--"):
            body_start = index
            break
        column = _COLUMN_LINE.match(stripped)
        if current and current[0] in ("column", "columns") and column and _indent(stripped) <= 3:
            columns[column.group(1)] = column.group(2).strip()
            current = ("column", column.group(1))
            continue
        field_line = _FIELD_LINE.match(stripped)
        if field_line and _indent(stripped) <= 1 and field_line.group(1).lower() in HEADER_FIELDS:
            key = field_line.group(1).lower()
            fields[key] = field_line.group(2).strip()
            current = ("columns", key) if key == "columns" else ("field", key)
            continue
        continuation = _CONTINUATION.match(stripped)
        if continuation and current:
            kind, key = current
            if kind == "column":
                columns[key] = f"{columns[key]} {continuation.group(1).strip()}".strip()
            elif kind == "field":
                fields[key] = f"{fields[key]} {continuation.group(1).strip()}".strip()
            continue
        if stripped.strip("- ").strip():
            raise CatalogError(f"{path}: line {index + 1} of the header is not a known field: {stripped!r}")
    query = "\n".join(lines[body_start:]).strip().rstrip(";").strip()
    return fields, columns, query


def _indent(comment_line: str) -> int:
    after = comment_line[2:]
    return len(after) - len(after.lstrip(" "))


def read_object(path: Path, sql_dir: Path) -> SqlObject:
    name = path.stem
    if not _IDENTIFIER.match(name):
        raise CatalogError(f"{path}: file names in sql/ must be lower-case SQL identifiers (got {name!r})")
    fields, columns, query = parse_header(path.read_text(encoding="utf-8"), path)
    if not query:
        raise CatalogError(f"{path}: the file has a header but no query")
    relative = path.relative_to(sql_dir)
    area = relative.parts[0] if len(relative.parts) > 1 else "general"
    return SqlObject(name, path, relative.as_posix(), area, fields, columns, query)


def _references(obj: SqlObject) -> tuple[set[str], set[str]]:
    """Names of tables/views and of table functions the query reads, CTE names excluded."""
    try:
        tree = sqlglot.parse_one(obj.query, read="duckdb")
    except sqlglot.errors.ParseError as error:
        raise CatalogError(f"{obj.path}: the query does not parse: {error}") from None
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables: set[str] = set()
    functions: set[str] = set()
    for node in tree.find_all(exp.Table):
        if isinstance(node.this, exp.Identifier):
            qualified = ".".join(part for part in (node.catalog, node.db, node.name) if part).lower()
            if qualified not in cte_names:
                tables.add(qualified)
        elif isinstance(node.this, exp.Func):
            functions.add((node.this.name if isinstance(node.this, exp.Anonymous) else node.this.key).lower())
    return tables, functions


class ReferenceCache:
    """What each query reads, kept in a JSON file between runs and keyed by a hash of the query text.

    Parsing the folder takes about 0.2 s, a noticeable part of a small import or build; a query is parsed again
    only when its text changed or sqlglot did. A cache that cannot be read or written is simply not used."""

    _LIMIT = 2000  # entries kept: beyond this, only those of the latest load survive

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list[list[str]]] = {}
        self.used: dict[str, list[list[str]]] = {}
        self.missed = False
        if path is not None:
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
                if stored.get("sqlglot") == sqlglot.__version__:
                    self.entries = stored["entries"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass

    def references(self, obj: SqlObject) -> tuple[set[str], set[str]]:
        key = hashlib.sha256(obj.query.encode("utf-8")).hexdigest()
        found = self.entries.get(key)
        if not (isinstance(found, list) and len(found) == 2 and all(isinstance(names, list) for names in found)):
            found = [sorted(names) for names in _references(obj)]
            self.missed = True
        self.used[key] = found
        return set(found[0]), set(found[1])

    def save(self) -> None:
        if self.path is None or not self.missed:
            return
        entries = {**self.entries, **self.used} if len(self.entries) < self._LIMIT else self.used
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"sqlglot": sqlglot.__version__, "entries": entries}), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def load(sql_dir: Path, *, external: set[str] | frozenset[str] = frozenset(),
         cache: Path | None = None) -> list[SqlObject]:
    """Read every .sql file below sql_dir and return the objects in dependency order.

    `external` names relations that exist outside sql/ (contract tables, metadata tables, attached stores);
    `cache` is a file that keeps what each query reads between runs (see ReferenceCache).
    """
    paths = sorted(sql_dir.rglob("*.sql"))
    objects: dict[str, SqlObject] = {}
    for path in paths:
        obj = read_object(path, sql_dir)
        if obj.name in objects:
            raise CatalogError(f"two files define {obj.name!r}: {objects[obj.name].path} and {path}")
        if obj.name in contract.TABLES_BY_NAME:
            raise CatalogError(f"{path}: {obj.name!r} is a source table of the contract; choose another name")
        objects[obj.name] = obj

    known_external = {name.lower() for name in external} | set(contract.TABLES_BY_NAME)
    resolved: dict[str, SqlObject] = {}
    references = ReferenceCache(cache)
    for name, obj in objects.items():
        tables, functions = references.references(obj)
        dependencies = set()
        for table_name in tables:
            if table_name in objects:
                dependencies.add(table_name)
            elif table_name not in known_external:
                raise CatalogError(
                    f"{obj.path}: reads {table_name!r}, which is neither a source table nor a file in sql/"
                )
        dependencies |= {fn for fn in functions if fn in objects}
        dependencies.discard(name)
        resolved[name] = dataclasses.replace(obj, dependencies=frozenset(dependencies))
    ordered = _in_dependency_order(resolved)
    references.save()
    return ordered


def _in_dependency_order(objects: dict[str, SqlObject]) -> list[SqlObject]:
    ordered: list[SqlObject] = []
    state: dict[str, str] = {}  # name -> "visiting" | "done"

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = trail[trail.index(name):] + [name]
            files = " -> ".join(str(objects[n].path) for n in cycle)
            raise CatalogError(f"views depend on each other in a cycle: {files}")
        state[name] = "visiting"
        for dependency in sorted(objects[name].dependencies):
            visit(dependency, trail + [name])
        state[name] = "done"
        ordered.append(objects[name])

    for name in sorted(objects):
        visit(name, [])
    return ordered


def missing_documentation(obj: SqlObject, actual_columns: list[str]) -> list[str]:
    """What is undocumented or documented wrongly in obj's header, given the columns it really returns."""
    problems = [f"missing header field {key.title()}:" for key in REQUIRED_FIELDS if not obj.fields.get(key)
                and not (key == "columns" and obj.columns)]
    documented = set(obj.columns)
    problems += [f"column {c!r} has no description" for c in actual_columns if c not in documented]
    problems += [f"documented column {c!r} is not returned" for c in obj.columns if c not in actual_columns]
    problems += [f"column {c!r} has an empty description" for c, text in obj.columns.items() if not text]
    return problems


AREA_TITLES = {
    "staging": "Staging: source tables, renamed and cast",
    "wealth": "Wealth, products and revenue",
    "customers": "Customers and churn",
    "rfm": "RFM and campaigns",
    "service": "Service quality",
    "digital": "Digital engagement",
    "risk": "Lending, credit risk and fraud",
    "receivables": "Receivables, default and collections",
    "operations": "Operations",
}

README_INTRO = """# sql/: the measure layer

Every measure of the app is one file here: a view (or a table macro when it takes parameters, or a table the
build materializes for speed), named after the file. Each file starts with a header that says what it answers,
its grain, its definition and what every column means; the Data & measures page and the tests read it.

After editing a file, re-apply the folder to your warehouse without reloading data:

    python -m warehouse views --db data/warehouse.duckdb

This list is generated from the headers by `python -m warehouse docs`; a test fails when it is out of date.
"""


def readme(objects: list[SqlObject]) -> str:
    """The sql/README.md listing: every object by area, one line each."""
    areas = sorted({o.area for o in objects}, key=lambda a: (list(AREA_TITLES).index(a) if a in AREA_TITLES
                                                              else len(AREA_TITLES), a))
    sections = [README_INTRO]
    for area in areas:
        sections.append(f"\n## {AREA_TITLES.get(area, area.title())}\n")
        for obj in sorted((o for o in objects if o.area == area), key=lambda o: o.name):
            suffix = {"macro": f" *(table macro: {', '.join(obj.parameters)})*", "table": " *(materialized)*",
                      "view": ""}[obj.kind]
            sections.append(f"- [`{obj.name}`]({obj.file}){suffix}: {obj.description}")
    return "\n".join(sections) + "\n"
