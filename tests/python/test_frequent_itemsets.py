"""frequent_itemsets as built: the itemsets the build stored are the ones the three
mining algorithms (apriori, fpgrowth, bitmask) find in int_basket_items."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import connect
from customer_personality.rules import mine_itemsets

pytestmark = pytest.mark.build


def frame(db_path, sql: str) -> pd.DataFrame:
    with connect(db_path) as con:
        return con.execute(sql).df()


def test_apriori_and_fpgrowth_give_the_same_itemsets_on_the_sample(sample_db):
    with connect(sample_db) as con:
        baskets = con.sql(
            "select customer_id, item from int_basket_items"
        ).to_arrow_table()
    results = {
        algorithm: mine_itemsets(
            baskets["customer_id"], baskets["item"], 0.08, algorithm=algorithm
        )
        for algorithm in ("apriori", "fpgrowth", "bitmask")
    }
    stored = frame(sample_db, "select itemset, customers from frequent_itemsets")

    def key(df):
        pairs = zip(df["itemset"], df["customers"], strict=True)
        return sorted((tuple(items), int(count)) for items, count in pairs)

    assert key(results["apriori"]) == key(results["fpgrowth"]) == key(results["bitmask"])
    assert key(results["apriori"]) == key(stored)
