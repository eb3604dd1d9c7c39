{#- The values of a group as a list in order_by's order (an aggregate; filter: a
    condition of the rows it takes, or none): DuckDB list(... order by ...), Spark's
    collect_list of (order, value) pairs, sorted. -#}
{% macro list_agg(value, order_by, filter=none) %}
    {{- return(adapter.dispatch('list_agg', 'customer_personality')(
        value, order_by, filter)) -}}
{% endmacro %}

{% macro default__list_agg(value, order_by, filter) -%}
    list({{ value }} order by {{ order_by }})
    {%- if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}

{% macro spark__list_agg(value, order_by, filter) -%}
    transform(array_sort(collect_list(named_struct('o', {{ order_by }}, 'v', {{ value }}))
    {%- if filter %} filter (where {{ filter }}){% endif %}), pair -> pair.v)
{%- endmacro %}
