"""Where a dbt Python model meets its engine: DuckDB or Spark.

A Python model's `dbt.ref(...)` is a DuckDB relation on DuckDB and a Spark DataFrame
on Spark. The models read it only through these functions, which select, filter and
order in the engine (the sample is drawn in SQL; only its rows cross into Python) and
hand pandas or Arrow to the package; `returned` gives the engine back a table it
writes: on DuckDB the pandas or Arrow table itself, on Spark a Spark DataFrame made
from Arrow (its types kept: int64 as bigint, lists as arrays).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa


def is_spark(relation: Any) -> bool:
    """Whether a relation (or session) is Spark's: a DataFrame or a SparkSession."""
    return type(relation).__module__.startswith("pyspark.")


def _narrowed(
    relation: Any,
    columns: Sequence[str] | None,
    where: str | None,
    order: Sequence[str] | None,
) -> Any:
    spark = is_spark(relation)
    if where:
        relation = relation.filter(where)
    if order:
        relation = relation.orderBy(*order) if spark else relation.order(", ".join(order))
    if columns:
        columns = list(columns)
        relation = (
            relation.select(*columns) if spark else relation.project(", ".join(columns))
        )
    return relation


def to_pandas(
    relation: Any,
    columns: Sequence[str] | None = None,
    where: str | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The relation's rows as pandas: `columns` of it (all by default), the rows
    `where` (a SQL condition) holds, in `order` (column names; else the engine's)."""
    relation = _narrowed(relation, columns, where, order)
    if is_spark(relation):
        return relation.toPandas()
    return relation.df()


def to_arrow(
    relation: Any,
    columns: Sequence[str] | None = None,
    where: str | None = None,
    order: Sequence[str] | None = None,
) -> pa.Table:
    """The relation's rows as an Arrow table (as to_pandas)."""
    relation = _narrowed(relation, columns, where, order)
    if is_spark(relation):
        return relation.toArrow()
    return relation.to_arrow_table()


def to_numpy(
    relation: Any,
    columns: Sequence[str] | None = None,
    order: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The relation's columns as numpy arrays, by name (as to_pandas)."""
    table = to_arrow(relation, columns, order=order)
    return {name: table[name].to_numpy() for name in table.column_names}


def scalar(relation: Any, expression: str) -> Any:
    """One aggregate SQL expression over the relation (e.g. "count(*)")."""
    if is_spark(relation):
        return relation.selectExpr(expression).collect()[0][0]
    return relation.aggregate(expression).fetchall()[0][0]


def returned(session: Any, table: pd.DataFrame | pa.Table) -> Any:
    """A model's result as its engine writes it: the table itself on DuckDB; on Spark
    a Spark DataFrame made from the table as Arrow (pandas' index left out)."""
    if not is_spark(session):
        return table
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    return session.createDataFrame(table)


# The lists int_feature_lists holds (vars of the same names, or derived from the
# input contract by the macro feature_list).
FEATURE_LISTS = (
    "cluster_numeric_features",
    "cluster_categorical_features",
    "statistics_numeric_features",
    "statistics_categorical_features",
    "basket_item_columns",
    "response_features",
)


def feature_lists(relation: Any) -> dict[str, list[str]]:
    """The build's feature lists (int_feature_lists: list_name, position, feature) by
    list name, each in its order; every list of FEATURE_LISTS, empty when it has no
    row."""
    rows = to_pandas(relation, order=["list_name", "position"])
    lists: dict[str, list[str]] = {name: [] for name in FEATURE_LISTS}
    for name, feature in zip(rows["list_name"], rows["feature"]):
        lists.setdefault(str(name), []).append(str(feature))
    return lists
