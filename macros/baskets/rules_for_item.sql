{#-
    SQL selecting the association rules whose consequent is exactly one item, the
    strongest first (confidence, then lift): "what goes with being <item>?".
    Example: {{ rules_for_item("wines_segment=Biggest consumer") }}
-#}
{% macro rules_for_item(item, rules_relation=none) %}
    {%- set rules_relation = rules_relation or ref('association_rules') -%}
    select
        '{{ item | replace("'", "''") }}' as focus_item,
        *
    from {{ rules_relation }}
    where consequents = {{ list_of(["'" ~ item | replace("'", "''") ~ "'"]) }}
    order by confidence desc, lift desc, rule
{% endmacro %}
