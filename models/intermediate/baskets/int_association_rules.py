"""Association rules from the frequent itemsets (logic: rules.association_rules_arrow)."""

from customer_personality.core.frames import returned, scalar, to_pandas
from customer_personality.rules import association_rules_arrow


def model(dbt, session):
    dbt.config(materialized="table")
    itemsets = to_pandas(dbt.ref("int_frequent_itemsets"), ["itemset", "customers"])
    customers = scalar(dbt.ref("int_basket_masks"), "coalesce(sum(customers), 0)")
    rules = association_rules_arrow(
        itemsets,
        n_customers=int(customers),
        min_confidence=float(dbt.config.get("min_confidence")),
        min_lift=float(dbt.config.get("min_lift")),
    )
    return returned(session, rules)
