{#-
    Association rules between customer attributes (int_association_rules). Infinite
    conviction (confidence = 1) is stored as NULL so that every SQL client reads it.
-#}
{{ config(post_hook="{{ create_rules_macros(this) }}") }}

with

rules as (
    select * from {{ ref('int_association_rules') }}
),

final as (
    select
        rule,
        cast(antecedents as {{ list_type(dbt.type_string()) }}) as antecedents,
        cast(consequents as {{ list_type(dbt.type_string()) }}) as consequents,
        antecedent_length::integer as antecedent_length,
        consequent_length::integer as consequent_length,
        antecedent_support::double as antecedent_support,
        consequent_support::double as consequent_support,
        support::double as support,
        confidence::double as confidence,
        lift::double as lift,
        leverage::double as leverage,
        case
            when isnan(conviction) or abs(conviction) = 'Infinity'::double
                then null
            else conviction
        end::double as conviction,
        zhangs_metric::double as zhangs_metric,
        customers::bigint as customers
    from rules
)

select * from final
