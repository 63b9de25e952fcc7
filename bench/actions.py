"""How reading the action log scales with its number of files, and what compaction buys.

    .venv/bin/python bench/actions.py --db data/warehouse.duckdb --actions 1000

Works on a COPY of the warehouse in a temporary folder (its log beside the copy), records N one-bill actions,
then times the Worklist's `load` (which reads every file of the log through billing_worklist) before and after
`actions-compact`. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from warehouse.gateway import Gateway  # noqa: E402
from warehouse.queries import worklist  # noqa: E402
from warehouse.queries.options import default_scope, filter_options  # noqa: E402


def timed(label: str, work) -> None:
    started = time.perf_counter()
    work()
    print(f"{label:<44} {1000 * (time.perf_counter() - started):8.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="data/warehouse.duckdb")
    parser.add_argument("--actions", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(shutil.copy(args.db, Path(folder) / "warehouse.duckdb"))
        gateway = Gateway.open(db)
        scope = default_scope(filter_options(gateway))
        bills = gateway.frame("select bill_id from billing_worklist order by bill_id")["bill_id"].to_list()
        timed("worklist load, empty log", lambda: worklist.load(gateway, scope))
        log = gateway.action_log
        timed(f"record {args.actions:,} actions (one file each)", lambda: [
            log.record(gateway, action_type="Call", performed_by="Bench", bills=[bills[i % len(bills)]])
            for i in range(args.actions)])
        timed(f"worklist load, {len(log.files()):,} files", lambda: worklist.load(gateway, scope))
        timed("actions-compact", log.compact)
        timed(f"worklist load, {len(log.files()):,} file", lambda: worklist.load(gateway, scope))
        gateway.close()


if __name__ == "__main__":
    main()
