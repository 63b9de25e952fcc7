"""Time every page on a built warehouse: its data-access call, and a full page run through Streamlit.

    python bench/pages.py [--db data/warehouse.duckdb] [--repeat 7] [--json out.json]

For each page:
  data cold   `load()` on a freshly opened warehouse connection (the first visitor after a start or rebuild);
  data warm   `load()` again on the same connection, without the app's result cache (DuckDB warm);
  page warm   the whole page run by Streamlit's AppTest in this process, the app's caches warm (what a user
              waits for on a filter change they or someone else made before).
Medians and 95th percentiles over --repeat runs, default filters (the last twelve months, all groups).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measuring import summary  # noqa: E402
from warehouse import settings  # noqa: E402
from warehouse.gateway import Gateway  # noqa: E402
from app.navigation import page_file  # noqa: E402
from warehouse.queries import PAGES  # noqa: E402
from warehouse.queries.options import default_scope, filter_options  # noqa: E402

PAGE_FILES = {module: page_file(module) for module in PAGES}


def time_data(db: Path, module: str, repeat: int) -> tuple[list[float], list[float]]:
    load = importlib.import_module(f"warehouse.queries.{module}").load
    cold, warm = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        gateway = Gateway.open(db)
        load(gateway, default_scope(filter_options(gateway)))
        cold.append(time.perf_counter() - started)
        scope = default_scope(filter_options(gateway))
        started = time.perf_counter()
        load(gateway, scope)
        warm.append(time.perf_counter() - started)
        gateway.close()
    return cold, warm


def time_pages(db: Path, page: str, repeat: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    os.environ["CFI_DB"] = str(db)
    seconds = []
    for attempt in range(repeat + 1):
        app = AppTest.from_file(str(settings.PROJECT_ROOT / "streamlit_app.py"), default_timeout=120)
        if page != "pages/overview.py":
            app.switch_page(page)
        started = time.perf_counter()
        app.run()
        if app.exception:
            raise SystemExit(f"{page} raised: {app.exception[0].value}")
        if attempt:  # the first run fills the caches
            seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(settings.DEFAULT_DB_PATH))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    db = Path(args.db)
    results = {}
    print(f"{'page':<22}{'data cold p50/p95 ms':>24}{'data warm p50/p95 ms':>24}{'page warm p50/p95 ms':>24}")
    for module, title in PAGES.items():
        if not hasattr(importlib.import_module(f"warehouse.queries.{module}"), "load"):
            continue
        cold, warm = time_data(db, module, args.repeat)
        page = time_pages(db, PAGE_FILES[module], args.repeat)
        results[module] = {"title": title, "data_cold": summary(cold), "data_warm": summary(warm),
                           "page_warm": summary(page)}
        row = results[module]
        print(f"{title:<22}" + "".join(f"{row[k]['p50_ms']:>14.0f} / {row[k]['p95_ms']:<7.0f}"
                                       for k in ("data_cold", "data_warm", "page_warm")))
    if args.json:
        Path(args.json).write_text(json.dumps({"db": str(db), "repeat": args.repeat, "pages": results}, indent=2))


if __name__ == "__main__":
    main()
