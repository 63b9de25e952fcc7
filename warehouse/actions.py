"""The action log: collection actions users record in the app, kept outside the warehouse so none is ever lost.

Why outside: a DuckDB file admits one writing process at a time, and every `build` or `views` replaces the
warehouse file whole. Anything written into it would block readers, need a lock between browser sessions and
vanish at the next build. So recorded actions live in their own folder (default `data/user-actions/`; see
`folder_for`), which no build touches, as an append-only log of Parquet files:

- One recorded action (one user, one moment, one or several bills) is ONE new file with a unique name
  (time + uuid). It is written under a temporary name, fsynced, then renamed into place with os.replace: a
  reader sees all its rows or none, two sessions or processes never touch the same file, so no lock is needed
  and none can be contended. Nothing is ever rewritten in place (compaction writes a new file first).
- Everything is validated before a byte is written (known bills and customers, allowed types and outcomes,
  who, note length); any failure raises `ActionError` with the reason and leaves no file behind.
- Each action carries an entry id (uuid); its rows' action ids derive from it, a retried write of the same
  entry is a no-op, and readers keep one row per action id, so nothing is ever counted twice.
- Readers see the log as the relation `recorded_collection_actions`, which the gateway defines on its private
  in-memory catalog (`define_relation`); the warehouse's `stg_collection_actions` view is the source table
  UNION ALL that relation, so every view built on it (last action, worklist, collections measures) includes
  live actions with no rebuild. Builds create their views against an empty stand-in (`ensure_placeholder`), so
  a table a build stores holds the source data's actions only; those views add the recorded ones per request.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse import contract, settings
from warehouse.files import fsync

RELATION = "recorded_collection_actions"
DEFAULT_FOLDER = settings.DATA_DIR / "user-actions"
SUFFIX = ".parquet"
NOTE_MAX = 500
NAME_MAX = 120
BILLS_MAX = 1000

# What may come of each kind of action (the vocabulary of the source data's outcomes).
OUTCOMES: dict[str, tuple[str, ...]] = {
    "Reminder e-mail": ("Sent", "Delivered", "Opened", "Bounced"),
    "SMS": ("Sent", "Delivered", "No response"),
    "Call": ("Promised to pay", "No answer", "Left voicemail", "Disputed", "Paid"),
    "Letter": ("Sent",),
    "Arrangement agreed": ("Payment plan agreed",),
    "Arrangement broken": ("Missed instalment",),
    "Field visit": ("Promised to pay", "Disputed", "Not at home", "Paid"),
}
assert set(OUTCOMES) == set(contract.COLLECTION_ACTION_TYPES), "every contract action type needs its outcomes"

# The log's columns, in file order. action_at is local wall-clock time, like the source data's.
SCHEMA = pa.schema([
    ("action_id", pa.string()),
    ("entry_id", pa.string()),
    ("customer_id", pa.string()),
    ("bill_id", pa.string()),
    ("action_at", pa.timestamp("us")),
    ("action_type", pa.string()),
    ("performed_by", pa.string()),
    ("outcome", pa.string()),
    ("note", pa.string()),
    ("recorded_at", pa.timestamp("us")),
])
_SQL_TYPES = {pa.string(): "varchar", pa.timestamp("us"): "timestamp"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ENTRY_ID = re.compile(r"^[0-9a-f]{32}$")


class ActionError(Exception):
    """Nothing was recorded; the message says what was wrong and where."""


class InvalidAction(ActionError):
    """The action as given cannot be recorded (unknown bill, empty selection, note too long, ...)."""


class NotRecorded(ActionError):
    """The log could not be written (disk full, no permission, ...); no part of the action was kept."""


@dataclass(frozen=True)
class Action:
    """One validated action: who did what, when, about which bills (or customers as a whole)."""

    entry_id: str
    action_type: str
    performed_by: str
    action_at: datetime
    outcome: str | None
    note: str | None
    targets: tuple[tuple[str, str | None], ...]  # (customer_id, bill_id or None), in the order given

    @property
    def bill_ids(self) -> list[str]:
        return [bill for _, bill in self.targets if bill is not None]

    @property
    def customer_ids(self) -> list[str]:
        return list(dict.fromkeys(customer for customer, _ in self.targets))

    def only(self, bill_ids: Iterable[str]) -> Action:
        """The same action (same entry id) about some of its bills only: e.g. the e-mails actually sent."""
        keep = set(bill_ids)
        return replace(self, targets=tuple(t for t in self.targets if t[1] in keep))

    def rows(self, recorded_at: datetime) -> list[dict[str, object]]:
        return [
            {"action_id": f"{self.entry_id}-{index}", "entry_id": self.entry_id, "customer_id": customer,
             "bill_id": bill, "action_at": self.action_at, "action_type": self.action_type,
             "performed_by": self.performed_by, "outcome": self.outcome, "note": self.note,
             "recorded_at": recorded_at}
            for index, (customer, bill) in enumerate(self.targets, start=1)
        ]


# ---------------------------------------------------------------- where the log lives

def folder_for(db_path: Path | str) -> Path:
    """The log folder of a warehouse: $CFI_ACTIONS_DIR if set; data/user-actions/ for the default warehouse;
    else `<warehouse folder>/<warehouse name>-actions/`, so every other warehouse (a test's, say) has its own."""
    configured = os.environ.get("CFI_ACTIONS_DIR")
    if configured:
        return Path(configured)
    db_path = Path(db_path)
    if db_path.resolve() == settings.DEFAULT_DB_PATH.resolve():
        return DEFAULT_FOLDER
    return db_path.with_name(f"{db_path.stem}-actions")


# ---------------------------------------------------------------- validation

def prepare(
    reader,
    *,
    action_type: str,
    performed_by: str,
    bills: Sequence[str] = (),
    customers: Sequence[str] = (),
    outcome: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
    entry_id: str | None = None,
) -> Action:
    """Check an action against the rules and the warehouse (`reader`: anything with `.frame(sql, params)`).

    bills: the bills the action was about (their customers are looked up, never taken from the caller);
    customers: customers contacted about their account as a whole. Raises InvalidAction, naming the problem.
    """
    bill_ids = _ids(bills, "bill")
    customer_ids = _ids(customers, "customer")
    if not bill_ids and not customer_ids:
        raise InvalidAction("Nothing selected: choose at least one bill (or customer) the action was about.")
    if action_type not in OUTCOMES:
        raise InvalidAction(f"Unknown action type {action_type!r}; choose one of: {', '.join(OUTCOMES)}.")
    outcome = _optional_text(outcome)
    if outcome is not None and outcome not in OUTCOMES[action_type]:
        raise InvalidAction(f"{outcome!r} is not an outcome of {action_type!r}; choose one of: "
                            f"{', '.join(OUTCOMES[action_type])}.")
    who = _optional_text(performed_by)
    if who is None:
        raise InvalidAction("Say who took the action: enter your name before recording.")
    if len(who) > NAME_MAX or _CONTROL.search(who) or "\n" in who:
        raise InvalidAction(f"The name {who[:40]!r} is not usable: one line of at most {NAME_MAX} characters.")
    note = _optional_text(note.replace("\r\n", "\n") if isinstance(note, str) else note)
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidAction(f"The note has {len(note):,} characters; at most {NOTE_MAX} are allowed.")
    if note is not None and _CONTROL.search(note):
        raise InvalidAction("The note holds control characters; use plain text.")
    if len(bill_ids) + len(customer_ids) > BILLS_MAX:
        raise InvalidAction(f"{len(bill_ids) + len(customer_ids):,} rows selected; record at most {BILLS_MAX:,} "
                            "at a time.")
    owners = _bill_owners(reader, bill_ids)
    unknown = [b for b in bill_ids if b not in owners]
    if unknown:
        raise InvalidAction(f"Unknown bill id(s) {_listed(unknown)}: not in the warehouse; nothing was recorded.")
    known_customers = _known_customers(reader, customer_ids)
    unknown = [c for c in customer_ids if c not in known_customers]
    if unknown:
        raise InvalidAction(f"Unknown customer id(s) {_listed(unknown)}: not in the warehouse; nothing was "
                            "recorded.")
    now = _now()
    when = (at or now).replace(microsecond=0, tzinfo=None)
    if when > now + timedelta(minutes=5):
        raise InvalidAction(f"The action is dated {when:%Y-%m-%d %H:%M}, in the future.")
    if entry_id is not None and not _ENTRY_ID.match(entry_id):
        raise InvalidAction(f"The entry id {entry_id!r} is not 32 lower-case hex digits.")
    targets = tuple((owners[b], b) for b in bill_ids) + tuple((c, None) for c in customer_ids)
    return Action(entry_id or uuid.uuid4().hex, action_type, who, when, outcome, note, targets)


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidAction(f"Expected text, got {type(value).__name__}.")
    value = value.strip()
    return value or None


def _ids(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    cleaned = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise InvalidAction(f"A {what} id must be non-empty text (got {value!r}).")
        cleaned.append(value.strip())
    return list(dict.fromkeys(cleaned))


def _listed(values: list[str]) -> str:
    shown = ", ".join(repr(v[:40]) for v in values[:5])
    return shown + (f" and {len(values) - 5} more" if len(values) > 5 else "")


def _bill_owners(reader, bill_ids: list[str]) -> dict[str, str]:
    if not bill_ids:
        return {}
    frame = reader.frame("select bill_id, customer_id from stg_bills where list_contains($bills, bill_id)",
                         {"bills": bill_ids})
    return dict(zip(frame["bill_id"].to_list(), frame["customer_id"].to_list(), strict=True))


def _known_customers(reader, customer_ids: list[str]) -> set[str]:
    if not customer_ids:
        return set()
    frame = reader.frame("select customer_id from stg_customers where list_contains($customers, customer_id)",
                         {"customers": customer_ids})
    return set(frame["customer_id"].to_list())


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# ---------------------------------------------------------------- the log

class ActionLog:
    """The folder of recorded actions: append one file per action, list them, read them."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        if any(ch in str(self.folder) for ch in "*?[]{}"):
            raise ValueError(f"The action log folder {self.folder} may not contain any of * ? [ ] {{ }}.")

    def files(self) -> list[Path]:
        """The log's files, oldest first (names start with the time they were written)."""
        try:
            with os.scandir(self.folder) as entries:
                names = [e.name for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [self.folder / name for name in sorted(names)]

    def stamp(self) -> str:
        """Changes whenever a file is added or removed (files are never modified): a cheap cache key."""
        names = [p.name for p in self.files()]
        return f"{len(names)}-{hashlib.sha1(chr(10).join(names).encode()).hexdigest()[:16]}" if names else "0"

    def glob(self) -> str:
        return str(self.folder / f"*{SUFFIX}")

    def record(self, reader, **action) -> Action:
        """Validate and write one action (see `prepare` for the arguments); returns what was recorded."""
        prepared = prepare(reader, **action)
        self.write(prepared)
        return prepared

    def write(self, action: Action) -> Path:
        """Append the action as one new file, atomically: afterwards it is entirely in the log, or not at all."""
        if not action.targets:
            raise InvalidAction("Nothing to record: the action is about no bill or customer.")
        existing = self._file_of(action.entry_id)
        if existing is not None:
            return existing  # a retry of a write that already landed
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise NotRecorded(f"The action log folder {self.folder} cannot be created ({_reason(error)}); "
                              "nothing was recorded.") from None
        written = datetime.now(timezone.utc)
        name = f"{written:%Y%m%dT%H%M%S%f}-{action.entry_id}{SUFFIX}"  # UTC in the name: sorts across DST
        final = self.folder / name
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            table = pa.Table.from_pylist(action.rows(datetime.now()), schema=SCHEMA)
            pq.write_table(table, temporary)
            fsync(temporary)
            os.replace(temporary, final)
        except (OSError, pa.ArrowException) as error:
            raise NotRecorded(f"The action could not be written to {self.folder} ({_reason(error)}); nothing "
                              "was recorded.") from None
        finally:
            _discard(temporary)
        _fsync_folder(self.folder)
        return final

    def _file_of(self, entry_id: str) -> Path | None:
        matches = [p for p in self.files() if p.stem.endswith(f"-{entry_id}")]
        return matches[0] if matches else None

    def relation_sql(self) -> str:
        """A query over every file of the log (one row per action id), or an empty one when there are none."""
        if not self.files():
            return empty_relation_sql()
        columns = ", ".join(f"cast({f.name} as {_SQL_TYPES[f.type]}) as {f.name}" for f in SCHEMA)
        return (f"select {columns} from read_parquet({_literal(self.glob())}, union_by_name = true) "
                "qualify row_number() over (partition by action_id order by recorded_at, entry_id) = 1")

    def compact(self) -> tuple[int, Path | None]:
        """Merge every file into one, written atomically before the merged files are removed. Readers never
        miss a row (duplicates in between collapse on the action id). Returns (files merged, new file)."""
        files = self.files()
        if len(files) < 2:
            return 0, None
        written = datetime.now(timezone.utc)
        final = self.folder / f"{written:%Y%m%dT%H%M%S%f}-compacted-{uuid.uuid4().hex}{SUFFIX}"
        temporary = self.folder / f".{final.name}.{os.getpid()}.tmp"
        listed = ", ".join(_literal(str(p)) for p in files)
        columns = ", ".join(f"cast({f.name} as {_SQL_TYPES[f.type]}) as {f.name}" for f in SCHEMA)
        con = duckdb.connect()
        try:
            con.execute(f"copy (select {columns} from read_parquet([{listed}], union_by_name = true) "
                        "qualify row_number() over (partition by action_id order by recorded_at, entry_id) = 1 "
                        f"order by action_at, action_id) to {_literal(str(temporary))} (format parquet)")
            fsync(temporary)
            os.replace(temporary, final)
        except (OSError, duckdb.Error) as error:
            raise NotRecorded(f"Could not compact {self.folder} ({_reason(error)}); the log is unchanged.") from None
        finally:
            con.close()
            _discard(temporary)
        _fsync_folder(self.folder)
        for path in files:
            path.unlink(missing_ok=True)
        _fsync_folder(self.folder)
        return len(files), final


def compact_command(db_path: Path | str) -> int:
    """`python -m warehouse actions-compact`: merge the log of a warehouse into one file; prints what it did."""
    log = ActionLog(folder_for(db_path))
    try:
        merged, path = log.compact()
    except ActionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{log.folder}: merged {merged:,} files into {path.name}" if path else
          f"{log.folder}: {len(log.files())} file(s), nothing to merge")
    return 0


def empty_relation_sql() -> str:
    columns = ", ".join(f"cast(null as {_SQL_TYPES[f.type]}) as {f.name}" for f in SCHEMA)
    return f"select {columns} where false"


def define_relation(con: duckdb.DuckDBPyConnection, log: ActionLog | None, *, temporary: bool = False,
                    schema: str | None = None) -> bool:
    """(Re)define `recorded_collection_actions` on `con` over the log (empty without a log or files).

    The gateway defines it in its in-memory catalog (shared by all its cursors); a build defines a TEMPORARY
    empty one, so the warehouse's views can be created but nothing of it is stored. Returns whether the log
    has files."""
    query = log.relation_sql() if log is not None else empty_relation_sql()
    target = f"{schema}.{RELATION}" if schema else RELATION
    con.execute(f"create or replace {'temporary ' if temporary else ''}view {target} as {query}")
    return "read_parquet" in query


def ensure_placeholder(con: duckdb.DuckDBPyConnection) -> None:
    """Make `recorded_collection_actions` resolvable on a build connection (an empty temporary view), unless
    the connection already has one."""
    try:
        con.execute(f"select * from {RELATION} limit 0")
    except duckdb.CatalogException:
        define_relation(con, None, temporary=True)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}" + (f": {error.filename}" if error.filename else "")
    return str(error).splitlines()[0] if str(error) else type(error).__name__




def _fsync_folder(folder: Path) -> None:
    """Make a rename durable. Best effort: the file is already in place, so a failure here loses nothing."""
    try:
        fsync(folder)
    except OSError:
        pass


def _discard(path: Path) -> None:
    """Remove a temporary file if it is there; never raises (it runs while another error may be on its way)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
