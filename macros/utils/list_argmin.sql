{#-
    The 0-based position of the first least (`largest`: greatest) element of a
    DOUBLE[] expression `values`, as numpy's argmin (argmax) gives it.
-#}
{% macro list_argmin(values, largest=false) %}
    {%- set extreme = list_max(values) if largest else list_min(values) -%}
    ({{ list_position(values, extreme) }} - 1)
{%- endmacro %}
