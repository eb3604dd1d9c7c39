{#-
    Quarantine: one row per raw row that was not kept, with its raw values as they
    were in the input (under the input's column names, in its order), every reason
    it was rejected for, and the input it came from.
-#}
{%- set schema = input_schema() -%}

with

rejected as (
    select * from {{ ref('base_raw__customers') }}
    where not is_kept
),

final as (
    select
        raw_row_number,
        source_file,
        rejection_reasons,
        {{ list_join('rejection_reasons', "'; '") }} as rejection_reason,
        {#- raw_values: the row's text in the input's order (the columns computed by
            expression after them), then the extra fields. #}
        {%- for column in schema %}
        {{ list_element("raw_values", loop.index) }}
            as {{ adapter.quote(column.raw if column.raw is not none else column.name) }},
        {%- endfor %}
        {{ list_element('raw_values', schema | length + 1) }} as extra_fields
    from rejected
)

select * from final
