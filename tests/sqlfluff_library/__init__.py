"""dbt's Jinja context for sqlfluff's jinja templater (`library_path` in .sqlfluff).

The few dbt objects this project's SQL calls, enough to render every model, macro
and test to lintable SQL with no database: `var()` gives dbt_project.yml's default,
`adapter.dispatch` picks the duckdb__ or default__ macro, and `execute` is False, as
in dbt's parse, so the branches that query the warehouse (run_query) are skipped.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from jinja2 import pass_context

_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project.yml"
_VARS = yaml.safe_load(_PROJECT.read_text(encoding="utf-8")).get("vars", {})

execute = False


def var(name, default=None):
    """The var's default in dbt_project.yml, else the call's default."""
    return _VARS.get(name, default)


class _Adapter:
    """dbt's adapter, for the calls made at render time."""

    @pass_context
    def dispatch(self, context, macro_name, macro_namespace=None):
        for prefix in ("duckdb__", "default__"):
            macro = context.get(prefix + macro_name)
            if macro is not None:
                return macro
        raise LookupError(f"no duckdb__ or default__ macro for {macro_name}")

    def quote(self, identifier):
        return f'"{identifier}"'

    def get_columns_in_relation(self, relation):
        return []

    def type(self):
        return "duckdb"


class _Dbt:
    """dbt's cross-database macros (`dbt.type_string()`), as DuckDB spells them."""

    def type_string(self):
        return "varchar"

    def datediff(self, first_date, second_date, datepart):
        return f"date_diff('{datepart}', {first_date}, {second_date})"

    def cast(self, field, type):
        return f"cast({field} as {type})"


class _Exceptions:
    def raise_compiler_error(self, message):
        raise RuntimeError(message)


class _Flags:
    WHICH = "build"


class _Target:
    name = "dev"
    schema = "main"


class _RunStartedAt:
    def strftime(self, pattern):
        return "2000-01-01T00:00:00Z"


adapter = _Adapter()
target = _Target()
run_started_at = _RunStartedAt()
invocation_id = "00000000-0000-0000-0000-000000000000"
dbt_version = "1.11.0"
project_name = "customer_personality"
dbt = _Dbt()
exceptions = _Exceptions()
flags = _Flags()
