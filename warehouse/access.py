"""Data access for the app: every query a page runs, as a function returning a polars DataFrame.

Queries read the views of sql/ through the gateway; filters arrive as bound parameters.
"""

from __future__ import annotations

import json

import polars as pl

from warehouse import contract
from warehouse.gateway import BuildInfo, Gateway


def table_rows(gateway: Gateway) -> pl.DataFrame:
    """Row count of every contract table, with its area and description."""
    counts = gateway.frame("select table_name, domain, row_count from meta.table_rows")
    described = pl.DataFrame(
        {
            "table_name": [t.name for t in contract.TABLES],
            "area": [contract.DOMAINS[t.domain] for t in contract.TABLES],
            "grain": [t.grain for t in contract.TABLES],
            "description": [t.description for t in contract.TABLES],
        }
    )
    return described.join(counts.select("table_name", "row_count"), on="table_name", how="left")


def sql_objects(gateway: Gateway) -> pl.DataFrame:
    """Every object the warehouse was built with from sql/, in build order, with what it answers and its grain."""
    return gateway.frame("select name, answers, grain, kind, area, path from meta.sql_objects order by position")


def source_summary(info: BuildInfo) -> str:
    """The warehouse's origin in words, e.g. 'Generated demo data: scale 1, seed 7'."""
    detail = json.loads(info.source_detail or "{}")
    if info.source_kind == "generated":
        return f"Generated demo data: scale {detail.get('scale', '?'):g}, seed {detail.get('seed', '?')}"
    if info.source_kind == "fixture":
        return "Test fixture"
    return f"Loaded from {detail.get('raw_dir', 'Parquet files')}"
