"""Command line: python -m warehouse {demo,build,import,views,status,billing-run,actions-compact,export-lake,spark-sql,
docs} ..."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from warehouse import catalog, contract, settings
from warehouse.build import BuildError, BuildResult, build, load_catalog, reapply_views
from warehouse.gateway import Gateway, WarehouseUnavailable, usable


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class _Steps:
    """Progress for -v: each step with the seconds since the previous one, so a slow step shows itself."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def __call__(self, message: str) -> None:
        now = time.perf_counter()
        _say(f"{now - self.last:7.1f} s  {message}")
        self.last = now


def _progress(args: argparse.Namespace):
    return _Steps() if args.verbose else _ignore


def _summary(result: BuildResult, seconds: float) -> str:
    rows = sum(result.row_counts.values())
    kinds = {kind: sum(1 for o in result.objects if o.kind == kind) for kind in ("view", "table", "macro")}
    return (f"{result.db_path}: {rows:,} rows in {len(result.row_counts)} tables; {kinds['view']} views, "
            f"{kinds['table']} materialized, {kinds['macro']} table macros; {seconds:.1f} s")


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = build(Path(args.raw), Path(args.db), sql_dir=Path(args.sql), progress=_progress(args))
    print(_summary(result, time.perf_counter() - started))
    return 0


