{#- The probability columns of a relation (probability_<segment>), in its order. -#}
{% macro probability_columns(relation) %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation)
            if column.name.startswith('probability_') -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
