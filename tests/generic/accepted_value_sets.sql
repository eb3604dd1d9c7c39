{#-
    Every non-null value of each listed column is one of its accepted values:
    `columns` maps a column to its list of values (compared as text). Fails with one
    row per unexpected value: the column, the value and how many rows hold it.
    One test per model, not one per column (see accepted_ranges).
-#}
{% test accepted_value_sets(model, columns) %}
    {%- for column, values in columns.items() %}
    {%- set quoted = [] %}
    {%- for value in values %}
        {%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") %}
    {%- endfor %}
    select
        '{{ column }}' as column_name,
        {{ column }}::varchar as unexpected_value,
        count(*) as n_rows,
    from {{ model }}
    where {{ column }} is not null
        and {{ column }}::varchar not in ({{ quoted | join(', ') }})
    group by {{ column }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
