"""kill -9 during `build`, `views` and `import`: the warehouse is always the previous build or the new one, whole and
readable, never missing; what a killed command leaves behind is never taken for the warehouse and is cleared by
the next run.

Each command runs as a subprocess on tiny generated data and is killed with SIGKILL after a random delay within
its measured duration: one delay in each of CFI_KILL_REPEATS equal slices of that duration, so the kills cover
start-up, loading, creating the views and the swap alike. One more run is killed while its new file is being
written, at a random moment of the stretch the full run spent writing it: `import` converts in memory and writes
its file only near the end, so random delays alone can miss that stretch. CFI_KILL_REPEATS defaults to 4 per
command, for CI: about 25 s for the three commands' two full runs plus 6.5 s per repeat on two idle cores, so under
a minute. 20 per command (CFI_KILL_REPEATS=20) took 4.5 minutes on two cores shared with other work.
A run that was not killed (it finished first) still counts: the warehouse must then be the new one.
"""

from __future__ import annotations

import filecmp
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import write_raw
from warehouse import build, contract, settings
from warehouse.gateway import Gateway, WarehouseUnavailable
from warehouse.importer import run_import

REPEATS = int(os.environ.get("CFI_KILL_REPEATS", "4"))
SEED = int(os.environ.get("CFI_KILL_SEED", random.randrange(10**6)))
DEAD_PID = 2**22 + 12345  # above Linux's largest pid: no process has it
POLL = 0.002  # seconds between looks at the warehouse folder
MARKER_VIEW = """-- Answers: Whether the views of this test's sql/ copy were applied.
-- Grain: one row.
-- Columns:
--   applied: Always true.

select true as applied
"""


@dataclass
class Paths:
    folder: Path  # the warehouse's folder, where a build writes its temporary file
    db: Path
    raw: Path  # generated Parquet: the new data of `build`
    sql: Path  # sql/ plus one view: the new objects of `views`
    source: Path  # the generated Parquet again, imported through a mapping (amounts in GBP): the new data of `import`
    mapping: Path
    scratch: Path  # TMPDIR of the commands, where `import` converts


@dataclass
class Command:
    name: str
    args: Callable[[Paths], list[str]]


COMMANDS = [
    Command("build", lambda p: ["build", "--raw", str(p.raw), "--db", str(p.db)]),
    Command("views", lambda p: ["views", "--db", str(p.db), "--sql", str(p.sql)]),
    Command("import", lambda p: ["import", str(p.source), "--mapping", str(p.mapping), "--db", str(p.db),
                                 "--report", str(p.folder.parent / "import-report.csv")]),
]


def identity_mapping(path: Path) -> Path:
    """Every contract column read from the same-named column, amounts in GBP (so an import is told apart)."""
    lines = ['currency = "GBP"', ""]
    for table in contract.TABLES:
        lines += ["[[files]]", f'file = "{table.name}.parquet"', f'table = "{table.name}"', "", "[files.columns]"]
        lines += [f'{column.name} = "{column.name}"' for column in table.columns] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    from generate import generate

    root = tmp_path_factory.mktemp("inputs")
    generate(root / "raw", scale=0.02, seed=7)
    sql = root / "sql"
    shutil.copytree(settings.SQL_DIR, sql)
    (sql / "staging" / "zz_crash_marker.sql").write_text(MARKER_VIEW)
    old = root / "old.duckdb"
    build.build(write_raw(root / "tiny", {"customers": [
        {"customer_id": "C1", "first_name": "Ada", "last_name": "Moss", "region": "West", "segment": "Retail",
         "wealth_tier": "Affluent", "enrollment_date": "2023-02-10"}]}), old)
    return {"raw": root / "raw", "sql": sql, "mapping": identity_mapping(root / "identity.toml"), "old": old}


@pytest.fixture()
def paths(inputs, tmp_path) -> Paths:
    folder, scratch = tmp_path / "warehouse", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    return Paths(folder, folder / "warehouse.duckdb", inputs["raw"], inputs["sql"], inputs["raw"], inputs["mapping"],
                 scratch)


