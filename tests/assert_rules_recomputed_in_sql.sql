{#-
    Every rule's support and confidence, recomputed in SQL from int_basket_items, equal
    the stored values within 1e-9; every item of every rule exists in int_basket_items.
    Every rule is checked unless var rules_check_limit is set (benchmarks at millions
    of customers, where this check costs rules x customers).
    Returns the rules that differ.
-#}
with

baskets as (
    select
        customer_id,
        list(item) as items,
    from {{ ref('int_basket_items') }}
    group by customer_id
),

totals as (
    select count(*) as customers from baskets
),

rules as (
    select * from {{ ref('association_rules') }}
    {%- if var('rules_check_limit') %}
    -- var rules_check_limit: a seeded subset of the rules, for very large builds
    order by hash(rule)
    limit {{ var('rules_check_limit') }}
    {%- endif %}
),

known_items as (
    select distinct item from {{ ref('int_basket_items') }}
),

counted as (
    select
        rules.rule,
        rules.support,
        rules.confidence,
        count(*) filter (
            where list_has_all(baskets.items, rules.antecedents)
        ) as antecedent_customers,
        count(*) filter (
            where list_has_all(baskets.items, list_concat(rules.antecedents, rules.consequents))
        ) as rule_customers,
    from rules
    cross join baskets
    group by rules.rule, rules.support, rules.confidence
),

differences as (
    select
        counted.rule,
        counted.support as stored_support,
        counted.rule_customers / totals.customers as sql_support,
        counted.confidence as stored_confidence,
        counted.rule_customers / counted.antecedent_customers as sql_confidence,
    from counted
    cross join totals
    where abs(counted.support - counted.rule_customers / totals.customers) > 1e-9
        or abs(counted.confidence - counted.rule_customers / counted.antecedent_customers)
            > 1e-9
),

unknown_items as (
    select
        rules.rule,
        null::double as stored_support,
        null::double as sql_support,
        null::double as stored_confidence,
        null::double as sql_confidence,
    from rules
    cross join unnest(list_concat(rules.antecedents, rules.consequents)) as rule_items(item)
    left join known_items
        on rule_items.item = known_items.item
    where known_items.item is null
)

select * from differences
union all
select * from unknown_items
