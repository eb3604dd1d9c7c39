{#-
    Reading and typing, in one pass over the wide row: every raw row with its trimmed
    text (raw_<name>, NULL when empty), its typed values by the input contract (NULL
    when unreadable; a flag as its integer <name>_value; a number times the
    contract's multiplier) and the hash of its profile (every input value but the
    ID). Ephemeral: base_raw__customers, the one table, holds the result, so the
    input is read once per build.
-#}
{{ config(materialized='ephemeral') }}
{%- set schema = input_schema() -%}
{%- set profile_columns = [] -%}
{%- for column in schema if column.field != 'customer_id' -%}
    {%- do profile_columns.append('raw_' ~ column.key) -%}
{%- endfor -%}
-- depends_on: {{ source('raw', 'customers') }}

with

raw as (
    select
        raw_row_number,
        {%- for column in schema %}
        {%- if column.expression %}
        nullif(trim(cast(({{ column.expression }}) as {{ dbt.type_string() }})), '')
            as raw_{{ column.key }},
        {%- else %}
        nullif(trim({{ adapter.quote(column.raw) }}), '') as raw_{{ column.key }},
        {%- endif %}
        {%- endfor %}
        _extra_fields as raw_extra_fields
    from {{ read_raw_customers() }}
),

typed as (
    select
        *,
        {%- for column in schema %}
        {%- if column.kind == 'date' %}
        {{ parse_customer_date('raw_' ~ column.key, column.format) }} as {{ column.name }},
        {%- elif column.kind == 'flag' %}
        try_cast(raw_{{ column.key }} as integer) as {{ column.name }}_value,
        {%- elif column.kind == 'text' %}
        raw_{{ column.key }} as {{ column.name }},
        {%- elif column.kind not in ['ignored'] %}
        try_cast(raw_{{ column.key }} as {{ column.type }})
            {{- ' * ' ~ column.multiplier if column.multiplier is not none }}
            as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        {{ row_hash(profile_columns) }} as profile_hash
    from raw
)

select * from typed
