{#-
    Every rule's support and confidence, recomputed in SQL from int_basket_items, equal
    the stored values within 1e-9; every item of every rule exists in int_basket_items.
    Returns the rules that differ.

    Each customer's basket becomes a 128-bit mask (one bit per distinct item) and equal
    baskets are counted once with their number of customers; each distinct itemset of
    the rules (antecedents, antecedents and consequents) is counted once, so the check
    costs itemsets x distinct baskets integer operations instead of rules x customers
    list scans. Every rule is checked unless var rules_check_limit is set.
-#}
with

basket_items as (
    select * from {{ ref('int_basket_items') }}
),

item_bits as (
    select
        item,
        (row_number() over (order by item) - 1)::uhugeint as bit,
    from (select distinct item from basket_items)
),

too_many_items as (
    select error(
        'assert_rules_recomputed_in_sql handles at most 128 distinct items, found '
        || count(*)
    ) as failure
    from item_bits
    having count(*) > 128
),

customer_masks as (
    select
        basket_items.customer_id,
        bit_or(1::uhugeint << item_bits.bit) as mask,
    from basket_items
    inner join item_bits
        on basket_items.item = item_bits.item
    group by basket_items.customer_id
),

baskets as (
    select
        mask,
        count(*) as customers,
    from customer_masks
    group by mask
),

totals as (
    select sum(customers) as customers from baskets
),

rules as (
    select * from {{ ref('association_rules') }}
    {%- if var('rules_check_limit') %}
    -- var rules_check_limit: a seeded subset of the rules, for very large builds
    order by hash(rule)
    limit {{ var('rules_check_limit') }}
    {%- endif %}
),

rule_items as (
    select
        rules.rule,
        rule_item.item,
        rule_item.side,
    from rules
    cross join unnest(
        list_concat(
            list_transform(rules.antecedents, lambda item: {'item': item, 'side': 'a'}),
            list_transform(rules.consequents, lambda item: {'item': item, 'side': 'c'})
        )
    ) as unnested(rule_item)
),

unknown_items as (
    select
        rule_items.rule,
        null::double as stored_support,
        null::double as sql_support,
        null::double as stored_confidence,
        null::double as sql_confidence,
    from rule_items
    left join item_bits
        on rule_items.item = item_bits.item
    where item_bits.item is null
),

rule_masks as (
    select
        rule_items.rule,
        bit_or(1::uhugeint << item_bits.bit) filter (where rule_items.side = 'a')
            as antecedent_mask,
        bit_or(1::uhugeint << item_bits.bit) as rule_mask,
    from rule_items
    inner join item_bits
        on rule_items.item = item_bits.item
    group by rule_items.rule
),

{#- Rules share their itemsets: the 9,466 rules of a 1M-customer build have 1,342
    distinct antecedent and whole-rule masks. Each is counted once against every
    basket, and the rules look their two counts up. #}
itemset_masks as (
    select antecedent_mask as mask from rule_masks
    union
    select rule_mask as mask from rule_masks
),

itemset_customers as (
    select
        itemset_masks.mask,
        sum(baskets.customers) as customers
    from itemset_masks
    cross join baskets
    where baskets.mask & itemset_masks.mask = itemset_masks.mask
    group by itemset_masks.mask
),

counted as (
    select
        rule_masks.rule,
        antecedents.customers as antecedent_customers,
        coalesce(whole_rules.customers, 0) as rule_customers
    from rule_masks
    left join itemset_customers as antecedents
        on rule_masks.antecedent_mask = antecedents.mask
    left join itemset_customers as whole_rules
        on rule_masks.rule_mask = whole_rules.mask
),

differences as (
    select
        rules.rule,
        rules.support as stored_support,
        counted.rule_customers / totals.customers as sql_support,
        rules.confidence as stored_confidence,
        counted.rule_customers / counted.antecedent_customers as sql_confidence,
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
union all
select null, null, null, null, null from too_many_items
