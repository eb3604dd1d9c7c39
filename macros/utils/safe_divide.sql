{#- numerator / denominator, NULL when the denominator is 0 (no division error). -#}
{% macro safe_divide(numerator, denominator) %}
    ({{ numerator }} / nullif({{ denominator }}, 0))
{% endmacro %}
