"""python -m generate: write the synthetic source tables as Parquet."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from generate.pipeline import generate
from warehouse.settings import DEFAULT_RAW_DIR, DEFAULT_SCALE, DEFAULT_SEED, END_DATE


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m generate",
        description="Generate the bank's synthetic source data: one Parquet file per contract table, "
                    "DIR/<table>.parquet. The same scale, seed and end date always give the same data.",
    )
    parser.add_argument("--scale", type=float, default=DEFAULT_SCALE, metavar="SF",
                        help="scale factor: 1 is 10,000 customers and about 1.6 million rows; "
                             f"fact tables grow linearly (default {DEFAULT_SCALE:g})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="N",
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=DEFAULT_RAW_DIR, metavar="DIR",
                        help=f"output directory (default {DEFAULT_RAW_DIR})")
    parser.add_argument("--end-date", type=date.fromisoformat, default=END_DATE, metavar="YYYY-MM-DD",
                        help=f"last day of the generated history (default {END_DATE})")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    # Per-table progress is for people watching a terminal; the total line is printed either way.
    started = time.perf_counter()
    try:
        rows = generate(args.out, scale=args.scale, seed=args.seed, end_date=args.end_date,
                        progress=say if sys.stderr.isatty() and not args.quiet else None)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    if not args.quiet:
        total = sum(rows.values())
        say(f"{'total':<22} {total:>13,} rows {total / seconds:>13,.0f} rows/s in {seconds:,.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
