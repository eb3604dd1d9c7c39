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

# The tables `make spark` writes as Parquet (exports/spark/<table>/), by schema (None:
# the marts' own): the kept customers with their derived fields, bins and segment,
# the rejected rows with their reasons, every customer's segment probabilities, the
# frequent itemsets, the rules, the segment profiles, the segment model, the
# clusterings compared, every customer's cluster and the cluster profiles, the
# segments' stability, feature importance, the projection, the focus product's rules,
# the duplicate IDs, the statistics, scores, aha moments, actions and the response
# model's evaluation and deciles, and the bin edges.
EXPORT_TABLES = {
    "customers": None,
    "rejected_customers": None,
    "customer_segments": None,
    "frequent_itemsets": None,
    "association_rules": None,
    "segment_profiles": None,
    "segment_model": None,
    "cluster_evaluation": None,
    "customer_clusters": None,
    "cluster_profiles": None,
    "segment_stability": None,
    "feature_importance": None,
    "customer_projection": None,
    "product_consumer_rules": None,
    "customer_duplicates": None,
    "segment_statistics": None,
    "customer_scores": None,
    "aha_moments": None,
    "customer_actions": None,
    "response_model_evaluation": None,
    "response_model_deciles": None,
    "int_bin_edges": "intermediate",
}
LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")
# The dbt selector of the models and tests that run on Spark (selectors.yml).
SPARK_SELECTOR = "spark"


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
        json.dumps(build_vars),
    ]
    args += ["--select", select] if select else ["--selector", SPARK_SELECTOR]
    # dbt unit tests' fixtures are DuckDB SQL: they run on DuckDB (make test).
    args += (
        ["--exclude-resource-type", "unit_test"] if command in ("build", "test") else []
    )
    result = dbtRunner().invoke([*args, *extra_args])
    if result.exception is not None:
        print(f"error: dbt {command} on Spark: {result.exception}", file=sys.stderr)
        return 2
    return 0 if result.success else 1


def export(out_dir: Path, schema: str = "customer_personality") -> list[Path]:
    """Writes EXPORT_TABLES of the Spark warehouse as Parquet, one folder per table
    (Spark's part files), replacing earlier exports. Run after `build`, in its
    process."""
    from pyspark.sql import SparkSession

    # dbt's session (the process's default one: dbt ran in threads of its own).
    session = SparkSession.builder.getOrCreate()
    written = []
    for table, table_schema in EXPORT_TABLES.items():
        target = Path(out_dir) / table
        frame = session.table(f"{table_schema or schema}.{table}")
        frame.coalesce(1).write.mode("overwrite").parquet(str(target))
        written.append(target)
    return written


def run(project_dir: Path, build_vars: dict, out_dir: Path) -> int:
    """make spark: build the Spark selection and test it, then export its tables."""
    raw = build_vars.get("raw_customers_path")
    if raw and not (Path(project_dir) / raw).exists() and not Path(raw).exists():
        raise FileNotFoundError(
            f"Raw customer file not found: {raw} (var raw_customers_path; a relative "
            "path is read from the directory dbt runs in)"
        )
    code = build(project_dir, build_vars)
    if code != 0:
        return code
    for path in export(out_dir):
        print(f"wrote {path}/")
    print(
        f"built on Spark: dbt selector {SPARK_SELECTOR} (selectors.yml); the other "
        "marts build on DuckDB (README, On Apache Spark)"
    )
    return 0
