"""customer_personality.core.frames: what a Python model reads of a DuckDB relation (the
Spark side runs in test_spark_parity's builds)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from customer_personality.core.frames import (
    is_spark,
    returned,
    scalar,
    to_arrow,
    to_numpy,
    to_pandas,
)


@pytest.fixture
def relation():
    con = duckdb.connect()
    con.sql(
        "create table t as select * from (values (3, 'c', 0.5), (1, 'a', 1.5), "
        "(2, 'b', 2.5)) as t (id, name, value)"
    )
    yield con.table("t")
    con.close()


def test_to_pandas_selects_filters_and_orders_in_the_engine(relation):
    frame = to_pandas(relation, ["name", "id"], where="id >= 2", order=["id"])
    assert list(frame.columns) == ["name", "id"]
    assert frame["name"].tolist() == ["b", "c"]
    assert len(to_pandas(relation)) == 3


def test_to_arrow_and_to_numpy_keep_the_order(relation):
    table = to_arrow(relation, ["id"], order=["name"])
    assert isinstance(table, pa.Table) and table["id"].to_pylist() == [1, 2, 3]
    arrays = to_numpy(relation, ["name", "value"], order=["value"])
    assert list(arrays) == ["name", "value"]
    assert arrays["value"].tolist() == [0.5, 1.5, 2.5]


def test_scalar_is_one_aggregate(relation):
    assert scalar(relation, "sum(id)") == 6
    assert scalar(relation, "coalesce(max(value), 0)") == 2.5


def test_returned_hands_duckdb_its_table_unchanged(relation):
    frame = pd.DataFrame({"x": [1]})
    con = duckdb.connect()
    assert returned(con, frame) is frame
    assert not is_spark(con) and not is_spark(relation)
