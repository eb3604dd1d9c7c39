{#- A number in [0, 2^60) from `expressions` and var random_seed, the same on every
    engine: the first 15 hex digits of the md5 of the expressions as text, joined by
    '|', with the seed last. Seeded samples and the response holdout are drawn by it,
    so DuckDB and Spark draw the same customers. -#}
{% macro seeded_hash(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- endfor -%}
    {%- do parts.append("'" ~ var('random_seed') ~ "'") -%}
    {%- set text = "concat_ws('|', " ~ parts | join(', ') ~ ')' -%}
    {%- set digits = 'substr(md5(' ~ text ~ '), 1, 15)' -%}
    {{- return(adapter.dispatch('hex_to_bigint', 'customer_personality')(digits)) -}}
{% endmacro %}

{#- A text of at most 15 hex digits as a bigint. -#}
{% macro default__hex_to_bigint(digits) %}cast('0x' || {{ digits }} as bigint){% endmacro %}

{% macro spark__hex_to_bigint(digits) %}cast(conv({{ digits }}, 16, 10) as bigint){% endmacro %}
