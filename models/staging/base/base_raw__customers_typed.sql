{#-
    Reading and typing, in one pass over the wide row: every raw row with its trimmed
    text (raw_<name>, NULL when empty), its typed values (NULL when unreadable; a
    flag as its integer <name>_value) and the hash of its profile (every raw value
    but the ID). Ephemeral: base_raw__customers, the one table, holds the result, so
    the file is parsed once per build.
-#}
{{ config(materialized='ephemeral') }}
{%- set schema = raw_customer_schema() -%}
{%- set profile_columns = [] -%}
{%- for column in schema if column.kind != 'id' -%}
    {%- do profile_columns.append('raw_' ~ column.name) -%}
{%- endfor -%}
-- depends_on: {{ source('raw', 'customers') }}

with

raw as (
    select
        raw_row_number,
        {%- for column in schema %}
        nullif(trim({{ adapter.quote(column.raw) }}), '') as raw_{{ column.name }},
        {%- endfor %}
        _extra_fields as raw_extra_fields
    from {{ read_raw_customers() }}
),

typed as (
    select
        *,
        {%- for column in schema %}
        {%- if column.kind == 'date' %}
        {{ parse_customer_date('raw_' ~ column.name) }} as {{ column.name }},
        {%- elif column.kind == 'flag' %}
        try_cast(raw_{{ column.name }} as integer) as {{ column.name }}_value,
        {%- elif column.kind == 'text' %}
        raw_{{ column.name }} as {{ column.name }},
        {%- elif column.kind != 'constant' %}
        try_cast(raw_{{ column.name }} as {{ column.type }}) as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        {{ row_hash(profile_columns) }} as profile_hash
    from raw
)

select * from typed
