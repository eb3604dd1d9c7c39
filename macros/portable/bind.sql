{#-
    A value bound to a name once, for an expression that reads it several times:
    {{ bind_open() }} value {{ bind_as('name') }} expression {{ bind_close() }}.
    DuckDB: list_transform([value], lambda name: expression)[1]; Spark:
    transform(array(value), name -> expression)[0]. normal_cdf and normal_quantile
    bind their intermediate values this way.
-#}
{% macro bind_open() %}
    {{- return(adapter.dispatch('bind_open', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__bind_open() %}list_transform([{% endmacro %}

{% macro spark__bind_open() %}transform(array({% endmacro %}

{% macro bind_as(name) %}
    {{- return(adapter.dispatch('bind_as', 'customer_personality')(name)) -}}
{% endmacro %}

{% macro default__bind_as(name) %}], lambda {{ name }}: {% endmacro %}

{% macro spark__bind_as(name) %}), {{ name }} -> {% endmacro %}

{% macro bind_close() %}
    {{- return(adapter.dispatch('bind_close', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__bind_close() %})[1]{% endmacro %}

{% macro spark__bind_close() %})[0]{% endmacro %}
