{#-
    The vars that decide which raw rows are kept and how customers are measured, as
    this build used them: one row per var, its value as JSON text. reference_date is
    the date the build measured ages and seniority at: the var, or the latest
    Dt_Customer of the file when the var is null. `python -m customer_personality
    score` reads this table, so that new customers are cleaned by the warehouse's
    rules and measured at its reference date; the report reads the vars it honours
    (the focus of product_consumer_rules, the statistics' alpha, the random seed).
-#}
{%- set recorded_vars = [
    'missing_income', 'income_outlier_rule', 'income_max', 'income_iqr_k', 'max_age',
    'drop_duplicate_profiles', 'focus_product', 'focus_consumer_segment',
    'statistics_alpha', 'random_seed',
] -%}

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
    union all
    select
        '{{ name }}' as name,
        '{{ tojson(var(name)) | replace("'", "''") }}' as value
    {%- endfor %}
)

select * from final
