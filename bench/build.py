"""Measure data generation and warehouse build at one scale, and print the figures.

    python bench/build.py --scale 1 [--seed 7] [--repeat 3] [--json out.json]

Generation and build each run --repeat times; medians are reported (this machine is noisy), with peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import generate  # noqa: E402
from warehouse import build  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def measure(scale: float, seed: int, repeat: int) -> dict:
    generation_seconds, build_seconds = [], []
    with tempfile.TemporaryDirectory(prefix="cfi-bench-") as scratch:
        for attempt in range(repeat):
            raw = Path(scratch) / f"raw{attempt}"
            started = time.perf_counter()
            counts = generate(raw, scale=scale, seed=seed)
            generation_seconds.append(time.perf_counter() - started)
        db = Path(scratch) / "warehouse.duckdb"
        for _ in range(repeat):
            started = time.perf_counter()
            result = build.build(Path(scratch) / "raw0", db)
            build_seconds.append(time.perf_counter() - started)
        size_mb = db.stat().st_size / 2**20
    rows = sum(counts.values())
    generation = statistics.median(generation_seconds)
    return {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "rows": rows,
        "rows_by_table": counts,
        "generation_seconds_median": round(generation, 2),
        "generation_rows_per_second": round(rows / generation),
        "build_seconds_median": round(statistics.median(build_seconds), 2),
        "sql_objects": len(result.objects),
        "warehouse_mb": round(size_mb, 1),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="scale factor (1 = 10,000 customers)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of generation and of build (median reported)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    figures = measure(args.scale, args.seed, args.repeat)
    print(f"scale {figures['scale']:g} (seed {figures['seed']}), median of {figures['repeat']} run(s)")
    for table, count in sorted(figures["rows_by_table"].items(), key=lambda item: -item[1]):
        print(f"  {table:<22} {count:>14,}")
    print(f"rows generated      {figures['rows']:>14,}")
    print(f"generation          {figures['generation_seconds_median']:>14.2f} s   "
          f"{figures['generation_rows_per_second']:>12,} rows/s   (target >= 5,000,000 rows/s)")
    print(f"build               {figures['build_seconds_median']:>14.2f} s   "
          f"{figures['sql_objects']} sql objects, warehouse {figures['warehouse_mb']:,.1f} MB")
    print(f"peak RSS            {figures['peak_rss_mb']:>14,} MB   (target <= 6,144 MB)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
