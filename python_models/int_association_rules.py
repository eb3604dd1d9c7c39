"""Association rules from the frequent itemsets (logic: rules.association_rules_arrow)."""

from customer_personality.rules import association_rules_arrow


def model(dbt, session):
    dbt.config(materialized="table")
    itemsets = dbt.ref("int_frequent_itemsets").project("itemset, customers").df()
    customers = dbt.ref("int_basket_masks").aggregate("coalesce(sum(customers), 0)")
    return association_rules_arrow(
        itemsets,
        n_customers=int(customers.fetchall()[0][0]),
        min_confidence=float(dbt.config.get("min_confidence")),
        min_lift=float(dbt.config.get("min_lift")),
    )
