"""The whole benchmark at one scale: generation, build, every page's queries, and the side-by-side measures.

    python bench/run.py --scale 10 [--seed 7] [--repeat 5] [--regenerate] [--reuse-build] [--json out.json]

1. Generation: synthetic data at --scale into data/raw/sf<scale>-seed<seed> (reused when present, unless
   --regenerate; only a fresh generation is timed), reported as fact rows per second.
2. Build: the warehouse at data/bench/sf<scale>.duckdb (--reuse-build keeps an existing one), in seconds.
3. Pages: every page's data-access call `load()` (exactly the queries the page runs), with the default filters
   and three other combinations (one region; one segment and one wealth tier; the last quarter in two regions).
   Cold: on a freshly opened warehouse connection, as the first visitor after a start or a rebuild sees it
   (the operating system's file cache stays warm). Warm: again on the same connection, the app's result cache
   left out. p50 and p95 per page over every combination and repeat.
4. Side by side (bench/compare.py): six measures in DuckDB, pandas and SQLite, checked to agree.
Peak RSS is this process's, which ran all of the above. The targets of the performance brief are printed beside
the figures with whether each is met.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measuring import TimedReader, filter_combinations, summary  # noqa: E402
from generate import generate  # noqa: E402
from warehouse import build, contract, settings  # noqa: E402
from warehouse.gateway import Gateway, usable  # noqa: E402
from warehouse.queries import PAGES  # noqa: E402
from warehouse.queries.options import FilterOptions, filter_options  # noqa: E402
from warehouse.scope import Scope  # noqa: E402

# page p95 targets by scale, in ms: (warm, cold); None where the brief sets none
PAGE_TARGETS_MS = {10: (150, 1000), 100: (500, None)}
GENERATION_TARGET_ROWS_PER_S = 5_000_000
SF100_GENERATE_AND_BUILD_TARGET_S = 180
PEAK_RSS_TARGET_MB = 6 * 1024
# tables that describe things rather than record events: not counted as fact rows
DIMENSION_TABLES = frozenset({"customers", "employees", "products", "marketing_campaigns", "billing_groups"})


def page_loaders() -> dict[str, object]:
    loaders = {}
    for module in PAGES:
        load = getattr(importlib.import_module(f"warehouse.queries.{module}"), "load", None)
        if load is not None:
            loaders[module] = load
    return loaders


def slowest_queries(db: Path, load, scope: Scope, keep: int = 3) -> list[dict]:
    """A page's slowest queries, warm, with the views they read: the profile behind a missed target."""
    gateway = Gateway.open(db)
    try:
        load(gateway, scope)
        reader = TimedReader(gateway)
        load(reader, scope)
    finally:
        gateway.close()
    seconds: dict[str, float] = {}
    for sql, spent in reader.queries:
        seconds[sql] = seconds.get(sql, 0.0) + spent
    ranked = sorted(seconds.items(), key=lambda item: -item[1])[:keep]
    return [{"ms": round(seconds * 1000, 1), "sql": " ".join(sql.split())[:300]} for sql, seconds in ranked]


def time_pages(db: Path, repeat: int) -> dict[str, dict]:
    """Per page: cold and warm seconds of `load()` over every filter combination and repeat, and a profile."""
    combinations = filter_combinations(_options(db))
    figures = {}
    for module, load in page_loaders().items():
        cold, warm = [], []
        for scope in combinations.values():
            for _ in range(repeat):
                started = time.perf_counter()
                gateway = Gateway.open(db)
                load(gateway, scope)
                cold.append(time.perf_counter() - started)
                for _ in range(2):  # the first warm run may still read pages DuckDB had not cached
                    started = time.perf_counter()
                    load(gateway, scope)
                    warm.append(time.perf_counter() - started)
                gateway.close()
        figures[module] = {"title": PAGES[module], "cold": summary(cold), "warm": summary(warm),
                           "slowest_queries": slowest_queries(db, load, combinations["default"])}
    return figures


def _options(db: Path) -> FilterOptions:
    gateway = Gateway.open(db)
    try:
        return filter_options(gateway)
    finally:
        gateway.close()