def cmd_views(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    result = reapply_views(Path(args.db), sql_dir=Path(args.sql), progress=_progress(args))
    print(_summary(result, time.perf_counter() - started))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from generate import generate  # imported here: `build` and `views` need no generator

    db_path = Path(args.db)
    if args.if_missing and usable(db_path):
        print(f"{db_path}: warehouse present; not rebuilt (drop --if-missing to rebuild)")
        return 0
    raw_dir = Path(args.raw) if args.raw else settings.demo_raw_dir(args.scale, args.seed)
    started = time.perf_counter()
    if not all((raw_dir / f"{table.name}.parquet").exists() for table in contract.TABLES):
        _say(f"generating scale {args.scale:g} (seed {args.seed}) into {raw_dir}")
        generate(raw_dir, scale=args.scale, seed=args.seed, progress=_say)
    result = build(raw_dir, db_path, source_kind="generated",
                   source_detail={"scale": args.scale, "seed": args.seed, "end_date": settings.END_DATE.isoformat()},
                   as_of=settings.END_DATE)
    print(_summary(result, time.perf_counter() - started))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    gateway = Gateway.open(Path(args.db))
    info = gateway.build_info
    print(f"warehouse   {args.db}")
    print(f"built at    {info.built_at:%Y-%m-%d %H:%M} UTC (views applied {info.views_applied_at:%Y-%m-%d %H:%M})")
    print(f"source      {info.source_kind} {info.source_detail}")
    print(f"data as of  {info.as_of_date}")
    for table_name, row_count in gateway.rows("select table_name, row_count from meta.table_rows order by 1"):
        print(f"  {table_name:<22} {row_count:>14,}")
    gateway.close()
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    target = Path(args.sql) / "README.md"
    target.write_text(catalog.readme(load_catalog(Path(args.sql))), encoding="utf-8")
    print(f"wrote {target}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from warehouse.importer import MappingError, run_import  # imported here: other commands need no importer

    db_path = Path(args.db)
    report = Path(args.report) if args.report else db_path.with_name("import-report.csv")
    try:
        result = run_import(Path(args.source), Path(args.mapping), db_path, report_path=report,
                            progress=_progress(args))
    except MappingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(result.summary(args.max_problems))
    return 0 if result.accepted else 1


def cmd_billing_run(args: argparse.Namespace) -> int:
    from warehouse import billing_run  # imported here: other commands need no worklist

    return billing_run.main(Path(args.db), Path(args.out), args.format)


def cmd_actions_compact(args: argparse.Namespace) -> int:
    from warehouse import actions

    return actions.compact_command(Path(args.db))


def cmd_export_lake(args: argparse.Namespace) -> int:
    from warehouse.lake import export_lake

    started = time.perf_counter()
    manifest = export_lake(Path(args.db), Path(args.out))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    print(f"{args.out}: {rows:,} rows in {len(manifest['tables'])} tables (build {manifest['build_id']}, "
          f"as of {manifest['as_of_date']}); {time.perf_counter() - started:.1f} s")
    return 0


def cmd_spark_sql(args: argparse.Namespace) -> int:
    from warehouse.spark import spark_sql

    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(spark_sql(args.lake, Path(args.sql)), encoding="utf-8")
    print(f"wrote {target}: the views of {args.sql} as Spark SQL over the lake at {args.lake}")
    return 0


def _ignore(_: str) -> None:
    pass


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m warehouse", description="Build and inspect the DuckDB warehouse.")
    commands = root.add_subparsers(dest="command", required=True)
    db_help = f"warehouse file (default {settings.DEFAULT_DB_PATH.relative_to(settings.PROJECT_ROOT)})"

    demo = commands.add_parser("demo", help="generate synthetic data (if not already generated) and build from it")
    demo.add_argument("--scale", type=float, default=settings.DEFAULT_SCALE, help="scale factor; 1 = 10,000 customers")
    demo.add_argument("--seed", type=int, default=settings.DEFAULT_SEED)
    demo.add_argument("--raw", help="where the generated Parquet goes (default data/raw/sf<scale>-seed<seed>)")
    demo.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    demo.add_argument("--if-missing", action="store_true", help="do nothing when a usable warehouse exists")
    demo.set_defaults(run=cmd_demo)

    build_cmd = commands.add_parser("build", help="load Parquet source tables and create every view in sql/")
    build_cmd.add_argument("--raw", required=True, help="folder holding <table>.parquet files")
    build_cmd.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    build_cmd.add_argument("--sql", default=settings.SQL_DIR, help="folder of view files (default sql/)")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="print each step")
    build_cmd.set_defaults(run=cmd_build)

    views = commands.add_parser("views", help="re-apply sql/ to an existing warehouse without reloading data")
    views.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    views.add_argument("--sql", default=settings.SQL_DIR, help="folder of view files (default sql/)")
    views.add_argument("-v", "--verbose", action="store_true", help="print each step")
    views.set_defaults(run=cmd_views)

    status = commands.add_parser("status", help="what the warehouse was built from, when, and its row counts")
    status.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    status.set_defaults(run=cmd_status)

    importing = commands.add_parser("import", help="import a bank's own CSV, Parquet or .xlsx files through a mapping "
                                    "file, all or nothing (see mappings/README.md)")
    importing.add_argument("source", metavar="SOURCE_DIR", help="folder holding the files the mapping names")
    importing.add_argument("--mapping", required=True, help="TOML mapping file, e.g. mappings/collections-004.toml")
    importing.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    importing.add_argument("--report", help="where the full problem report goes (default import-report.csv beside "
                                            "the warehouse)")
    importing.add_argument("--max-problems", type=int, default=20, help="problems to print (default 20)")
    importing.add_argument("-v", "--verbose", action="store_true", help="print each step")
    importing.set_defaults(run=cmd_import)

    billing = commands.add_parser("billing-run", help="write today's collections worklist (overdue bills with "
                                  "their last action) as worklist-<date>.xlsx or .csv, e.g. from cron")
    billing.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    billing.add_argument("--out", required=True, help="folder the file is written to (created if missing)")
    billing.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="file format (default xlsx)")
    billing.set_defaults(run=cmd_billing_run)

    compact = commands.add_parser("actions-compact", help="merge the files of the log of actions recorded in the app "
                                  "into one (the log sits beside the warehouse; see README)")
    compact.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    compact.set_defaults(run=cmd_actions_compact)

    lake = commands.add_parser("export-lake", help="write the warehouse's source tables as a hive-partitioned "
                               "Parquet lake with a manifest, for Spark or another engine (see README, Scaling out)")
    lake.add_argument("--db", default=settings.DEFAULT_DB_PATH, help=db_help)
    lake.add_argument("--out", required=True, help="lake folder; replaced whole when the export is complete")
    lake.set_defaults(run=cmd_export_lake)

    spark = commands.add_parser("spark-sql", help="write the views of sql/ as Spark SQL over an exported lake, "
                                "in dependency order")
    spark.add_argument("--out", required=True, help="file the Spark SQL is written to, e.g. out/views.spark.sql")
    spark.add_argument("--lake", default="lake", help="the lake's path as the Spark cluster sees it, e.g. "
                       "s3a://bank-lake/cfi (default: lake)")
    spark.add_argument("--sql", default=settings.SQL_DIR, help="folder of view files (default sql/)")
    spark.set_defaults(run=cmd_spark_sql)

    docs = commands.add_parser("docs", help="regenerate sql/README.md from the headers of the view files")
    docs.add_argument("--sql", default=settings.SQL_DIR, help="folder of view files (default sql/)")
    docs.set_defaults(run=cmd_docs)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (BuildError, WarehouseUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
