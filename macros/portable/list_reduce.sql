{#- The greatest (list_max) and least (list_min) element of a DOUBLE[] expression
    (DuckDB list_max, list_min; Spark array_max, array_min). -#}
{% macro list_max(values) %}
    {{- return(adapter.dispatch('list_max', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_max(values) %}list_max({{ values }}){% endmacro %}

{% macro spark__list_max(values) %}array_max({{ values }}){% endmacro %}

{% macro list_min(values) %}
    {{- return(adapter.dispatch('list_min', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_min(values) %}list_min({{ values }}){% endmacro %}

{% macro spark__list_min(values) %}array_min({{ values }}){% endmacro %}

{#- The 1-based position of the first element equal to `value` (0 or NULL when none:
    Spark 0, DuckDB NULL). -#}
{% macro list_position(values, value) %}
    {{- return(adapter.dispatch('list_position', 'customer_personality')(
        values, value)) -}}
{% endmacro %}

{% macro default__list_position(values, value) %}list_position({{ values }}, {{ value }}){% endmacro %}

{% macro spark__list_position(values, value) %}array_position({{ values }}, {{ value }}){% endmacro %}

{#- The sum of a DOUBLE[] expression's elements, first to last. -#}
{% macro list_sum(values) %}
    {{- return(adapter.dispatch('list_sum', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_sum(values) %}list_sum({{ values }}){% endmacro %}

{% macro spark__list_sum(values) -%}
    aggregate({{ values }}, cast(0 as double), (total, element) -> total + element)
{%- endmacro %}

{#- Each element of a list mapped by `expression`, in which `variable` names the
    element (DuckDB list_transform with a lambda, Spark transform). -#}
{% macro list_transform(values, variable, expression) %}
    {{- return(adapter.dispatch('list_transform', 'customer_personality')(
        values, variable, expression)) -}}
{% endmacro %}

{% macro default__list_transform(values, variable, expression) -%}
    list_transform({{ values }}, lambda {{ variable }}: {{ expression }})
{%- endmacro %}

{% macro spark__list_transform(values, variable, expression) -%}
    transform({{ values }}, {{ variable }} -> {{ expression }})
{%- endmacro %}

{#- The elements two lists share (DuckDB list_intersect, Spark array_intersect). -#}
{% macro list_intersect(first, second) %}
    {{- return(adapter.dispatch('list_intersect', 'customer_personality')(
        first, second)) -}}
{% endmacro %}

{% macro default__list_intersect(first, second) %}list_intersect({{ first }}, {{ second }}){% endmacro %}

{% macro spark__list_intersect(first, second) %}array_intersect({{ first }}, {{ second }}){% endmacro %}

{#- A list's elements in ascending order (DuckDB list_sort, Spark array_sort). -#}
{% macro list_sort(values) %}
    {{- return(adapter.dispatch('list_sort', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_sort(values) %}list_sort({{ values }}){% endmacro %}

{% macro spark__list_sort(values) %}array_sort({{ values }}){% endmacro %}

{#- A list's elements without repeats, in no particular order (DuckDB list_distinct,
    Spark array_distinct): sort it when the order matters. -#}
{% macro list_distinct(values) %}
    {{- return(adapter.dispatch('list_distinct', 'customer_personality')(values)) -}}
{% endmacro %}

{% macro default__list_distinct(values) %}list_distinct({{ values }}){% endmacro %}

{% macro spark__list_distinct(values) %}array_distinct({{ values }}){% endmacro %}

{#- The integers start, start + 1, ..., stop - 1 as a list, empty when stop <= start
    (DuckDB range, Spark sequence, which counts down past an empty range). -#}
{% macro list_range(start, stop) %}
    {{- return(adapter.dispatch('list_range', 'customer_personality')(start, stop)) -}}
{% endmacro %}

{% macro default__list_range(start, stop) %}range({{ start }}, {{ stop }}){% endmacro %}

{% macro spark__list_range(start, stop) -%}
    case when {{ stop }} > {{ start }}
        then sequence(cast({{ start }} as bigint), cast({{ stop }} as bigint) - 1)
        else cast(array() as array<bigint>) end
{%- endmacro %}
