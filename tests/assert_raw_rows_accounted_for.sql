{#-
    Nothing is dropped silently: the rows of a fresh read of the raw file equal the kept
    customers plus the rejected rows, and every reason a rejected row carries is one of
    the rules of rejection_reasons() (the one list of them). Returns a row (a failure)
    when the counts differ or for each reason no rule gives.
-#}
{%- set known_reasons = [] -%}
{%- for check in rejection_reasons() -%}
    {%- for rule in check -%}
        {%- do known_reasons.append("'" ~ rule.reason ~ "'") -%}
    {%- endfor -%}
{%- endfor -%}

with

raw_file as (
    select count(*) as raw_rows from {{ read_raw_customers() }}
),

kept as (
    select count(*) as kept_rows from {{ ref('stg_customers') }}
),

rejected as (
    select count(*) as rejected_rows from {{ ref('rejected_customers') }}
),

unknown_reasons as (
    select distinct reason
    from (
        select {{ list_unnest("rejection_reasons") }} as reason
        from {{ ref('rejected_customers') }}
    ) as reasons
    where reason not in ({{ known_reasons | join(', ') }})
)

select
    raw_file.raw_rows,
    kept.kept_rows,
    rejected.rejected_rows,
    null as unknown_reason
from raw_file
cross join kept
cross join rejected
where raw_file.raw_rows != kept.kept_rows + rejected.rejected_rows

union all

select
    null as raw_rows,
    null as kept_rows,
    null as rejected_rows,
    reason as unknown_reason
from unknown_reasons
