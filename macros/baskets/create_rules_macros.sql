{#-
    Creates the table macro rules_for(item) in the database (post-hook of
    association_rules), for analysts and BI tools without dbt:
        select * from rules_for('wines_segment=Biggest consumer');
-#}
{% macro create_rules_macros(rules_relation) %}
    {%- if not has_database_macros() -%}{{ return('') }}{%- endif -%}
    create or replace macro rules_for(focus) as table
        select focus as focus_item, *
        from {{ rules_relation }}
        where consequents = [focus]
        order by confidence desc, lift desc, rule;
{% endmacro %}
