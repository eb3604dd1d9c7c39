{#-
    The 0-based position of the first least (`largest`: greatest) element of a
    DOUBLE[] expression `values`, as numpy's argmin (argmax) gives it.
-#}
{% macro list_argmin(values, largest=false) %}
    {%- set extreme = 'list_max' if largest else 'list_min' -%}
    (list_position({{ values }}, {{ extreme }}({{ values }})) - 1)
{%- endmacro %}
