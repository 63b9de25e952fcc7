"""Typed column builders and the assembly of a contract table from them.

Generators compute numpy arrays; these helpers turn them into polars columns of the type the contract asks for
(money as Float64 in cents, DATE as pl.Date, TIMESTAMP as naive microsecond datetimes, labels as Enum so the
Parquet writer can store their dictionary directly).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import polars as pl
import pyarrow as pa

from warehouse.contract import MONEY, table as contract_table

INLINE_STRING_BYTES = 12
POLARS_TYPES: dict[str, type[pl.DataType] | pl.DataType] = {
    MONEY: pl.Float64,
    "DATE": pl.Date,
    "TIMESTAMP": pl.Datetime("us"),
    "INTEGER": pl.Int32,
    "DOUBLE": pl.Float64,
    "BOOLEAN": pl.Boolean,
    "VARCHAR": pl.String,
}


def _with_nulls(series: pl.Series, null: np.ndarray | None) -> pl.Series:
    if null is None or not null.any():
        return series
    return series.scatter(np.flatnonzero(null), None)


@lru_cache(maxsize=None)
def _id_words(prefix: str, width: int) -> tuple[tuple[int, int, np.ndarray], ...]:
    """How to build the three 4-byte words of an inline Arrow string view holding prefix + zero-padded number.

    For each word: (divisor, modulus, table): the word is table[(number // divisor) % modulus], with the prefix
    characters, the digits and the zero padding already in place.
    """
    length = len(prefix) + width
    if length > INLINE_STRING_BYTES or not prefix.isascii():
        raise ValueError(f"identifier {prefix!r} + {width} digits does not fit an inline string")
    words = []
    for word in range(INLINE_STRING_BYTES // 4):
        first_char = 4 * word
        digit_chars = [i for i in range(first_char, first_char + 4) if len(prefix) <= i < length]
        count = len(digit_chars)
        values = np.arange(10 ** count)
        table = np.zeros((values.size, 4), dtype=np.uint8)
        for i in range(first_char, min(first_char + 4, len(prefix))):
            table[:, i - first_char] = ord(prefix[i])
        for place, i in enumerate(digit_chars):
            table[:, i - first_char] = ord("0") + values // 10 ** (count - 1 - place) % 10
        # The word's last digit is this many places from the number's end.
        divisor = 10 ** (width - 1 - (digit_chars[-1] - len(prefix))) if count else 1
        words.append((divisor, values.size, table.view("<u4").ravel()))
    return tuple(words)


def sequence_ids(prefix: str, first: int, count: int, width: int) -> pl.Series:
    """Identifiers prefix + zero-padded number for the numbers first, first + 1, ... (e.g. C00000042).

    Built straight into Arrow's string-view layout (a 4-byte length, then up to 12 bytes inline), which polars
    adopts without copying. Each 4-byte word of consecutive numbers is a run of repeated or cycling values, so
    the words are laid down by repeating small tables instead of formatting millions of numbers.
    """
    if first < 0 or first + count > 10 ** width:
        raise ValueError(f"{prefix} numbers {first}..{first + count - 1} do not fit {width} digits")
    views = np.empty((count, 4), dtype=np.uint32)
    views[:, 0] = len(prefix) + width
    for column, (divisor, modulus, table) in enumerate(_id_words(prefix, width), start=1):
        # The word of number n is table[(n // divisor) % modulus]: runs of up to `divisor` equal words.
        run = np.arange(first // divisor, (first + count - 1) // divisor + 1) if count else np.zeros(0, np.int64)
        lengths = np.minimum((run + 1) * divisor, first + count) - np.maximum(run * divisor, first)
        views[:, column] = np.repeat(table[run % modulus], lengths)
    array = pa.Array.from_buffers(pa.string_view(), count, [None, pa.py_buffer(views)])
    return pl.Series(array)


def labels(values: Sequence[str], codes: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    """Gather labels by integer code; the Enum keeps one copy of each label."""
    return _with_nulls(pl.Series(list(values), dtype=pl.Enum(list(dict.fromkeys(values)))).gather(codes), null)


def strings(values: pl.Series, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(values.cast(pl.String) if values.dtype != pl.String else values, null)


def dates(days: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(days, dtype=np.int32)).cast(pl.Date), null)


def datetimes(micros: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(micros, dtype=np.int64)).cast(pl.Datetime("us")), null)


def money(values: np.ndarray, null: np.ndarray | None = None, whole_cents: bool = False) -> pl.Series:
    """Money as Float64 in whole cents; whole_cents says the values are rounded already."""
    values = np.asarray(values, dtype=np.float64)
    return _with_nulls(pl.Series(values if whole_cents else np.round(values, 2)), null)


def doubles(values: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(values, dtype=np.float64)), null)


def integers(values: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(values, dtype=np.int32)), null)


def booleans(values: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(values, dtype=bool))


def frame(table_name: str, **columns: pl.Series) -> pl.DataFrame:
    """The table's columns in contract order, checked against the contract's names and types."""
    spec = contract_table(table_name)
    if tuple(columns) != spec.column_names:
        raise ValueError(f"{table_name}: columns {tuple(columns)} differ from the contract {spec.column_names}")
    out = pl.DataFrame([series.alias(name) for name, series in columns.items()])
    for column in spec.columns:
        dtype = out.schema[column.name]
        expected = POLARS_TYPES[column.type]
        if not (dtype == expected or (column.type == "VARCHAR" and isinstance(dtype, pl.Enum))):
            raise TypeError(f"{table_name}.{column.name} is {dtype}, the contract wants {column.type}")
        if column.required and out[column.name].null_count():
            raise ValueError(f"{table_name}.{column.name} is required but has nulls")
    return out


def empty_frame(table_name: str) -> pl.DataFrame:
    spec = contract_table(table_name)
    return pl.DataFrame(schema={c.name: POLARS_TYPES[c.type] for c in spec.columns})
