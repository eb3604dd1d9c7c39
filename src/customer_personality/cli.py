"""Command line: `python -m customer_personality <command>`.

Commands:
  generate  write synthetic customers in the raw Kaggle schema (CSV or Parquet)
  summary   print what a built warehouse holds
  publish   copy the built warehouse to the path readers open, atomically
  export    write the public marts as Parquet and CSV
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _generate(args: argparse.Namespace) -> int:
    from customer_personality.generate import write_customers

    written = write_customers(
        rows=args.rows,
        out=Path(args.out),
        fmt=args.format,
        seed=args.seed,
        progress=not args.quiet,
    )
    print(f"wrote {written:,} customers to {args.out}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from customer_personality.warehouse import summarize

    print(summarize(args.db))
    return 0


def _publish(args: argparse.Namespace) -> int:
    from customer_personality.publish import publish

    print(f"published {publish(Path(args.work), Path(args.to))}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from customer_personality.publish import export_marts

    for path in export_marts(Path(args.db), Path(args.out)):
        print(f"exported {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m customer_personality",
        description="customer-personality: segmentation warehouse tools",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate", help="write synthetic customers in the raw Kaggle schema"
    )
    generate.add_argument("--rows", type=int, required=True, help="number of customers")
    generate.add_argument("--out", required=True, help="output file path")
    generate.add_argument("--format", choices=["csv", "parquet"], default="csv")
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--quiet", action="store_true", help="no progress output")
    generate.set_defaults(handler=_generate)

    summary = commands.add_parser("summary", help="print what a built warehouse holds")
    summary.add_argument(
        "--db", default="build/customer_personality.duckdb", help="DuckDB file"
    )
    summary.set_defaults(handler=_summary)

    publish = commands.add_parser(
        "publish", help="copy the built warehouse to the path readers open, atomically"
    )
    publish.add_argument("--work", required=True, help="the file dbt built into")
    publish.add_argument("--to", required=True, help="the published file")
    publish.set_defaults(handler=_publish)

    export = commands.add_parser(
        "export", help="write the public marts as Parquet and CSV"
    )
    export.add_argument("--db", default="build/customer_personality.duckdb")
    export.add_argument("--out", default="exports")
    export.set_defaults(handler=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
