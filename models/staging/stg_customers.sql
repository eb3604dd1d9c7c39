{#-
    Kept customers: typed, snake_case, the contact economics (cost_per_contact,
    revenue_per_response) kept where the contract maps them. With
    missing_income = impute, a missing income is the median income of the customer's
    education (Basic, 2n Cycle, Graduation, Master, PhD) among kept customers, and
    is_income_imputed says so. A raw file that leaves no customer (no data rows, or
    every row rejected) stops the build here, before any model fits on nothing.
-#}
{%- set schema = input_schema() -%}
{%- set has_income = input_has('income') -%}
{%- do assert_customers_to_segment(ref('base_raw__customers')) -%}

with

validated as (
    select * from {{ ref('base_raw__customers') }}
    where is_kept
),

{%- if has_income and input_has('education') %}

education_medians as (
    select
        education,
        median(income) as median_income
    from validated
    where income is not null
    group by education
),
{%- endif %}

final as (
    select
        validated.customer_id,
        {%- if input_has('birth_year') %}
        validated.birth_year,
        {%- endif %}
        {%- if input_has('age') %}
        validated.age,
        {%- endif %}
        {%- if input_has('education') %}
        validated.education,
        validated.education_level,
        {%- endif %}
        {%- if input_has('marital_status') %}
        validated.marital_status,
        {%- endif %}
        {%- if has_income and input_has('education') %}
        coalesce(validated.income, education_medians.median_income) as income,
        validated.income is null as is_income_imputed,
        {%- elif has_income %}
        validated.income,
        validated.income is null as is_income_imputed,
        {%- endif %}
        {%- for column in schema
            if column.kind not in ['money', 'id', 'year', 'ignored']
            and column.name not in ['education', 'marital_status', 'age'] %}
        validated.{{ column.name }},
        {%- endfor %}
        validated.is_duplicate_profile,
        validated.profile_group,
        validated.reference_date,
        validated.raw_row_number
    from validated
    {%- if has_income and input_has('education') %}
    {#- noqa ST11: the select uses it under the same condition. #}
    left join education_medians  -- noqa: ST11
        on validated.education = education_medians.education
    {%- endif %}
)

select * from final
