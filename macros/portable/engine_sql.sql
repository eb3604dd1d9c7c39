{#- `materialized` before a CTE's body where the engine has it (DuckDB: the CTE is
    computed once, not inlined); nothing on Spark, which has no such hint. -#}
{% macro materialized_cte() %}
    {{- return(adapter.dispatch('materialized_cte', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__materialized_cte() %}materialized{% endmacro %}

{% macro spark__materialized_cte() %}{% endmacro %}

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

{#- Integer division of non-negative integers (DuckDB //, Spark div). -#}
{% macro integer_divide(numerator, denominator) %}
    {{- return(adapter.dispatch('integer_divide', 'customer_personality')(
        numerator, denominator)) -}}
{% endmacro %}

{% macro default__integer_divide(numerator, denominator) -%}
    ({{ numerator }} // {{ denominator }})
{%- endmacro %}

{% macro spark__integer_divide(numerator, denominator) -%}
    ({{ numerator }} div {{ denominator }})
{%- endmacro %}

{#- The type of a basket bitmask word: DuckDB's unsigned ubigint; Spark's bigint
    (the same 64 bits, bit 63 read as the sign; mask_matrix reads them unsigned). -#}
{% macro mask_type() %}
    {{- return(adapter.dispatch('mask_type', 'customer_personality')()) -}}
{% endmacro %}

{% macro default__mask_type() %}ubigint{% endmacro %}

{% macro spark__mask_type() %}bigint{% endmacro %}

{#- A number read back as text from a table (run_query) written as a double literal:
    DuckDB reads the text as it is; Spark reads 0.5 as a decimal, so it is cast. -#}
{% macro double_literal(text) %}
    {{- return(adapter.dispatch('double_literal', 'customer_personality')(text)) -}}
{% endmacro %}

{% macro default__double_literal(text) %}{{ text }}{% endmacro %}

{% macro spark__double_literal(text) %}cast({{ text }} as double){% endmacro %}

{#- `value` shifted left by `bits` (DuckDB <<, Spark shiftleft). -#}
{% macro shift_left(value, bits) %}
    {{- return(adapter.dispatch('shift_left', 'customer_personality')(value, bits)) -}}
{% endmacro %}

{% macro default__shift_left(value, bits) %}({{ value }} << {{ bits }}){% endmacro %}

{% macro spark__shift_left(value, bits) %}shiftleft({{ value }}, {{ bits }}){% endmacro %}

{#- The type of a list of `element_type` (DuckDB T[], Spark array<T>). -#}
{% macro list_type(element_type) %}
    {{- return(adapter.dispatch('list_type', 'customer_personality')(element_type)) -}}
{% endmacro %}

{% macro default__list_type(element_type) %}{{ element_type }}[]{% endmacro %}

{% macro spark__list_type(element_type) %}array<{{ element_type }}>{% endmacro %}
