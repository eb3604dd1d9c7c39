"""Frequent itemsets of the customers' attribute baskets (logic: rules.mine_itemsets,
rules.mine_itemsets_from_masks)."""

from customer_personality.core.frames import returned, to_arrow, to_numpy
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
        masks = to_numpy(dbt.ref("int_basket_masks"))
        names = to_numpy(dbt.ref("int_basket_item_codes"), ["item"], order=["item_code"])
        itemsets = mine_itemsets_from_masks(
            mask_matrix(masks),
            masks["customers"],
            names["item"],
            min_support=min_support,
            max_len=max_len,
        )
    else:
        baskets = to_arrow(dbt.ref("int_basket_items"), ["customer_id", "item"])
        itemsets = mine_itemsets(
            baskets["customer_id"],
            baskets["item"],
            min_support=min_support,
            max_len=max_len,
            algorithm=algorithm,
        )
    return returned(session, itemsets)