# ---------------------------------------------------------------- what a warehouse holds

def contents(db: Path) -> dict[str, object]:
    """What identifies a warehouse, after reading every table and every view of it in full (a corrupt file fails
    here): WarehouseUnavailable when it is missing or unreadable."""
    gateway = Gateway.open(db)
    try:
        objects = gateway.rows("select name, kind from meta.sql_objects order by position")
        for name, kind in objects:
            if kind != "macro":  # table macros need arguments; the views calling them run them
                gateway.rows(f'select max(hash(columns(*))) from "{name}"')
        counts = {table.name: gateway.rows(f'select count(*) from "{table.name}"')[0][0] for table in contract.TABLES}
        recorded = dict(gateway.rows("select table_name, row_count from meta.table_rows"))
        assert counts == recorded, f"{db}: rows differ from those its build recorded"
        info = gateway.build_info
        return {"build_id": info.build_id, "source": info.source_kind, "currency": info.currency,
                "rows": counts, "objects": [name for name, _ in objects]}
    finally:
        gateway.close()


def without_build_id(found: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in found.items() if key != "build_id"}


def restore(old: Path, db: Path) -> None:
    shutil.copyfile(old, db)


def start(command: Command, paths: Paths) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "warehouse", *command.args(paths)], cwd=settings.PROJECT_ROOT,
                            env={**os.environ, "TMPDIR": str(paths.scratch)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def temporaries(paths: Paths) -> list[str]:
    return sorted(p.name for p in paths.folder.iterdir() if p.name.startswith(f".{paths.db.name}."))


def wait_for_temporaries(process: subprocess.Popen, paths: Paths) -> None:
    """Returns as soon as the command's new file appears, or when the command ends."""
    while process.poll() is None and not temporaries(paths):
        time.sleep(POLL)


def run_to_the_end(command: Command, paths: Paths) -> tuple[float, float]:
    """How long the command takes, and how long of that its new file exists (from watching the folder)."""
    started = time.perf_counter()
    process = start(command, paths)
    wait_for_temporaries(process, paths)
    appeared = time.perf_counter()
    while process.poll() is None and temporaries(paths):
        time.sleep(POLL)
    writing = time.perf_counter() - appeared
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, f"{command.name} failed: {errors.decode()}"
    return time.perf_counter() - started, writing


# ---------------------------------------------------------------- kill -9

@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_a_killed_command_leaves_the_old_warehouse_or_the_new_one_never_a_broken_one(command, inputs, paths):
    old = contents(inputs["old"])
    restore(inputs["old"], paths.db)
    duration, writing_for = run_to_the_end(command, paths)
    new = without_build_id(contents(paths.db))
    assert new != without_build_id(old), "the command changes what the warehouse holds"

    chance = random.Random(f"{SEED}-{command.name}")
    outcomes = {"old": 0, "new": 0, "killed while writing the new file": 0, "finished before the kill": 0}
    for slot in range(REPEATS + 1):
        restore(inputs["old"], paths.db)
        process = start(command, paths)
        if slot < REPEATS:
            delay = duration * (slot + chance.random()) / REPEATS
            time.sleep(delay)
        else:  # into the stretch spent writing the new file; half of it, so jitter rarely carries past the end
            started = time.perf_counter()
            wait_for_temporaries(process, paths)
            time.sleep(writing_for * chance.random() / 2)
            delay = time.perf_counter() - started
        writing = bool(temporaries(paths))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        killed = process.returncode == -signal.SIGKILL
        outcomes["finished before the kill"] += not killed
        outcomes["killed while writing the new file"] += killed and writing

        where = f"{command.name} killed after {delay:.2f} s of {duration:.2f} s (CFI_KILL_SEED={SEED})"
        assert paths.db.exists(), f"{where}: the warehouse is missing"
        if filecmp.cmp(paths.db, inputs["old"], shallow=False):  # byte for byte the old one, read in full above
            outcomes["old"] += 1
            continue
        try:
            found = contents(paths.db)
        except (WarehouseUnavailable, duckdb.Error) as error:
            pytest.fail(f"{where}: the warehouse is unreadable or incomplete: {error}")
        assert found["build_id"] != old["build_id"], f"{where}: the old build's id, but not its contents"
        assert without_build_id(found) == new, f"{where}: neither the old build nor the complete new one"
        outcomes["new"] += 1

    print(f"\n{command.name}: {REPEATS + 1} runs killed at random within {duration:.2f} s"
          f" ({writing_for:.2f} s writing the new file): {outcomes}")
    assert outcomes["killed while writing the new file"] >= 1, f"no kill hit the build itself: {outcomes}"
    run_to_the_end(command, paths)  # what the killed runs left is cleared, never mistaken for the warehouse
    assert without_build_id(contents(paths.db)) == new
    assert temporaries(paths) == []
    assert sorted(p.name for p in paths.scratch.iterdir()) == []


# ---------------------------------------------------------------- what killed runs leave, cleared

def test_the_folder_a_killed_build_spilled_to_is_removed_by_the_next_build(tiny_raw, tmp_path):
    spill = tmp_path / f".w.duckdb.{DEAD_PID}.deadbeef.building.tmp"  # DuckDB's temp_directory of that build
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"spilled rows")
    result = build.build(tiny_raw, tmp_path / "w.duckdb")
    assert not spill.exists()
    assert Gateway.open(tmp_path / "w.duckdb").version.startswith(result.build_id)


