"""Frequent itemsets of the customers' attribute baskets (logic: rules.mine_itemsets)."""

from customer_personality.rules import mine_itemsets


def model(dbt, session):
    dbt.config(materialized="table")
    baskets = dbt.ref("int_basket_items").project("customer_id, item").to_arrow_table()
    return mine_itemsets(
        baskets["customer_id"],
        baskets["item"],
        min_support=float(dbt.config.get("min_support")),
        max_len=dbt.config.get("max_len"),
        algorithm=dbt.config.get("rules_algorithm"),
    )
