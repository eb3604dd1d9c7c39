{#- A 64-bit hash of expressions, to find candidates only (equal values, equal hash):
    DuckDB hash, Spark xxhash64. The two engines' hashes differ. -#}
{% macro row_hash(expressions) %}
    {{- return(adapter.dispatch('row_hash', 'customer_personality')(expressions)) -}}
{% endmacro %}

{% macro default__row_hash(expressions) %}hash({{ expressions | join(', ') }}){% endmacro %}

{% macro spark__row_hash(expressions) %}xxhash64({{ expressions | join(', ') }}){% endmacro %}
