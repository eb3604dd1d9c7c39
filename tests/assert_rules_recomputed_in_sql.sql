{#-
    Every rule's support and confidence, recomputed in SQL from int_basket_items, equal
    the stored values within 1e-9; every item of every rule exists in int_basket_items.
    Returns the rules that differ.

    Each customer's basket becomes a bitmask (the item bits of int_basket_item_bits,
    mask_0, mask_1, ... as in int_basket_masks, but built here from the long items)
    and equal baskets are counted once with their number of customers; each distinct
    itemset of the rules (antecedents, antecedents and consequents) is counted once,
    so the check costs itemsets x distinct baskets integer operations instead of rules
    x customers list scans. Every rule is checked unless var rules_check_limit is set.
-#}
{%- set mask_words = basket_mask_words() %}

with

basket_items as (
    select * from {{ ref('int_basket_items') }}
),

item_bits as (
    select * from {{ ref('int_basket_item_bits') }}
),

customer_masks as (
    select
        basket_items.customer_id
        {{- basket_word_masks(mask_words) }}
    from basket_items
    inner join item_bits
        on basket_items.item = item_bits.item
    group by basket_items.customer_id
),

baskets as (
    select
        {%- for word in mask_words %}
        mask_{{ word }},
        {%- endfor %}
        count(*) as customers
    from customer_masks
    group by all
),

totals as (
    select sum(customers) as customers from baskets
),

rules as (
    select * from {{ ref('association_rules') }}
    {%- if var('rules_check_limit') %}
    -- var rules_check_limit: a seeded subset of the rules, for very large builds
    order by {{ row_hash(['rule']) }}
    limit {{ var('rules_check_limit') }}
    {%- endif %}
),

rule_items as (
    select
        rule,
        {{ list_unnest('antecedents') }} as item,
        'a' as side
    from rules

    union all

    select
        rule,
        {{ list_unnest('consequents') }} as item,
        'c' as side
    from rules
),

unknown_items as (
    select
        rule_items.rule,
        cast(null as double) as stored_support,
        cast(null as double) as sql_support,
        cast(null as double) as stored_confidence,
        cast(null as double) as sql_confidence
    from rule_items
    left join item_bits
        on rule_items.item = item_bits.item
    where item_bits.item is null
),

rule_masks as (
    select
        rule_items.rule
        {{- basket_word_masks(mask_words, 'antecedent_mask_', "rule_items.side = 'a'") }}
        {{- basket_word_masks(mask_words, 'rule_mask_') }}
    from rule_items
    inner join item_bits
        on rule_items.item = item_bits.item
    group by rule_items.rule
),

{# Rules share their itemsets: the 9,466 rules of a 1M-customer build have 1,342
    distinct antecedent and whole-rule masks. Each is counted once against every
    basket, and the rules look their two counts up. #}

itemset_masks as (
    select
        {%- for word in mask_words %}
        antecedent_mask_{{ word }} as mask_{{ word }}{{ ',' if not loop.last }}
        {%- endfor %}
    from rule_masks
    union
    select
        {%- for word in mask_words %}
        rule_mask_{{ word }} as mask_{{ word }}{{ ',' if not loop.last }}
        {%- endfor %}
    from rule_masks
),

itemset_customers as (
    select
        {%- for word in mask_words %}
        itemset_masks.mask_{{ word }},
        {%- endfor %}
        sum(baskets.customers) as customers
    from itemset_masks
    cross join baskets
    where true
        {%- for word in mask_words %}
        and baskets.mask_{{ word }} & itemset_masks.mask_{{ word }}
            = itemset_masks.mask_{{ word }}
        {%- endfor %}
    group by all
),

counted as (
    select
        rule_masks.rule,
        antecedents.customers as antecedent_customers,
        coalesce(whole_rules.customers, 0) as rule_customers
    from rule_masks
    left join itemset_customers as antecedents
        on true
        {%- for word in mask_words %}
        and rule_masks.antecedent_mask_{{ word }} = antecedents.mask_{{ word }}
        {%- endfor %}
    left join itemset_customers as whole_rules
        on true
        {%- for word in mask_words %}
        and rule_masks.rule_mask_{{ word }} = whole_rules.mask_{{ word }}
        {%- endfor %}
),

differences as (
    select
        rules.rule,
        rules.support as stored_support,
        counted.rule_customers / totals.customers as sql_support,
        rules.confidence as stored_confidence,
        counted.rule_customers / counted.antecedent_customers as sql_confidence
    from rules
    inner join counted
        on rules.rule = counted.rule
    cross join totals
    where abs(rules.support - counted.rule_customers / totals.customers) > 1e-9
        or abs(rules.confidence - counted.rule_customers / counted.antecedent_customers)
            > 1e-9
        or counted.antecedent_customers is null
)

select * from differences
union all
select * from unknown_items
