"""The project on Apache Spark (launcher.py): dbt-spark in this process with the
Python models run on dbt's own SparkSession, the exports as Parquet, a DuckDB file of
views over them and the report; spark_log4j2.properties quiets Spark's logging."""

from customer_personality.spark.launcher import (
    EXTRA_EXPORTS,
    LOG_CONFIG,
    REPORT_FILE,
    VIEWS_FILE,
    SessionPythonJobHelper,
    build,
    export,
    export_tables,
    register_session_submission,
    run,
    write_views,
)

__all__ = [
    "EXTRA_EXPORTS",
    "LOG_CONFIG",
    "REPORT_FILE",
    "VIEWS_FILE",
    "SessionPythonJobHelper",
    "build",
    "export",
    "export_tables",
    "register_session_submission",
    "run",
    "write_views",
]
