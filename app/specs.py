"""Vega-Lite specs of the app's charts, each built once per distinct input and kept in memory.

Building a chart with Altair costs 5-40 ms of CPU (channel objects, deep copies, the conversion to a spec), most of
a page run on a server with many sessions. A page therefore names each chart by its builder and arguments
(`Chart`). The spec is built on the first request for those inputs, the frames' contents included, and served from
memory to every later session or rerun that shows the same view.

Specs not yet in memory are built in a separate process (CFI_CHART_PROCESSES, default 1 on a machine with more than
one core): Altair is pure Python, and in the server's own process every chart built afresh holds the interpreter
lock that all sessions' page code shares. A session waiting for its spec holds nothing.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import is_dataclass
from datetime import date

import altair as alt
import polars as pl
import pyarrow as pa

from app import charts

MAX_SPECS = 256  # a spec holds its chart's aggregated data: tens of kilobytes, rarely more

# Altair checks every object it builds, and every spec it writes, against the Vega-Lite JSON schema: most of the
# cost of a chart. The builders are fixed code, so the page tests check each spec they draw against the schema
# instead (tests/pages/conftest.py), and the app does not.
alt.utils.schemapi.disable_debug_mode()
alt.theme.enable("none")  # Altair's default theme fixes a 300 px width; Streamlit sizes charts to their column

_specs: OrderedDict[bytes, dict] = OrderedDict()
_lock = threading.Lock()
_building = threading.local()  # the datasets of the spec this thread is writing
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _named_arrow(frame: pl.DataFrame) -> dict:
    """Altair's data transformer here: a chart's frame becomes a dataset named by its content and sent as Arrow,
    as Streamlit's own Altair path does, instead of rows of JSON."""
    if not isinstance(frame, pl.DataFrame):
        raise TypeError(f"chart data must be a polars DataFrame, not {type(frame).__name__}")
    payload = _ipc_bytes(frame.to_arrow())
    name = f"data-{hashlib.blake2b(payload, digest_size=16).hexdigest()}"
    datasets = getattr(_building, "datasets", None)
    if datasets is not None:
        datasets[name] = payload
    return {"name": name}


alt.data_transformers.register("named_arrow", _named_arrow)
alt.data_transformers.enable("named_arrow")


class Chart:
    """A chart to draw: its builder (a function of app.*charts returning an Altair chart) and the arguments."""

    def __init__(self, builder: Callable[..., alt.TopLevelMixin], *args, **kwargs) -> None:
        self.builder, self.args, self.kwargs = builder, args, kwargs

    def spec(self) -> dict:
        """The chart's spec, from memory when the same builder was given equal arguments before."""
        key = self._key()
        with _lock:
            found = _specs.get(key)
            if found is not None:
                _specs.move_to_end(key)
                return found
        built = _build(self.builder, self.args, self.kwargs)
        with _lock:
            _specs[key] = built
            while len(_specs) > MAX_SPECS:
                _specs.popitem(last=False)
        return built

    def _key(self) -> bytes:
        digest = hashlib.blake2b(digest_size=20)
        _feed(digest, (self.builder.__module__, self.builder.__qualname__, self.args, self.kwargs,
                       charts.registered_domains()))  # the colour a category gets depends on the domains
        return digest.digest()


def chart_processes() -> int:
    """How many processes build specs: CFI_CHART_PROCESSES, or 1 when the machine has a core to spare, else 0
    (then the server's process builds them itself)."""
    configured = os.environ.get("CFI_CHART_PROCESSES", "").strip()
    if not configured:
        return 1 if (os.cpu_count() or 1) > 1 else 0
    if not configured.isdigit():
        raise ValueError(f"CFI_CHART_PROCESSES must be a whole number of processes, 0 or more (got {configured!r})")
    return int(configured)


def _build(builder: Callable[..., alt.TopLevelMixin], args: tuple, kwargs: dict) -> dict:
    pool = _chart_pool()
    if pool is not None:
        try:
            return pool.submit(build_spec, builder, args, kwargs, charts.registered_domains()).result()
        except BrokenProcessPool:  # the process died (killed, out of memory): start another for the next chart
            _discard_pool(pool)
    return to_spec(builder(*args, **kwargs))


def build_spec(builder: Callable[..., alt.TopLevelMixin], args: tuple, kwargs: dict,
               domains: dict[str, list[str]]) -> dict:
    """The spec of builder(*args, **kwargs) in a chart process, with the server's colour domains."""
    charts.register_domains(domains)
    return to_spec(builder(*args, **kwargs))


def _chart_pool() -> ProcessPoolExecutor | None:
    global _pool
    with _pool_lock:
        if _pool is None and (processes := chart_processes()) > 0:
            _pool = _started_pool(processes)
        return _pool


def _started_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of spawned processes, not forked ones: a fork of the server would copy its threads' locks in whatever
    state they are in. A spawned process re-runs the parent's __main__ module, which during a page run is the app
    script itself (Streamlit runs it as __main__): it would open the warehouse and hold that file for good. So the
    processes are started here, at once, with a bare __main__ in its place."""
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
    running = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        pool.submit(int).result()  # the processes start on the first task
    finally:
        sys.modules["__main__"] = running
    return pool


def _discard_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec without the schema check, its data as Arrow datasets."""
    _building.datasets = {}
    try:
        spec = chart.to_dict(validate=False)
        spec["datasets"] = _building.datasets
    finally:
        del _building.datasets
    return spec


def _ipc_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _feed(digest: hashlib.blake2b, value: object) -> None:
    """Add a value to the key, unambiguously: every part is tagged with its type and length."""

    def part(tag: str, payload: bytes) -> None:
        digest.update(f"{tag}:{len(payload)}:".encode())
        digest.update(payload)

    if isinstance(value, pl.DataFrame | pl.Series):
        # through Arrow: polars writing into a Python buffer would need the interpreter lock on polars' own threads
        # (see tests/test_concurrency.py)
        table = value.to_frame().to_arrow() if isinstance(value, pl.Series) else value.to_arrow()
        part("frame", _ipc_bytes(table))
    elif isinstance(value, list | tuple):
        part(type(value).__name__, str(len(value)).encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        part("dict", str(len(value)).encode())
        for name, item in value.items():
            _feed(digest, name)
            _feed(digest, item)
    elif isinstance(value, alt.SchemaBase):  # a scale or an axis a page chose
        part("altair", json.dumps(value.to_dict(validate=False), sort_keys=True, default=str).encode())
    elif isinstance(value, set | frozenset):
        _feed(digest, ("set", sorted(value, key=repr)))
    elif value is None or isinstance(value, str | int | float | date) or is_dataclass(value):
        part(type(value).__name__, repr(value).encode())  # Col and other frozen specs: their repr is their value
    else:
        raise TypeError(f"a chart argument of type {type(value).__name__} cannot be compared by value; "
                        "pass frames, column specs, Altair objects and plain values")
