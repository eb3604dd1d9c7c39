{#- Every column of `alias` (a ref'd `relation` in scope under that alias) but
    `except_columns`: DuckDB's `alias.* exclude (...)`; elsewhere the columns listed,
    read from the relation when the model runs. -#}
{% macro star_except(alias, relation, except_columns) %}
    {{- return(adapter.dispatch('star_except', 'customer_personality')(
        alias, relation, except_columns)) -}}
{% endmacro %}

{% macro default__star_except(alias, relation, except_columns) -%}
    {{ alias }}.* exclude (
    {%- for column in except_columns -%}
        {{ alias }}.{{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro %}

{% macro spark__star_except(alias, relation, except_columns) -%}
    {%- if not execute -%}{{ alias }}.*{%- else -%}
    {%- set kept = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation)
        if column.name | lower not in except_columns | map('lower') | list -%}
        {%- do kept.append(alias ~ '.' ~ column.name) -%}
    {%- endfor -%}
    {{ kept | join(', ') }}
    {%- endif -%}
{%- endmacro %}
