"""The data-access layer under 16 threads sharing one gateway, as the app's sessions share one: no errors, the same
results as one thread, also while a rebuild swaps the warehouse file underneath (bench/threads.py measures it)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest

from bench.threads import Task, hammer, same, single_threaded, tasks
from warehouse import build, settings
from warehouse.gateway import Gateway

THREADS = 16
SERVING_THREADS = 4  # enough to have loads in flight throughout the swap, on two cores


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Tiny generated data: every page has rows to show."""
    from generate import generate

    root = tmp_path_factory.mktemp("concurrency")
    generate(root / "raw", scale=0.02, seed=7)
    return root / "raw"


@pytest.fixture(scope="module")
def warehouse(generated, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    build.build(generated, db)
    return db


def rows_in(result: object) -> int:
    """Rows of every frame in a page's data (nested in dicts)."""
    if isinstance(result, pl.DataFrame):
        return result.height
    if isinstance(result, dict):
        return sum(rows_in(value) for value in result.values())
    return 0


def test_sixteen_threads_sharing_one_gateway_get_exactly_the_single_threaded_results(warehouse):
    gateway = Gateway.open(warehouse)
    work = tasks(gateway)
    assert len(work) == 12 * 5, "every page with each filter combination"
    expected = single_threaded(gateway, work)
    empty = [str(task) for task, result in zip(work, expected, strict=True)
             if task.filters == "default" and rows_in(result) == 0]
    assert not empty, f"pages with nothing to compare: {empty}"

    report = hammer(gateway, work, threads=THREADS, seconds=5, expected=expected)
    assert report.errors == []
    assert report.differences == []
    assert min(report.runs.values()) >= 1, "every page and filter combination ran under contention"
    assert len(report.load_seconds) == sum(report.runs.values())
    gateway.close()


def test_the_comparison_finds_a_changed_value_and_ignores_row_order():
    frame = pl.DataFrame({"region": ["West", "East"], "revenue": [10.0, 20.0]})
    assert same({"figures": frame}, {"figures": frame.reverse()})
    assert same(frame.with_columns(pl.col("revenue") * (1 + 1e-12)), frame)
    assert not same(frame.with_columns(pl.col("revenue") + 0.01), frame)
    assert not same(frame.head(1), frame)
    assert not same({"figures": frame, "extra": 1}, {"figures": frame})


def test_queries_in_flight_while_a_rebuild_swaps_the_file_keep_working_and_a_reopened_gateway_sees_it(
        warehouse, tmp_path, tiny_raw):
    """A gateway keeps reading the file it opened (the build replaces the name, not the file); the app reopens
    on the next run (app.connection) and then serves the new build."""
    db = tmp_path / "warehouse.duckdb"
    db.write_bytes(warehouse.read_bytes())
    gateway = Gateway.open(db)
    work = [task for task in tasks(gateway) if task.filters == "default"]
    expected = single_threaded(gateway, work)
    rebuilt = threading.Event()

    def serve(offset: int) -> list[str]:
        """Loads until one that started after the rebuild has finished; the tasks that differed or failed."""
        problems, turn = [], offset
        while True:
            after_rebuild = rebuilt.is_set()
            problems += _check(work[turn % len(work)], gateway, expected[turn % len(work)])
            turn += 1
            if after_rebuild:
                return problems

    with ThreadPoolExecutor(max_workers=SERVING_THREADS) as pool:
        serving = [pool.submit(serve, offset) for offset in range(SERVING_THREADS)]
        build.build(tiny_raw, db)  # two customers instead of hundreds
        rebuilt.set()
        problems = [problem for future in serving for problem in future.result()]
    assert problems == []
    assert not gateway.is_current()
    assert gateway.rows("select count(*) > 2 from stg_customers") == [(True,)]  # still the old file
    reopened = Gateway.open(db)
    assert reopened.rows("select count(*) from stg_customers") == [(2,)]
    assert reopened.version != gateway.version


def _check(task: Task, gateway: Gateway, expected: dict[str, object]) -> list[str]:
    try:
        result = task.run(gateway)
    except Exception as error:  # noqa: BLE001 - reported with the task, not raised in a worker thread
        return [f"{task}: {type(error).__name__}: {error}"]
    return [] if same(result, expected) else [f"{task}: result differs"]


def test_no_python_code_runs_on_polars_threads():
    """Polars runs a Python function given to an expression (map_elements and kin) on its own threads, which then
    wait for the interpreter lock; a polars call of another session that holds the lock while it waits for those
    threads never returns. That hung the whole server under 50 sessions (bench/load.py), as to_pandas did."""
    hazards = re.compile(r"\.(map_elements|map_batches|map_rows|map_groups|to_pandas)\(")
    root = settings.PROJECT_ROOT
    files = [root / "streamlit_app.py", *(path for folder in ("app", "pages", "warehouse")
                                          for path in sorted((root / folder).rglob("*.py")))]
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in files
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if hazards.search(line)]
    assert not found, "Python code inside polars calls the app makes:\n" + "\n".join(found)
