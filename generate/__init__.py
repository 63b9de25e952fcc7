"""Synthetic data generator: writes every table of the data contract as Parquet (see generate.pipeline)."""

from generate.pipeline import generate

__all__ = ["generate"]
