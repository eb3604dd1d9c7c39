"""Command line: `python -m customer_personality <command>`.

Commands:
  generate  write synthetic customers in the raw Kaggle schema (CSV or Parquet)
  summary   print what a built warehouse holds
  report    write the self-contained HTML report of a built warehouse
  publish   copy the built warehouse to the path readers open, atomically
  export    write the public marts as Parquet and CSV
  score     assign segments to a file of new customers with the warehouse's SQL macros
  model     export a warehouse's segment model to a file (model export), or describe
            a model file (model show)
  contract  draft the input contract of a customer export (README "Your own data")
  run-vars  the --vars of `make run`'s dbt build (RAW, CONTRACT, SEGMENT_MODEL and
            VARS merged)
  spark     build and test the project on Apache Spark (make spark)
  run       the whole `make run`: build, publish with the history, export, report
  history   show a segment history store, or upgrade one of an earlier version
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from customer_personality.cli_run import add_history, add_run
from customer_personality.warehouse.lock import BuildRunning


def _generate(args: argparse.Namespace) -> int:
    from customer_personality.synthetic import write_customers

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
    from customer_personality.warehouse import publish

    print(f"published {publish(Path(args.work), Path(args.to))}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from customer_personality.warehouse import export_marts

    for path in export_marts(Path(args.db), Path(args.out)):
        print(f"exported {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from customer_personality.report import write_report

    def progress(line: str) -> None:
        print(f"report: {line}", file=sys.stderr, flush=True)

    out = write_report(Path(args.db), Path(args.out), progress=progress)
    print(out)
    return 0


def _model_export(args: argparse.Namespace) -> int:
    from customer_personality.warehouse.model_export import describe, export_model

    model = export_model(Path(args.db), Path(args.out))
    print(f"exported {args.out}: {describe(model)}")
    return 0


def _model_show(args: argparse.Namespace) -> int:
    from customer_personality.segments import read_model_file
    from customer_personality.warehouse.model_export import describe

    print(f"{args.file}: {describe(read_model_file(Path(args.file)))}")
    return 0


def _run_vars(args: argparse.Namespace) -> int:
    from customer_personality.warehouse.run import run_vars

    # YAML reads 2014-07-29 as a date: dbt receives it as text, as typed.
    print(
        json.dumps(
            run_vars(args.raw, args.segment_model, args.vars, args.contract),
            default=str,
        )
    )
    return 0


def _contract(args: argparse.Namespace) -> int:
    from customer_personality.contract import write_draft

    source = Path(args.file)
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such file")
    out = Path(args.out) if args.out else Path(f"{source.stem}_contract.yml")
    draft = write_draft(source, out)
    checks = sum(1 for note in draft.notes.values() if note)
    print(
        f"wrote {out}: {len(draft.fields)} fields, "
        + ", ".join(f"{len(entries)} {name}" for name, entries in draft.lists.items())
        + f", {len(draft.ignore)} ignored; {checks} lines marked check:"
    )
    print(f"build with: make run RAW={source} CONTRACT={out}")
    return 0


def _add_contract(commands: argparse._SubParsersAction) -> None:
    contract = commands.add_parser(
        "contract",
        help="draft the input contract of a customer export",
        description="Read a file's header and a sample of its rows and write a draft "
        "input contract: each column matched to a field where the name tells, further "
        "numbers and categories as generic features, what is unsure marked `check:`.",
    )
    contract.add_argument(
        "file", help="the export: CSV (tab, comma or semicolon) or Parquet"
    )
    contract.add_argument(
        "--out", default="", help="the contract to write (default <file>_contract.yml)"
    )
    contract.set_defaults(handler=_contract)


def _parse_var(text: str) -> tuple[str, object]:
    """NAME=VALUE of `score --var`: the value as JSON when it reads as JSON (600000,
    1.5, null, true), else as text (impute)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    try:
        return name.strip(), json.loads(value)
    except json.JSONDecodeError:
        return name.strip(), value


def _score(args: argparse.Namespace) -> int:
    from customer_personality.scoring import score_file

    scored, rejected = score_file(
        Path(args.new_file),
        Path(args.out),
        Path(args.db),
        project_dir=Path(args.project_dir),
        reference_date=args.reference_date,
        overrides=dict(args.var or []),
        model_file=Path(args.model) if args.model else None,
    )
    print(f"scored {scored:,} customers into {args.out} ({rejected:,} rejected rows)")
    return 0


def _add_generate(commands: argparse._SubParsersAction) -> None:
    generate = commands.add_parser(
        "generate", help="write synthetic customers in the raw Kaggle schema"
    )
    generate.add_argument("--rows", type=int, required=True, help="number of customers")
    generate.add_argument("--out", required=True, help="output file path")
    generate.add_argument("--format", choices=["csv", "parquet"], default="csv")
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--quiet", action="store_true", help="no progress output")
    generate.set_defaults(handler=_generate)


def _add_summary(commands: argparse._SubParsersAction) -> None:
    summary = commands.add_parser("summary", help="print what a built warehouse holds")
    summary.add_argument(
        "--db", default="build/customer_personality.duckdb", help="DuckDB file"
    )
    summary.set_defaults(handler=_summary)


def _add_report(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report", help="write the self-contained HTML report of a built warehouse"
    )
    report.add_argument(
        "--db", default="build/customer_personality.duckdb", help="DuckDB file"
    )
    report.add_argument("--out", default="build/report.html", help="HTML file to write")
    report.set_defaults(handler=_report)


