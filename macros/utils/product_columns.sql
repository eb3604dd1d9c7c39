{#- The six products: short name (wines, ...) used in amount_<p>, <p>_segment. -#}
{% macro product_columns() %}
    {{ return(['wines', 'fruits', 'meat', 'fish', 'sweets', 'gold']) }}
{% endmacro %}