class BuildSteps:
    """The build's progress callback: the seconds each step (loading a table, creating an object) took."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = round(now - self.last, 2)
        self.last = now

    def slowest(self, keep: int = 8) -> list[dict]:
        ranked = sorted(self.seconds.items(), key=lambda item: -item[1])[:keep]
        return [{"step": step, "seconds": seconds} for step, seconds in ranked]


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # Linux reports kilobytes


def prepare(scale: float, seed: int, raw_dir: Path, db: Path, regenerate: bool, reuse_build: bool) -> dict:
    figures: dict = {"raw_dir": str(raw_dir), "db": str(db)}
    complete = all((raw_dir / f"{t.name}.parquet").exists() for t in contract.TABLES)
    if regenerate or not complete:
        started = time.perf_counter()
        counts = generate(raw_dir, scale=scale, seed=seed)
        seconds = time.perf_counter() - started
        figures["generation"] = {"seconds": round(seconds, 2), "rows": sum(counts.values()),
                                 "rows_per_s": round(sum(counts.values()) / seconds)}
    if not (reuse_build and usable(db)):
        db.parent.mkdir(parents=True, exist_ok=True)
        steps = BuildSteps()
        build.build(raw_dir, db, source_kind="generated", as_of=settings.END_DATE, progress=steps,
                    source_detail={"scale": scale, "seed": seed, "end_date": settings.END_DATE.isoformat()})
        figures["build_seconds"] = round(time.perf_counter() - steps.started, 2)
        figures["slowest_build_steps"] = steps.slowest()
    gateway = Gateway.open(db)
    try:
        figures["rows"] = dict(gateway.rows("select table_name, row_count from meta.table_rows order by 1"))
    finally:
        gateway.close()
    figures["fact_rows"] = sum(n for t, n in figures["rows"].items() if t not in DIMENSION_TABLES)
    return figures


def targets(scale: float, prepared: dict, pages: dict, compared: dict | None, peak_mb: int) -> list[dict]:
    """Each target of the brief that this run can judge, with the measured figure and whether it is met."""
    judged = []

    def judge(name: str, measured, wanted, met: bool) -> None:
        judged.append({"target": name, "measured": measured, "wanted": wanted, "met": met})

    generation = prepared.get("generation")
    if generation:
        judge("generation rows/s", f"{generation['rows_per_s']:,}", f">= {GENERATION_TARGET_ROWS_PER_S:,}",
              generation["rows_per_s"] >= GENERATION_TARGET_ROWS_PER_S)
    page_targets = PAGE_TARGETS_MS.get(int(scale)) if scale == int(scale) else None
    if page_targets:
        warm_limit, cold_limit = page_targets
        slowest_warm = max(pages.values(), key=lambda p: p["warm"]["p95_ms"])
        judge(f"SF{scale:g} every page p95 warm", f"{slowest_warm['warm']['p95_ms']:.0f} ms "
              f"({slowest_warm['title']})", f"<= {warm_limit} ms", slowest_warm["warm"]["p95_ms"] <= warm_limit)
        if cold_limit:
            slowest_cold = max(pages.values(), key=lambda p: p["cold"]["p95_ms"])
            judge(f"SF{scale:g} every page p95 cold", f"{slowest_cold['cold']['p95_ms']:.0f} ms "
                  f"({slowest_cold['title']})", f"<= {cold_limit} ms", slowest_cold["cold"]["p95_ms"] <= cold_limit)
    if scale == 100 and generation and "build_seconds" in prepared:
        total = generation["seconds"] + prepared["build_seconds"]
        judge("SF100 generate + build", f"{total:.0f} s", f"<= {SF100_GENERATE_AND_BUILD_TARGET_S} s",
              total <= SF100_GENERATE_AND_BUILD_TARGET_S)
    judge("peak RSS", f"{peak_mb:,} MB", f"<= {PEAK_RSS_TARGET_MB:,} MB", peak_mb <= PEAK_RSS_TARGET_MB)
    if compared and compared["scale"] == compared["target_scale"]:
        for engine, target in compared["targets"].items():
            judge(f"measure set {engine}/DuckDB", f"{target['ratio']:.1f}x", f">= {target['wanted']:g}x",
                  target["met"])
    return judged


def report(result: dict) -> str:
    prepared = result["prepared"]
    lines = [f"Benchmark at SF{result['scale']:g} (seed {result['seed']}), {result['repeat']} repeat(s), "
             f"{os.cpu_count()} cores, load average {result['load_average']}",
             f"  fact rows {prepared['fact_rows']:,}; customers {prepared['rows'].get('customers', 0):,}"]
    generation = prepared.get("generation")
    lines.append(f"  generation {generation['seconds']:.1f} s, {generation['rows_per_s']:,} rows/s" if generation
                 else f"  generation: reused {prepared['raw_dir']} (not timed; --regenerate times it)")
    if "build_seconds" in prepared:
        lines.append(f"  build {prepared['build_seconds']:.1f} s; slowest steps: " + ", ".join(
            f"{step['step']} {step['seconds']:.1f} s" for step in prepared["slowest_build_steps"][:5]))
    else:
        lines.append(f"  build: reused {prepared['db']} (not timed)")
    lines += ["", f"{'page':<24}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}   (ms; "
              f"{len(result['combinations'])} filter combinations x repeats)"]
    for figures in result["pages"].values():
        lines.append(f"{figures['title']:<24}" + "".join(
            f"{figures[kind][stat]:>10,.0f}" for kind in ("cold", "warm") for stat in ("p50_ms", "p95_ms")))
    slowest = max(result["pages"].values(), key=lambda p: p["warm"]["p95_ms"])
    lines += ["", f"Where the slowest page warm ({slowest['title']}) spends its time, default filters:"]
    lines += [f"  {q['ms']:>8,.1f} ms  {q['sql'][:150]}" for q in slowest["slowest_queries"]]
    if result["compare"]:
        from bench.compare import report as compare_report

        lines += ["", compare_report(result["compare"])]
    lines += ["", f"peak RSS {result['peak_rss_mb']:,} MB", "", "Targets:"]
    for target in result["targets"]:
        lines.append(f"  {'met    ' if target['met'] else 'NOT met'}  {target['target']:<32} {target['measured']!s:<28}"
                     f" wanted {target['wanted']}")
    return "\n".join(lines)


def run(scale: float, seed: int = settings.DEFAULT_SEED, repeat: int = 5, *, raw_dir: Path | None = None,
        db: Path | None = None, regenerate: bool = False, reuse_build: bool = False, compare_repeat: int | None = 3,
        say=print) -> dict:
    """Run the whole benchmark and return its figures; compare_repeat None skips the side-by-side part."""
    raw_dir = raw_dir or settings.demo_raw_dir(scale, seed)
    db = db or settings.PROJECT_ROOT / "data" / "bench" / f"sf{scale:g}.duckdb"
    say(f"preparing SF{scale:g}: {raw_dir} -> {db}")
    prepared = prepare(scale, seed, raw_dir, db, regenerate, reuse_build)
    say("timing every page's queries")
    combinations = {name: _describe(scope) for name, scope in filter_combinations(_options(db)).items()}
    pages = time_pages(db, repeat)
    compared = None
    if compare_repeat:
        from bench.compare import compare

        say("side by side: DuckDB, pandas, SQLite")
        compared = compare(db, raw_dir, compare_repeat)
    peak = peak_rss_mb()
    return {"scale": scale, "seed": seed, "repeat": repeat, "load_average": round(os.getloadavg()[0], 1),
            "prepared": prepared, "combinations": combinations, "pages": pages, "compare": compared,
            "peak_rss_mb": peak, "targets": targets(scale, prepared, pages, compared, peak)}


def _describe(scope: Scope) -> dict:
    return {"period": f"{scope.start} .. {scope.end}", "regions": list(scope.regions),
            "segments": list(scope.segments), "wealth_tiers": list(scope.wealth_tiers)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--scale", type=float, default=1.0, help="scale factor; 1 = 10,000 customers")
    parser.add_argument("--seed", type=int, default=settings.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5, help="runs per page and filter combination (default 5)")
    parser.add_argument("--compare-repeat", type=int, default=3,
                        help="runs per measure and engine side by side; 0 skips that part (default 3)")
    parser.add_argument("--raw", type=Path, help="folder of generated Parquet (default data/raw/sf<scale>-seed<seed>)")
    parser.add_argument("--db", type=Path, help="warehouse to build (default data/bench/sf<scale>.duckdb)")
    parser.add_argument("--regenerate", action="store_true", help="generate even when the data is there, and time it")
    parser.add_argument("--reuse-build", action="store_true", help="keep a warehouse already built at --db")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    result = run(args.scale, args.seed, args.repeat, raw_dir=args.raw, db=args.db, regenerate=args.regenerate,
                 reuse_build=args.reuse_build, compare_repeat=args.compare_repeat or None,
                 say=lambda message: print(message, file=sys.stderr, flush=True))
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
