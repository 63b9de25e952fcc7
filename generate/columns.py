"""Typed column builders and the assembly of a contract table from them.

Generators compute numpy arrays; these helpers turn them into polars columns of the type the contract asks for
(money as Float64 in cents, DATE as pl.Date, TIMESTAMP as naive microsecond datetimes, labels as Enum so the
Parquet writer can store their dictionary directly).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from warehouse.contract import MONEY, table as contract_table

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


def ids(prefix: str, numbers: np.ndarray, width: int) -> pl.Series:
    """Identifiers like C00000042: a prefix and a zero-padded number."""
    digits = pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return pl.select(pl.lit(prefix) + pl.lit(digits)).to_series()


def sequence_ids(prefix: str, first: int, count: int, width: int) -> pl.Series:
    return ids(prefix, np.arange(first, first + count, dtype=np.int64), width)


def labels(values: Sequence[str], codes: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    """Gather labels by integer code; the Enum keeps one copy of each label."""
    return _with_nulls(pl.Series(list(values), dtype=pl.Enum(list(dict.fromkeys(values)))).gather(codes), null)


def strings(values: pl.Series, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(values.cast(pl.String) if values.dtype != pl.String else values, null)


def dates(days: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(days, dtype=np.int32)).cast(pl.Date), null)


def datetimes(micros: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.asarray(micros, dtype=np.int64)).cast(pl.Datetime("us")), null)


def money(values: np.ndarray, null: np.ndarray | None = None) -> pl.Series:
    return _with_nulls(pl.Series(np.round(np.asarray(values, dtype=np.float64), 2)), null)


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
