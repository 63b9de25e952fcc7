"""Defaults that make generated data, builds and screenshots reproducible.

Every value here can be overridden on the command line of the tool that uses it.
"""

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


def demo_raw_dir(scale: float, seed: int) -> Path:
    """Where generated Parquet for one (scale, seed) lives, so several scales can sit side by side."""
    return DATA_DIR / "raw" / f"sf{scale:g}-seed{seed}"
