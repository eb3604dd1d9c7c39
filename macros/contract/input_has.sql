{#-
    Whether the input contract maps everything named: a field group (demographics,
    tenure, products, channels, recency, campaigns, complaints, economics, features:
    at least one of its fields or entries), a field (income, education, ...; age also
    when birth_year is mapped, children when kids_at_home and teens_at_home are), or
    a list entry (channels.web, products.wines). Models call it in config(enabled=...)
    and to leave out what the input lacks; it reads the contract only, so it answers
    while dbt parses too.
-#}
{% macro input_has() %}
    {%- set contract = input_contract() -%}
    {%- set present = [] -%}
    {%- for column in contract.columns -%}
        {%- do present.append(column.field) -%}
        {%- do present.append(column.group) -%}
    {%- endfor -%}
    {%- if 'birth_year' in present -%}
        {%- do present.append('age') -%}
    {%- endif -%}
    {%- if 'kids_at_home' in present and 'teens_at_home' in present -%}
        {%- do present.append('children') -%}
    {%- endif -%}
    {%- for requirement in varargs if requirement not in present -%}
        {{ return(false) }}
    {%- endfor -%}
    {{ return(true) }}
{% endmacro %}

{#- The entry names of one list of the contract (products, channels, campaigns,
    features), in the contract's order. -#}
{% macro input_list(list_name) %}
    {%- set names = [] -%}
    {%- for column in input_contract().columns if column.list == list_name -%}
        {%- do names.append(column.item) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
