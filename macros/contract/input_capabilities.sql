{#-
    What the input contract makes possible, by what it maps (input_has), for the
    models that need more than one field group: named value x seniority segments need
    income, the enrolment date and products (spending); the behavioural scores need
    recency, channels with deals, products, tenure and complaints; the response model
    and the campaign export need the scores and the last campaign's response. dbt_project.yml enables the models by the
    same rules (+enabled, read while dbt parses, when only vars are known); the test
    test_input_contract.py checks that the two agree.
-#}
{% macro has_segments() %}
    {{ return(input_has('income', 'enrolled_on', 'products')) }}
{% endmacro %}

{% macro has_scores() %}
    {{ return(has_segments() and input_has('recency_days', 'channels',
        'deal_purchases', 'has_complained')) }}
{% endmacro %}

{% macro has_response() %}
    {{ return(has_scores() and input_has('accepted_last_campaign')) }}
{% endmacro %}

{#- The campaign's money: the response model and the contact economics (the input's
    fields, or vars cost_per_contact and revenue_per_response). -#}
{% macro has_campaign_economics() %}
    {{ return(has_response() and has_contact_economics()) }}
{% endmacro %}

{#-
    What a mart needs of the input contract beyond the customer ID (none: nothing):
    segments, scores, response or products, the rules of dbt_project.yml's +enabled.
-#}
{% macro mart_requirement(name) %}
    {{ return({
        'customer_segments': 'segments', 'segment_model': 'segments',
        'segment_stability': 'segments', 'segment_drift': 'segments',
        'segment_profiles': 'segments', 'segment_statistics': 'segments',
        'customer_segment_history': 'segments', 'segment_migrations': 'segments',
        'aha_moments': 'segments', 'customer_scores': 'scores',
        'customer_actions': 'response', 'customer_duplicates': 'response',
        'response_model_evaluation': 'response', 'response_model_deciles': 'response',
        'control_group_balance': 'response', 'campaign_readout': 'response',
        'campaign_economics': 'economics',
        'product_consumer_rules': 'products',
    }.get(name)) }}
{% endmacro %}

{#- The fields each requirement needs, in the words build_info and the report use. -#}
{% macro requirement_fields(requirement) %}
    {%- set segments = ['income', 'enrolled_on', 'products'] -%}
    {%- set scores = segments + ['recency_days', 'channels', 'deal_purchases',
        'has_complained'] -%}
    {{ return({
        'segments': segments,
        'scores': scores,
        'response': scores + ['accepted_last_campaign'],
        'economics': scores + ['accepted_last_campaign', 'cost_per_contact',
            'revenue_per_response'],
        'products': ['products'],
    }.get(requirement, [])) }}
{% endmacro %}

{#- The fields a requirement needs that the contract does not map (empty: met). -#}
{% macro requirement_missing(requirement) %}
    {%- set missing = [] -%}
    {%- for field in requirement_fields(requirement) if not input_has(field)
        and (field not in ['cost_per_contact', 'revenue_per_response']
            or var(field, none) is none) -%}
        {%- do missing.append(field) -%}
    {%- endfor -%}
    {{ return(missing) }}
{% endmacro %}
