{#-
    Every var of dbt_project.yml (macro build_var_names) as this build used it: one row
    per var, its value as JSON text. reference_date is
    the date the build measured ages and seniority at: the var, or the latest
    Dt_Customer of the file when the var is null. `python -m customer_personality
    score` reads this table, so that new customers are cleaned by the warehouse's
    rules and measured at its reference date; the report reads the vars it honours
    (the focus of product_consumer_rules, the statistics' alpha, the random seed).
-#}
{%- set recorded_vars = build_var_names() | reject('equalto', 'reference_date') | list -%}

with

raw_customers as (
    select * from {{ ref('base_raw__customers') }}
),

reference as (
    select max(reference_date) as reference_date
    from raw_customers
),

final as (
    select
        'reference_date' as name,
        coalesce(
            '"' || cast(reference_date as {{ dbt.type_string() }}) || '"', 'null'
        ) as value
    from reference
    {%- for name in recorded_vars %}
    {#- A date given unquoted in --vars (YAML reads 2014-07-31 as a date) is
        recorded as its text. #}
    {%- set value = build_var_value(name) -%}
    {%- if value is not none and value is not string
        and value.isoformat is defined -%}
        {%- set value = value.isoformat() -%}
    {%- endif %}
    union all
    select
        '{{ name }}' as name,
        '{{ tojson(value) | replace("'", "''") }}' as value
    {%- endfor %}
)

select * from final
