"""Association rules from the frequent itemsets (logic: rules.association_rules_table)."""

from customer_personality.rules import association_rules_table


def model(dbt, session):
    dbt.config(materialized="table")
    itemsets = dbt.ref("int_frequent_itemsets").project("itemset, customers").df()
    customers = dbt.ref("int_basket_items").aggregate("count(distinct customer_id)")
    return association_rules_table(
        itemsets,
        n_customers=int(customers.fetchall()[0][0]),
        min_confidence=float(dbt.config.get("min_confidence")),
        min_lift=float(dbt.config.get("min_lift")),
    )
