{#-
    Kept customers: typed, snake_case, the two constant columns dropped. With
    missing_income = impute, a missing income is the median income of the customer's
    education (Basic, 2n Cycle, Graduation, Master, PhD) among kept customers, and
    is_income_imputed says so. A raw file that leaves no customer (no data rows, or
    every row rejected) stops the build here, before any model fits on nothing.
-#}
{%- set schema = raw_customer_schema() -%}
{%- do assert_customers_to_segment(ref('base_raw__customers')) -%}

with

validated as (
    select * from {{ ref('base_raw__customers') }}
    where is_kept
),

education_medians as (
    select
        education,
        median(income) as median_income
    from validated
    where income is not null
    group by education
),

final as (
    select
        validated.customer_id,
        validated.birth_year,
        validated.age,
        validated.education,
        validated.education_level,
        validated.marital_status,
        coalesce(validated.income, education_medians.median_income) as income,
        validated.income is null as is_income_imputed,
        {%- for column in schema
            if column.kind not in ['constant', 'money', 'id', 'year']
            and column.name not in ['education', 'marital_status'] %}
        validated.{{ column.name }},
        {%- endfor %}
        validated.is_duplicate_profile,
        validated.profile_group,
        validated.reference_date,
        validated.raw_row_number
    from validated
    left join education_medians
        on validated.education = education_medians.education
)

select * from final
