{#-
    What is associated with being a <focus_consumer_segment> of <focus_product>
    (vars; default: Biggest consumer of wines): the rules whose consequent is exactly
    that item, strongest first.
-#}
{%- set item = focus_product() ~ '_segment=' ~ var('focus_consumer_segment') %}

with

focus_rules as (
    {{ rules_for_item(item) }}
),

final as (
    select
        cast(
            row_number() over (order by confidence desc, lift desc, rule asc) as bigint
        ) as rule_rank,
        *
    from focus_rules
)

select * from final