def test_temporaries_of_a_build_still_running_are_left_alone(tiny_raw, tmp_path):
    running = tmp_path / f".w.duckdb.{os.getpid()}.cafe0000.building"
    running.write_bytes(b"being written")
    build.build(tiny_raw, tmp_path / "w.duckdb")
    assert running.read_bytes() == b"being written"


def test_a_wal_left_by_a_writer_that_crashed_does_not_stop_the_new_build_from_opening(tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    build.build(tiny_raw, db)
    crashed = subprocess.run([sys.executable, "-c", f"""
import duckdb, os, signal
con = duckdb.connect({str(db)!r})
con.execute("create or replace view stg_customers as select 1 as typo")  # a hand edit, not yet checkpointed
os.kill(os.getpid(), signal.SIGKILL)
"""], capture_output=True, check=False)
    assert crashed.returncode == -signal.SIGKILL and db.with_name("w.duckdb.wal").exists()
    result = build.build(tiny_raw, db)
    gateway = Gateway.open(db)
    assert gateway.build_info.build_id == result.build_id
    assert gateway.rows("select count(*) from stg_customers") == [(2,)]


def test_the_scratch_folder_of_a_killed_import_is_removed_by_the_next_import(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    abandoned = tmp_path / f"cfi-import-{DEAD_PID}-k1ll3d"
    (abandoned / "raw").mkdir(parents=True)
    (abandoned / "raw" / "customers.parquet").write_bytes(b"a bank's customers")
    running = tmp_path / f"cfi-import-{os.getpid()}-running"
    running.mkdir()
    source = tmp_path / "source"
    source.mkdir()
    (source / "customers.csv").write_text("id,given,family,area,since\nK1,Ada,Moss,West,2023-02-10\n")
    (tmp_path / "bank.toml").write_text("""
[[files]]
file = "customers.csv"
table = "customers"

[files.columns]
customer_id = "id"
first_name = "given"
last_name = "family"
region = "area"
segment = { constant = "Retail" }
wealth_tier = { constant = "Mass Market" }
enrollment_date = "since"
""")
    result = run_import(source, tmp_path / "bank.toml", tmp_path / "w.duckdb")
    assert result.accepted, result.summary()
    assert not abandoned.exists() and running.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cfi-import-")) == [running.name]
    assert duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True).sql(
        "select count(*) from customers").fetchall() == [(1,)]
