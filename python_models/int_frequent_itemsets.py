"""Frequent itemsets of the customers' attribute baskets (logic: rules.mine_itemsets,
rules.mine_itemsets_from_masks)."""

from customer_personality.rules import (
    mask_matrix,
    mine_itemsets,
    mine_itemsets_from_masks,
)


def model(dbt, session):
    dbt.config(materialized="table")
    min_support = float(dbt.config.get("min_support"))
    max_len = dbt.config.get("max_len")
    algorithm = dbt.config.get("rules_algorithm")
    if algorithm == "bitmask":
        # The baskets arrive aggregated: one bitmask per distinct basket.
        masks = dbt.ref("int_basket_masks").fetchnumpy()
        names = dbt.ref("int_basket_item_codes").order("item_code").project("item")
        return mine_itemsets_from_masks(
            mask_matrix(masks),
            masks["customers"],
            names.fetchnumpy()["item"],
            min_support=min_support,
            max_len=max_len,
        )
    baskets = dbt.ref("int_basket_items").project("customer_id, item").to_arrow_table()
    return mine_itemsets(
        baskets["customer_id"],
        baskets["item"],
        min_support=min_support,
        max_len=max_len,
        algorithm=algorithm,
    )
