"""Warehouse: the data contract, the build that turns source tables into one DuckDB file, and the gateway that
runs every query against it."""
