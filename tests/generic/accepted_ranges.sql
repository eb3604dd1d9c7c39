{#-
    Every non-null value of each listed column lies in its range: `columns` maps a
    column to {min_value, max_value, inclusive} (either bound optional; inclusive=false
    makes both strict). Fails with one row per offending value: the column, the value
    and the range it breaks.
    One test per model, not one per column: a table's ranges are checked in one query
    and one dbt node (each node costs ~60 ms of dbt's own work, whatever the data).
-#}
{% test accepted_ranges(model, columns) %}
    {%- for column, bounds in columns.items() %}
    {%- set inclusive = bounds.get('inclusive', true) %}
    {%- set lower = '>=' if inclusive else '>' %}
    {%- set upper = '<=' if inclusive else '<' %}
    {%- set conditions = [] %}
    {%- if bounds.get('min_value') is not none %}
        {%- do conditions.append(column ~ ' ' ~ lower ~ ' ' ~ bounds.min_value) %}
    {%- endif %}
    {%- if bounds.get('max_value') is not none %}
        {%- do conditions.append(column ~ ' ' ~ upper ~ ' ' ~ bounds.max_value) %}
    {%- endif %}
    {%- if not conditions %}
        {{ exceptions.raise_compiler_error(
            "accepted_ranges on " ~ model ~ ": column " ~ column
            ~ " has neither min_value nor max_value") }}
    {%- endif %}
    select
        '{{ column }}' as column_name,
        {{ column }}::varchar as value_out_of_range,
        '{{ conditions | join(" and ") }}' as accepted_range,
    from {{ model }}
    where {{ column }} is not null and not ({{ conditions | join(' and ') }})
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
