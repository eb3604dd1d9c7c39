"""The project on Apache Spark: dbt-spark in this process (the `spark` target of
profiles.yml, session method), with the Python models run on dbt's own SparkSession.

dbt-spark submits Python models only to Databricks (all_purpose_cluster, job_cluster);
dbt-adapters refuses `submission_method: session` (dbt-spark #415, dbt-adapters #510,
closed unimplemented). `build` registers a `session` submission method first, which
runs the compiled model in this process, on the SparkSession the SQL models use, and
makes it the default. Tested with dbt-core 1.11, dbt-spark 1.11.0 and pyspark 4.3.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from customer_personality.warehouse.commit import recover
from customer_personality.warehouse.lock import hold_locks, warehouse_lock_file
from customer_personality.warehouse.publish import (
    StagedSnapshot,
    commit_with,
    history_lock,
    read_staged_snapshot,
)
from customer_personality.warehouse.run import history_store_of

# What `make spark` writes as Parquet (exports/spark/<table>/) besides every mart
# (models/marts: the marts' own schema), by schema: the bin edges, and the seed of
# the segments' names, order and colours, which the report reads.
EXTRA_EXPORTS = {"int_bin_edges": "intermediate", "segment_definitions": "seeds"}
LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")
# A DuckDB file of views over the exports (the report and BI tools read it).
VIEWS_FILE = "views.duckdb"
REPORT_FILE = "report.html"


def export_tables(project_dir: Path) -> dict[str, str | None]:
    """Table -> schema (None: the marts') of everything `export` writes: every model
    of models/marts, then EXTRA_EXPORTS."""
    marts = sorted(
        path.stem for path in (Path(project_dir) / "models" / "marts").glob("*.sql")
    )
    return {**dict.fromkeys(marts), **EXTRA_EXPORTS}


class SessionPythonJobHelper:
    """Runs a compiled dbt Python model on the active SparkSession (dbt-spark's
    PythonJobHelper shape: built with the parsed model and the credentials, then
    `submit(compiled_code)`)."""

    def __init__(self, parsed_model: dict, credentials: object) -> None:
        self.parsed_model = parsed_model
        self.credentials = credentials

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
        name = self.parsed_model.get("original_file_path", "<dbt python model>")
        namespace = {"spark": session, "__name__": "__dbt_python_model__"}
        exec(compile(compiled_code, name, "exec"), namespace)  # noqa: S102


def register_session_submission() -> None:
    """Adds the `session` submission method to dbt-spark and makes it the default."""
    from dbt.adapters.spark.impl import SparkAdapter

    if getattr(SparkAdapter, "_customer_personality_session", False):
        return
    helpers = SparkAdapter.python_submission_helpers.fget

    def python_submission_helpers(self):
        return {**helpers(self), "session": SessionPythonJobHelper}

    SparkAdapter.python_submission_helpers = property(python_submission_helpers)
    SparkAdapter.default_python_submission_method = property(lambda self: "session")
    SparkAdapter._customer_personality_session = True


def _check_java() -> None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ValueError(
            "Spark needs Java 17 or newer and none was found (no `java` on PATH, no "
            "JAVA_HOME): install it (Debian: apt-get install openjdk-17-jre-headless) "
            "or run `make spark`, which does when root"
        )


def use_spark_history_root() -> None:
    """Spark's own history stores by default (a DuckDB build's store holds files where
    Spark writes folders; both engines read either): beside its warehouse, one per
    customer base."""
    spark_dir = os.environ.get("CUSTOMER_PERSONALITY_SPARK_DIR", "build/spark")
    os.environ.setdefault("CUSTOMER_PERSONALITY_HISTORY", f"{spark_dir}/history")


def build(
    project_dir: Path,
    build_vars: dict,
    select: str | None = None,
    command: str = "build",
    extra_args: tuple[str, ...] = (),
) -> int:
    """`dbt <command>` on the spark target, in this process; returns dbt's exit code."""
    try:
        import pyspark  # noqa: F401
        from dbt.cli.main import dbtRunner
    except ImportError as error:
        raise ValueError(
            f"the Spark extra is not installed ({error}): pip install -e '.[spark]' "
            "(make spark installs it)"
        ) from error
    _check_java()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    use_spark_history_root()
    os.environ.setdefault(
        "CUSTOMER_PERSONALITY_SPARK_JAVA_OPTIONS",
        f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
    )
    register_session_submission()
    args = [
        command,
        "--target",
        "spark",
        "--profiles-dir",
        str(project_dir),
        "--project-dir",
        str(project_dir),
        "--vars",
        json.dumps(build_vars, default=str),
    ]
    args += ["--select", select] if select else []
    # dbt unit tests' fixtures are DuckDB SQL: they run on DuckDB (make test).
    args += (
        ["--exclude-resource-type", "unit_test"] if command in ("build", "test") else []
    )
    result = dbtRunner().invoke([*args, *extra_args])
    if result.exception is not None:
        print(f"error: dbt {command} on Spark: {result.exception}", file=sys.stderr)
        return 2
    return 0 if result.success else 1


