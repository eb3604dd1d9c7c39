{#-
    The contact economics of this build, as SQL over int_customers_enriched's columns:
    {'cost_per_contact': sql, 'revenue_per_response': sql}, each a var's number when
    var cost_per_contact / revenue_per_response is set (it overrides, or supplies,
    the input's), else the input's column when the contract maps the field, else
    none (missing: the profit-based columns are skipped, and say so). A var that is
    not a non-negative number stops the build, naming it.
-#}
{% macro contact_economics() %}
    {%- set found = {} -%}
    {%- for name in ['cost_per_contact', 'revenue_per_response'] -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none -%}
            {%- if value is boolean or value is not number or value < 0 -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ name ~ " must be a non-negative number (money per "
                    ~ ("contact" if name == 'cost_per_contact' else "response")
                    ~ "), or null to read the input's; got " ~ value) }}
            {%- endif -%}
            {%- do found.update({name: 'cast(' ~ value ~ ' as double)'}) -%}
        {%- elif input_has(name) -%}
            {%- do found.update({name: name}) -%}
        {%- else -%}
            {%- do found.update({name: none}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{#- True when both the cost per contact and the revenue per response are known. -#}
{% macro has_contact_economics() %}
    {%- set economics = contact_economics() -%}
    {{ return(economics['cost_per_contact'] is not none
        and economics['revenue_per_response'] is not none) }}
{% endmacro %}

{#- Why the profit-based columns are skipped (empty when they are not). -#}
{% macro contact_economics_missing() %}
    {%- set economics = contact_economics() -%}
    {%- set missing = [] -%}
    {%- for name, sql in economics.items() if sql is none -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {{ return(missing) }}
{% endmacro %}

{#- What a control group is balanced on (int_control_assignment, control_group_balance):
    the four features the campaign's customers differ most by, and the calibrated
    response probability, the response the readout measures (a control group alike on
    it leaves the uplift unbiased by who happened to be drawn). -#}
{% macro control_balance_features() %}
    {{ return(['income', 'spending', 'recency_days', 'seniority_months',
        'response_probability']) }}
{% endmacro %}
