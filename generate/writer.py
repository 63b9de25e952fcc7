"""Parquet output: one file per contract table, each chunk of rows appended as row groups.

Writing runs on background threads: pyarrow releases the GIL while it encodes and compresses, so rows are
written while the next ones are generated. Each table is written by one thread, in the order its frames
arrive, so the files do not depend on how the threads interleave.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from generate.columns import empty_frame
from warehouse.contract import table as contract_table

COMPRESSION = "snappy"  # about a third faster to write than zstd, for files about 1.6 times the size
_STOP = object()


def _dictionary_columns(table_name: str) -> list[str]:
    """Columns worth dictionary-encoding: labels, foreign keys and dates repeat; primary keys and times do not."""
    spec = contract_table(table_name)
    unique = set(spec.primary_key) if len(spec.primary_key) == 1 else set()
    return [c.name for c in spec.columns if c.type in ("VARCHAR", "DATE") and c.name not in unique]


def _statistics_columns(table_name: str) -> list[str]:
    """Min/max statistics where they help prune row groups: dates, times and numbers. Text statistics cost a
    quarter of the write time of a table like card_transactions and prune next to nothing."""
    return [c.name for c in contract_table(table_name).columns if c.type != "VARCHAR"]


def to_arrow(frame: pl.DataFrame) -> pa.Table:
    """Polars to Arrow without copying strings; label dictionaries get plain string values for the writer."""
    table = frame.to_arrow(compat_level=pl.CompatLevel.newest())
    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = pa.chunked_array(
                [pa.DictionaryArray.from_arrays(chunk.indices, chunk.dictionary.cast(pa.string()))
                 for chunk in column.chunks],
                type=pa.dictionary(column.type.index_type, pa.string()),
            )
        columns.append(column)
    return pa.table(columns, names=table.column_names)


class ParquetSink:
    """Appends frames to DIR/<table>.parquet from writer threads; close() finishes every file."""

    def __init__(self, out_dir: Path, table_names: list[str], threads: int = 2, max_pending: int = 4):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.table_names = table_names
        self.rows = {name: 0 for name in table_names}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._queues = [queue.Queue(maxsize=max_pending) for _ in range(threads)]
        self._rows_per_queue = [0] * threads
        self._queue_of: dict[str, queue.Queue] = {}
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._run, args=(q,), name=f"parquet-writer-{i}", daemon=True)
                         for i, q in enumerate(self._queues)]
        for thread in self._threads:
            thread.start()

    def path(self, table_name: str) -> Path:
        return self.out_dir / f"{table_name}.parquet"

    def _partial_path(self, table_name: str) -> Path:
        # Files are written under a temporary name and renamed once complete, so a failed run never leaves a
        # half-written table where a complete one is expected.
        return self.out_dir / f".{table_name}.parquet.partial"

    def put(self, table_name: str, frame: pl.DataFrame) -> None:
        """Queue a frame; safe to call from several threads as long as each table comes from one of them."""
        self._raise_writer_error()
        if frame.height:
            self.rows[table_name] += frame.height
            self._queue_for(table_name, frame.height).put((table_name, frame))

    def close(self) -> None:
        self._stop_threads()
        self._raise_writer_error()
        for name in self.table_names:
            if name not in self._writers:
                self._write(name, empty_frame(name))
        for writer in self._writers.values():
            writer.close()
        for name in self.table_names:
            self._partial_path(name).replace(self.path(name))

    def abort(self) -> None:
        """Stop the writer threads after a failure and remove the partial files."""
        for pending in self._queues:
            while True:
                try:
                    pending.get_nowait()
                except queue.Empty:
                    break
        self._stop_threads()
        for writer in self._writers.values():
            writer.close()
        for name in self.table_names:
            self._partial_path(name).unlink(missing_ok=True)

    def _queue_for(self, table_name: str, rows: int) -> queue.Queue:
        """The table's writer: on first sight, the one with the fewest rows so far, to share the work."""
        with self._lock:
            if table_name not in self._queue_of:
                least = min(range(len(self._queues)), key=self._rows_per_queue.__getitem__)
                self._queue_of[table_name] = self._queues[least]
            index = self._queues.index(self._queue_of[table_name])
            self._rows_per_queue[index] += rows
            return self._queue_of[table_name]

    def _stop_threads(self) -> None:
        for pending in self._queues:
            pending.put(_STOP)
        for thread in self._threads:
            thread.join()

    def _raise_writer_error(self) -> None:
        if self._error is not None:
            raise RuntimeError("writing Parquet failed") from self._error

    def _run(self, pending: queue.Queue) -> None:
        while (item := pending.get()) is not _STOP:
            if self._error is None:
                table_name, frame = item
                try:
                    self._write(table_name, frame)
                except BaseException as error:  # reported to the generating threads on their next put()
                    self._error = error

    def _write(self, table_name: str, frame: pl.DataFrame) -> None:
        table = to_arrow(frame)
        writer = self._writers.get(table_name)
        if writer is None:
            writer = pq.ParquetWriter(
                self._partial_path(table_name), table.schema, compression=COMPRESSION,
                use_dictionary=_dictionary_columns(table_name), write_statistics=_statistics_columns(table_name),
                # Without the stored Arrow schema, readers see plain strings instead of dictionaries.
                store_schema=False,
            )
            self._writers[table_name] = writer
        writer.write_table(table)
