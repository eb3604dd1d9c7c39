{#-
    Every raw row once: its typed values (base_raw__customers_typed), what the checks
    found (base_raw__customer_checks: the context, rejection_reasons, empty when kept)
    and, for rejected rows, its text values (raw_values). stg_customers and
    stg_customers_rejected split this table, so raw rows = kept + rejected by
    construction, and the accounting test checks it against a fresh read of the file.
    The one table of the three models: the file is parsed once per build, the wide
    row typed once, and the text is written for the rejected rows only (which rows
    those are is known after the file-wide checks: keeping the text of every row in a
    table of its own costs twice the build of this one at 1M rows).
-#}
{{ config(materialized='table') }}
{%- set schema = raw_customer_schema() -%}

with

typed as (
    select * from {{ ref('base_raw__customers_typed') }}
),

checks as (
    select * from {{ ref('base_raw__customer_checks') }}
),

final as (
    select
        typed.raw_row_number,
        {%- for column in schema if column.kind not in ['flag', 'constant'] %}
        typed.{{ column.name }},
        {%- endfor %}
        checks.* exclude (raw_row_number),
        {#- The text of rejected rows only (stg_customers_rejected shows it): one list,
            NULL for kept rows, instead of 30 text columns costs a third of the write
            (1M rows: 1.0 s instead of 3.9 s). #}
        case when len(checks.rejection_reasons) > 0 then [
            {%- for column in schema %}
            typed.raw_{{ column.name }},
            {%- endfor %}
            typed.raw_extra_fields,
        ] end as raw_values,
        {%- for column in schema if column.kind == 'flag' %}
        {%- if column.type == 'boolean' %}
        typed.{{ column.name }}_value = 1 as {{ column.name }},
        {%- else %}
        typed.{{ column.name }}_value as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        len(checks.rejection_reasons) = 0 as is_kept,
        '{{ var('raw_customers_path') | replace("'", "''") }}' as source_file
    from typed
    inner join checks
        on typed.raw_row_number = checks.raw_row_number
)

select * from final
