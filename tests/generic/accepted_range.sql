{#-
    Every non-null value of the column lies in [min_value, max_value] (either bound
    optional). inclusive=false makes both bounds strict. Fails with the offending rows.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none,
    inclusive=true) %}
    {%- set lower = '>=' if inclusive else '>' -%}
    {%- set upper = '<=' if inclusive else '<' -%}
    select {{ column_name }} as value_out_of_range
    from {{ model }}
    where {{ column_name }} is not null
        and not (
            true
            {%- if min_value is not none %}
            and {{ column_name }} {{ lower }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
            and {{ column_name }} {{ upper }} {{ max_value }}
            {%- endif %}
        )
{% endtest %}
