{#-
    The SQL list of the reasons a row is rejected for (empty when kept): one CASE per
    check of rejection_reasons(), in order, NULLs filtered out.
-#}
{% macro rejection_reasons_list(checks=none) %}
    {%- set checks = checks if checks is not none else rejection_reasons() -%}
    {%- set cases = [] -%}
    {%- for check in checks -%}
        {%- set whens = [] -%}
        {%- for rule in check -%}
            {%- do whens.append('when ' ~ rule.when ~ " then '" ~ rule.reason ~ "'") -%}
        {%- endfor -%}
        {%- do cases.append('case ' ~ whens | join(' ') ~ ' end') -%}
    {%- endfor -%}
    {{ list_without_nulls(list_of(cases)) }}
{%- endmacro %}
