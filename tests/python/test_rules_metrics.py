"""customer_personality.rules.metrics: association rules from frequent itemsets, their
metrics exact count ratios equal to mlxtend's, the hand-computed example, and the
tables as DuckDB receives them."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from mlxtend.frequent_patterns import association_rules

from customer_personality.rules import (
    RULE_COLUMNS,
    association_rules_arrow,
    association_rules_table,
    mine_itemsets,
)

METRICS = [
    "antecedent_support",
    "consequent_support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "zhangs_metric",
]


# Five baskets; bread 4, milk 4, butter 3, bread&milk 3, bread&butter 3,
# butter&milk 2, all three 2 (n = 5).
TINY = {
    1: ["bread", "milk"],
    2: ["bread", "butter", "milk"],
    3: ["bread", "butter"],
    4: ["milk"],
    5: ["bread", "butter", "milk"],
}


def tiny_long() -> tuple[np.ndarray, np.ndarray]:
    ids = np.array([c for c, basket in TINY.items() for _ in basket])
    items = np.array([i for basket in TINY.values() for i in basket], dtype=object)
    return ids, items


def test_tiny_example_by_hand() -> None:
    itemsets = mine_itemsets(*tiny_long(), min_support=0.4)
    assert itemsets["itemset"].tolist() == [
        ["bread"], ["butter"], ["milk"],
        ["bread", "butter"], ["bread", "milk"], ["butter", "milk"],
        ["bread", "butter", "milk"],
    ]  # fmt: skip
    assert itemsets["customers"].tolist() == [4, 3, 4, 3, 3, 2, 2]
    assert itemsets["support"].tolist() == [0.8, 0.6, 0.8, 0.6, 0.6, 0.4, 0.4]

    rules = association_rules_table(itemsets, n_customers=5)
    assert list(rules.columns) == RULE_COLUMNS
    assert rules["rule"].tolist() == [
        "butter & milk => bread",
        "butter => bread",
        "bread => butter",
        "bread & milk => butter",
        "butter => bread & milk",
        "bread => butter & milk",
    ]
    by_rule = rules.set_index("rule")
    r = by_rule.loc["butter => bread"]
    assert (r.support, r.confidence, r.customers) == (0.6, 1.0, 3)
    assert r.lift == pytest.approx(1.25, abs=1e-15)
    assert r.leverage == pytest.approx(0.12, abs=1e-15)
    assert np.isnan(r.conviction)  # confidence 1: infinite conviction stored as NaN
    assert r.zhangs_metric == pytest.approx(0.5, abs=1e-15)
    r = by_rule.loc["bread => butter"]
    assert (r.antecedent_support, r.consequent_support, r.confidence) == (0.8, 0.6, 0.75)
    assert r.conviction == pytest.approx(1.6, abs=1e-15)
    assert r.zhangs_metric == pytest.approx(1.0, abs=1e-15)
    r = by_rule.loc["bread => butter & milk"]
    assert (r.support, r.confidence, r.customers) == (0.4, 0.5, 2)
    assert r.lift == pytest.approx(1.25, abs=1e-15)
    assert (r.antecedent_length, r.consequent_length) == (1, 2)
    assert r.consequents == ["butter", "milk"]

    everything = association_rules_table(itemsets, 5, min_lift=0.0)
    assert len(everything) == 3 * 2 + 6  # 2 rules per pair, 6 splits of the triple
    lifts = everything.set_index("rule")["lift"]
    assert lifts["bread => milk"] == pytest.approx(0.9375, abs=1e-15)
    assert lifts["butter => milk"] == pytest.approx(5 / 6, abs=1e-15)
    strict = association_rules_table(itemsets, 5, min_confidence=0.7, min_lift=1.2)
    assert strict["rule"].tolist() == rules["rule"].tolist()[:3]


def _mlxtend_rules(
    itemsets: pd.DataFrame, n: int, min_confidence: float, min_lift: float
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"support": itemsets["support"], "itemsets": itemsets["itemset"].map(frozenset)}
    )
    found = association_rules(
        frame, num_itemsets=n, metric="confidence", min_threshold=min_confidence
    )
    found = found[found["lift"] >= min_lift]
    found = found.rename(columns=lambda c: c.replace(" ", "_"))
    found.index = pd.MultiIndex.from_arrays(
        [found["antecedents"].map(lambda s: tuple(sorted(s))),
         found["consequents"].map(lambda s: tuple(sorted(s)))]
    )  # fmt: skip
    return found


@pytest.mark.parametrize(("min_confidence", "min_lift"), [(0.0, 1.0), (0.6, 1.2)])
def test_rules_equal_mlxtend(
    data: tuple[np.ndarray, np.ndarray],
    itemsets_008: pd.DataFrame,
    min_confidence: float,
    min_lift: float,
) -> None:
    n = len(np.unique(data[0]))
    ours = association_rules_table(itemsets_008, n, min_confidence, min_lift)
    theirs = _mlxtend_rules(itemsets_008, n, min_confidence, min_lift)
    assert len(ours) > (1000 if min_confidence == 0 else 300)
    ours.index = pd.MultiIndex.from_arrays(
        [ours["antecedents"].map(tuple), ours["consequents"].map(tuple)]
    )
    # Rules sitting exactly on a threshold may differ by one rounding in mlxtend.
    only = ours.index.symmetric_difference(theirs.index)
    both = ours.loc[ours.index.difference(only)]
    edge = pd.concat(
        [
            ours.loc[ours.index.intersection(only)],
            theirs.loc[theirs.index.intersection(only)],
        ]
    )
    assert len(only) <= 5
    assert np.allclose(edge["lift"], min_lift, rtol=0, atol=1e-12) or np.allclose(
        edge["confidence"], min_confidence, rtol=0, atol=1e-12
    )
    mine, ref = both, theirs.loc[both.index]
    for metric in METRICS:
        a, b = mine[metric].to_numpy(), ref[metric].to_numpy()
        if metric == "conviction":
            assert (np.isnan(a) == np.isinf(b)).all()
            a, b = a[~np.isnan(a)], b[~np.isinf(b)]
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=metric)
    assert (ours["confidence"] >= min_confidence).all() and (
        ours["lift"] >= min_lift
    ).all()


def test_rule_structure_and_exact_ratios(
    data: tuple[np.ndarray, np.ndarray], itemsets_008: pd.DataFrame
) -> None:
    n = len(np.unique(data[0]))
    rules = association_rules_table(itemsets_008, n)
    customers = {
        tuple(s): c
        for s, c in zip(itemsets_008["itemset"], itemsets_008["customers"], strict=True)
    }
    for row in rules.itertuples():
        a, c = row.antecedents, row.consequents
        assert a and c and a == sorted(a) and c == sorted(c) and not set(a) & set(c)
        whole = tuple(sorted(a + c))
        assert row.customers == customers[whole]
        assert row.rule == " & ".join(a) + " => " + " & ".join(c)
        assert (row.antecedent_length, row.consequent_length) == (len(a), len(c))
        assert abs(row.support - customers[whole] / n) <= 1e-12
        assert abs(row.confidence - customers[whole] / customers[tuple(a)]) <= 1e-12
        assert abs(row.consequent_support - customers[tuple(c)] / n) <= 1e-12
    order = list(zip(-rules["confidence"], -rules["lift"], rules["rule"], strict=True))
    assert order == sorted(order)
    assert rules["conviction"].isna().eq(rules["confidence"] == 1.0).all()


def test_rules_validation_and_empty(itemsets_008: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="missing column"):
        association_rules_table(itemsets_008.drop(columns="customers"), 5000)
    with pytest.raises(ValueError, match="n_customers"):
        association_rules_table(itemsets_008, 0)
    with pytest.raises(ValueError, match="min_confidence"):
        association_rules_table(itemsets_008, 5000, min_confidence=1.5)
    with pytest.raises(ValueError, match="downward closed"):
        association_rules_table(itemsets_008[itemsets_008["length"] != 2], 5000)
    with pytest.raises(ValueError, match="twice"):
        association_rules_table(pd.concat([itemsets_008, itemsets_008.head(1)]), 5000)
    empty = association_rules_table(itemsets_008.head(0), 5000)
    assert empty.empty and list(empty.columns) == RULE_COLUMNS
    singles = association_rules_table(itemsets_008[itemsets_008["length"] == 1], 5000)
    assert singles.empty and list(singles.columns) == RULE_COLUMNS


def test_tables_land_in_duckdb_with_lists_and_nulls() -> None:
    itemsets = mine_itemsets(*tiny_long(), min_support=0.4)
    rules = association_rules_table(itemsets, 5)
    con = duckdb.connect()
    con.register("itemsets", itemsets)
    con.register("rules", rules)
    types = {row[0]: row[1] for row in con.sql("describe select * from rules").fetchall()}
    assert types["antecedents"] == "VARCHAR[]" and types["conviction"] == "DOUBLE"
    assert types["customers"] == "BIGINT"
    nulls = con.sql("select count(*) from rules where conviction is null").fetchall()
    assert nulls == [(2,)]
    kinds = con.sql("select distinct typeof(itemset) from itemsets").fetchall()
    assert kinds == [("VARCHAR[]",)]
    # The Arrow table the dbt model returns lands with the same types and values.
    con.register("arrow_rules", association_rules_arrow(itemsets, 5))
    arrow_types = con.sql("describe select * from arrow_rules").fetchall()
    assert {row[0]: row[1] for row in arrow_types} == types
    differ = con.sql(
        "select count(*) from (select * from rules except all select * from arrow_rules)"
    ).fetchall()
    assert differ == [(0,)] and len(association_rules_arrow(itemsets, 5)) == len(rules)
