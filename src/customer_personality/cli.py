"""Command line: `python -m customer_personality <command>`.

Commands:
  generate  write synthetic customers in the raw Kaggle schema (CSV or Parquet)
  summary   print what a built warehouse holds
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
