{#- The type of a basket bitmask word: DuckDB's unsigned ubigint; Spark's bigint
    (the same 64 bits, bit 63 read as the sign; mask_matrix reads them unsigned). -#}
{% macro mask_type() %}
    {{- return(adapter.dispatch('mask_type', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__mask_type() %}ubigint{% endmacro %}

{% macro spark__mask_type() %}bigint{% endmacro %}
