"""Data access for the app: every query a page runs, as a function returning a polars DataFrame.

Queries read the views of sql/ through the gateway; filters arrive as bound parameters.
"""

from __future__ import annotations

import polars as pl

from warehouse import contract
from warehouse.gateway import Gateway


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
    """Every object created from sql/, in build order."""
    return gateway.frame("select name, kind, area, path from meta.sql_objects order by position")