def _add_publish(commands: argparse._SubParsersAction) -> None:
    publish = commands.add_parser(
        "publish", help="copy the built warehouse to the path readers open, atomically"
    )
    publish.add_argument("--work", required=True, help="the file dbt built into")
    publish.add_argument("--to", required=True, help="the published file")
    publish.set_defaults(handler=_publish)


def _add_export(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="write the public marts as Parquet and CSV"
    )
    export.add_argument("--db", default="build/customer_personality.duckdb")
    export.add_argument("--out", default="exports")
    export.set_defaults(handler=_export)


def _add_score(commands: argparse._SubParsersAction) -> None:
    score = commands.add_parser(
        "score",
        help="assign segments to new customers (raw format) in SQL",
        description="Clean and derive a raw file of new customers as the warehouse's "
        "build did (its cleaning vars, and ages and seniority at its reference date, "
        "from its build_vars table), then score them with the warehouse's "
        "score_segment and segment_probabilities macros, so that a customer the "
        "warehouse holds gets the segment and probabilities it has there (except that "
        "imputed incomes and IQR fences, when the build uses them, come from the new "
        "file). Says on stderr which model, reference date and cleaning vars it used.",
    )
    score.add_argument("new_file", help="new customers, in the raw export format")
    score.add_argument(
        "--out",
        required=True,
        help="CSV of customer_id, segment, probabilities, ...; rejected rows go to "
        "<out stem>.rejected.csv",
    )
    score.add_argument(
        "--db",
        default="build/customer_personality.duckdb",
        help="the warehouse whose model and cleaning vars are used "
        "(default: %(default)s)",
    )
    score.add_argument(
        "--reference-date",
        metavar="YYYY-MM-DD",
        help="measure ages and seniority at this date; default: the warehouse's "
        "reference date",
    )
    score.add_argument(
        "--var",
        action="append",
        type=_parse_var,
        metavar="NAME=VALUE",
        help="replace one of the warehouse's cleaning vars (missing_income, "
        "income_outlier_rule, income_max, income_iqr_k, max_age, "
        "drop_duplicate_profiles), e.g. --var max_age=null; repeatable",
    )
    score.add_argument(
        "--model",
        metavar="FILE",
        help="score with this model file (of `model export`) instead of the "
        "warehouse's macros, as a build with SEGMENT_MODEL=FILE does",
    )
    score.add_argument(
        "--project-dir",
        default=".",
        help="the customer-personality dbt project (a checkout or copy holding "
        "dbt_project.yml) whose staging cleans the new file (default: the current "
        "directory)",
    )
    score.set_defaults(handler=_score)


def _add_model(commands: argparse._SubParsersAction) -> None:
    model = commands.add_parser(
        "model",
        help="export a warehouse's segment model to a file, or describe a model file",
        description="A model file freezes the segment model: build with --vars "
        "'{segment_model_mode: frozen, segment_model_path: FILE}' (or make run "
        "SEGMENT_MODEL=FILE) and every customer is scored with it, nothing refitted.",
    )
    actions = model.add_subparsers(dest="model_command", required=True)
    export = actions.add_parser("export", help="write the warehouse's segment model")
    export.add_argument(
        "--db",
        default="build/customer_personality.duckdb",
        help="the warehouse (default: %(default)s)",
    )
    export.add_argument("--out", required=True, help="the model file to write (JSON)")
    export.set_defaults(handler=_model_export)
    show = actions.add_parser("show", help="describe a model file")
    show.add_argument("file", help="a model file")
    show.set_defaults(handler=_model_show)


def _add_run_vars(commands: argparse._SubParsersAction) -> None:
    merged = commands.add_parser(
        "run-vars", help="the --vars of make run's dbt build, as JSON"
    )
    merged.add_argument("--raw", default="", help="the raw file (RAW)")
    merged.add_argument(
        "--segment-model", default="", help="a model file to freeze (SEGMENT_MODEL)"
    )
    merged.add_argument("--vars", default="", help="a YAML mapping of vars (VARS)")
    merged.add_argument("--contract", default="", help="an input contract (CONTRACT)")
    merged.set_defaults(handler=_run_vars)


def _spark(args: argparse.Namespace) -> int:
    from customer_personality import spark
    from customer_personality.warehouse.run import run_vars

    build_vars = run_vars(raw=args.raw, extra=args.vars, contract=args.contract)
    return spark.run(Path(args.project_dir), build_vars, Path(args.out))


def _add_spark(commands: argparse._SubParsersAction) -> None:
    spark = commands.add_parser(
        "spark",
        help="build and test the project on Apache Spark (local) and export Parquet",
    )
    spark.add_argument("--raw", default="", help="the raw file (RAW)")
    spark.add_argument("--vars", default="", help="a YAML mapping of vars (VARS)")
    spark.add_argument("--contract", default="", help="an input contract (CONTRACT)")
    spark.add_argument("--out", default="exports/spark", help="the export folder")
    spark.add_argument("--project-dir", default=".", help="the dbt project")
    spark.set_defaults(handler=_spark)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m customer_personality",
        description="customer-personality: segmentation warehouse tools",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _add_generate(commands)
    _add_summary(commands)
    _add_report(commands)
    _add_publish(commands)
    _add_export(commands)
    _add_score(commands)
    _add_model(commands)
    _add_contract(commands)
    _add_run_vars(commands)
    _add_spark(commands)
    add_run(commands)
    add_history(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (FileNotFoundError, ValueError, BuildRunning) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
