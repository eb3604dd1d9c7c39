"""Market-basket analysis of customer attributes: frequent itemsets and association rules.

A basket is the set of `<column>=<value>` items of one customer (the long table
`int_basket_items`). Itemsets are mined with mlxtend (Apriori, FP-growth) or with a
vectorised bitmask Apriori for large tables; rules carry count-based metrics so that
SQL can recompute support and confidence exactly from the long table.

Modules: baskets (encoding), itemsets (mining), metrics (rules from itemsets),
arrow (the rules table).
"""

# First: core loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import core  # noqa: F401

# isort: split

from customer_personality.rules.arrow import RULE_COLUMNS
from customer_personality.rules.baskets import basket_frame, basket_matrix
from customer_personality.rules.itemsets import (
    ALGORITHMS,
    ITEMSET_COLUMNS,
    mask_matrix,
    mine_itemsets,
    mine_itemsets_from_masks,
)
from customer_personality.rules.metrics import (
    association_rules_arrow,
    association_rules_table,
    rules_frame,
)

__all__ = [
    "ALGORITHMS",
    "ITEMSET_COLUMNS",
    "RULE_COLUMNS",
    "association_rules_arrow",
    "association_rules_table",
    "basket_frame",
    "basket_matrix",
    "mask_matrix",
    "mine_itemsets",
    "mine_itemsets_from_masks",
    "rules_frame",
]
