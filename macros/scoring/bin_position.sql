{#-
    1-based position of a value among bins cut by ascending edges: 1 + the number of
    edges strictly below the value. A value equal to an edge falls in the lower bin
    (the convention of pandas cut and qcut). Works for any number of edges; index a
    label list with it: labels[bin_position(value, edges)].
-#}
{% macro bin_position(value, edges) %}
    {{ return(adapter.dispatch('bin_position', 'customer_personality')(value, edges)) }}
{% endmacro %}

{% macro default__bin_position(value, edges) %}
    (1 + len(list_filter({{ edges }}, lambda edge: {{ value }} > edge)))
{% endmacro %}

{% macro spark__bin_position(value, edges) %}
    (1 + size(filter({{ edges }}, edge -> {{ value }} > edge)))
{% endmacro %}
