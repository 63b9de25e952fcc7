"""Defaults that make generated data, builds and screenshots reproducible.

Every value here can be overridden on the command line of the tool that uses it.
"""

import os
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"

# Generated history runs from HISTORY_START to END_DATE (the data's "as of" date).
HISTORY_START = date(2021, 1, 1)
END_DATE = date(2026, 10, 31)

DEFAULT_SEED = 7
DEFAULT_SCALE = 1.0
CUSTOMERS_PER_SCALE = 10_000

CURRENCY = "USD"

DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_RAW_DIR = DATA_DIR / "raw" / "default"
DEFAULT_DB_PATH = DATA_DIR / "warehouse.duckdb"
SQL_REFERENCE_CACHE = DATA_DIR / "cache" / "sql-references.json"  # what each query of sql/ reads, between runs


def duckdb_config() -> dict[str, str]:
    """Settings for every DuckDB connection of builds and of the app.

    DuckDB's default memory limit is 80% of the machine's RAM, and a build of 100M+ rows takes what it is given;
    a fixed limit (CFI_MEMORY_LIMIT, default 4GB) keeps a build beside a running app within bounds, spilling to
    temporary files beside the warehouse when a join or sort needs more.
    """
    return {"memory_limit": os.environ.get("CFI_MEMORY_LIMIT", "4GB")}


def demo_raw_dir(scale: float, seed: int) -> Path:
    """Where generated Parquet for one (scale, seed) lives, so several scales can sit side by side."""
    return DATA_DIR / "raw" / f"sf{scale:g}-seed{seed}"