def export(
    project_dir: Path, out_dir: Path, schema: str = "customer_personality"
) -> list[Path]:
    """Writes export_tables of the Spark warehouse as Parquet, one folder per table
    (one part file each), replacing earlier exports. Run after `build`, in its
    process."""
    from pyspark.sql import SparkSession

    # dbt's session (the process's default one: dbt ran in threads of its own).
    session = SparkSession.builder.getOrCreate()
    written = []
    tables = export_tables(project_dir)
    # build_info last: it names the build, so it is the last table to be replaced
    # (and a history commit counts from it: run)
    order = sorted(tables, key=lambda table: table == "build_info")
    for table in order:
        table_schema = tables[table]
        target = Path(out_dir) / table
        frame = session.table(f"{table_schema or schema}.{table}")
        frame.coalesce(1).write.mode("overwrite").parquet(str(target))
        written.append(target)
    return written


def write_views(exports: list[Path], views_path: Path) -> Path:
    """A DuckDB file of views over the exported Parquet folders, by absolute path:
    the marts in schema main, the seed in seeds, as a DuckDB build names them, so the
    report, `summary` and BI tools read a Spark build as they read a DuckDB one."""
    import duckdb

    views_path = Path(views_path)
    partial = views_path.with_name(f".{views_path.name}.{os.getpid()}.tmp")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as con:
        con.execute("create schema if not exists seeds")
        con.execute("create schema if not exists intermediate")
        for folder in exports:
            files = str(folder.resolve() / "*.parquet").replace("'", "''")
            con.execute(
                f"create view {EXTRA_EXPORTS.get(folder.name, 'main')}.{folder.name} as "
                f"select * from read_parquet('{files}')"
            )
    partial.replace(views_path)
    return views_path


def staged_snapshot(schema: str = "customer_personality") -> StagedSnapshot | None:
    """The snapshot the Spark build staged (in dbt's session), or None."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    return read_staged_snapshot(
        lambda sql: [tuple(row) for row in session.sql(sql).collect()],
        schema,
        "intermediate",
    )


def run(
    project_dir: Path, build_vars: dict, out_dir: Path, data_tests: bool = True
) -> int:
    """make spark: build every model and test on Spark (data_tests False: the models
    alone), export the tables (build_info last: the commit point of the build's
    segment snapshot), write the views file over them and the report. One run at a
    time per export folder and history store, as `make run`."""
    from customer_personality.report import write_report

    raw = build_vars.get("raw_customers_path")
    if raw and not (Path(project_dir) / raw).exists() and not Path(raw).exists():
        raise FileNotFoundError(
            f"Raw customer file not found: {raw} (var raw_customers_path; a relative "
            "path is read from the directory dbt runs in)"
        )
    use_spark_history_root()
    store = history_store_of(build_vars, Path(project_dir))
    views_path = Path(out_dir) / VIEWS_FILE
    locks = [
        (warehouse_lock_file(views_path), str(views_path.resolve())),
        history_lock(store),
    ]
    notes: list[str] = []
    with hold_locks(locks, "spark", notes):
        for note in notes + recover(store):
            print(f"note: {note}", file=sys.stderr)
        skip_tests = () if data_tests else ("--exclude-resource-type", "test")
        code = build(project_dir, build_vars, extra_args=skip_tests)
        if code != 0:
            print(
                f"error: the Spark build failed (exit {code}): nothing was published; "
                f"{views_path} and the history {store} are as they were",
                file=sys.stderr,
            )
            return code
        exports: list[Path] = []

        def publish() -> None:
            exports.extend(export(project_dir, out_dir))
            print(f"wrote {len(exports)} tables as Parquet under {out_dir}/")
            write_views(exports, views_path)

        # The exports replace the published tables in place, build_info last: its
        # export is the commit point of the build's snapshot.
        commit_with(
            staged_snapshot(),
            Path(out_dir) / "build_info",
            publish,
            lambda: print(f"wrote {views_path} (DuckDB views over them)"),
        )
        print(f"wrote {write_report(views_path, Path(out_dir) / REPORT_FILE)}")
    return 0
