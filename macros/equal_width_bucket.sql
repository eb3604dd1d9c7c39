{#-
    0-based bucket of a value among buckets of equal width starting at low:
    floor((value - low) / width), 0 when width is 0 (every value equal). Monotone in the
    value (a larger value never falls in a lower bucket), so buckets keep the values'
    order; NULL for a NULL value.
-#}
{% macro equal_width_bucket(value, low, width) %}
    coalesce(floor(({{ value }} - {{ low }}) / nullif({{ width }}, 0)), 0)::integer
{% endmacro %}
