{#- The continuous (linearly interpolated) quantile p of value: DuckDB quantile_cont,
    Spark percentile; an aggregate, or a window function with an OVER clause after it. -#}
{% macro quantile_cont(value, p) %}
    {{- return(adapter.dispatch('quantile_cont', 'customer_personality')(value, p)) -}}
{% endmacro %}

{% macro default__quantile_cont(value, p) %}quantile_cont({{ value }}, {{ p }}){% endmacro %}

{% macro spark__quantile_cont(value, p) %}percentile({{ value }}, {{ p }}){% endmacro %}
