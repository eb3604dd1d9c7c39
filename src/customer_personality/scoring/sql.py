"""The SQL of scoring: the scratch file's relations, and the select of every new
customer's segment and probabilities (by the warehouse's macros, or frozen)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from customer_personality.warehouse import INTERMEDIATE_SCHEMA, MARTS_SCHEMA, SEEDS_SCHEMA

FEATURE_COLUMNS = ("income", "seniority_months", "spending")


def relations(con: duckdb.DuckDBPyConnection, schema: str = MARTS_SCHEMA) -> set[str]:
    """Tables and views of one schema (the marts' by default)."""
    return {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = ?",
            [schema],
        ).fetchall()
    }


def quote(path: Path) -> str:
    """A path as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def segment_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The segment names of the warehouse's seed segment_definitions, in order."""
    if "segment_definitions" not in relations(con, SEEDS_SCHEMA):
        raise ValueError(
            "the warehouse has no segment_definitions table: rebuild it with make run"
        )
    rows = con.execute(
        f"select segment from {SEEDS_SCHEMA}.segment_definitions order by segment_order"
    ).fetchall()
    return [row[0] for row in rows]


def scores_query(names: list[str]) -> str:
    """The select of every new customer's segment and probabilities: one
    probability_<name> column per segment, read from segment_probabilities' fields
    (named as create_segment_scoring_macros names them)."""
    fields = [name.lower().replace("'", "").replace(" ", "_") for name in names]
    probabilities = [f"probabilities.{identifier(field)}" for field in fields]
    features = ", ".join(FEATURE_COLUMNS)
    columns = ",\n".join(
        f"{value} as {identifier('probability_' + field)}"
        for value, field in zip(probabilities, fields, strict=True)
    )
    return f"""
        with features as (
            select customer_id, {features}
            from new_customers.{INTERMEDIATE_SCHEMA}.int_customer_features
        ),
        scored as (
            select
                *,
                score_segment({features}) as segment,
                segment_probabilities({features}) as probabilities,
            from features
        )
        select
            customer_id,
            segment,
            greatest({", ".join(probabilities)}) as segment_probability,
            {columns},
            {features},
        from scored
        order by customer_id
    """


FROZEN_SCORES = f"""
    select segments.*, {", ".join(f"features.{name}" for name in FEATURE_COLUMNS)}
    from new_customers.{INTERMEDIATE_SCHEMA}.int_customer_segments as segments
    inner join new_customers.{INTERMEDIATE_SCHEMA}.int_customer_features as features
        using (customer_id)
    order by customer_id
"""
