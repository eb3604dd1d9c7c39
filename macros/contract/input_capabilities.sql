{#-
    What the input contract makes possible, by what it maps (input_has), for the
    models that need more than one field group: named value x seniority segments need
    income, the enrolment date and products (spending); the behavioural scores need
    recency, channels with deals, products, tenure and complaints; the response model
    needs the last campaign's response. dbt_project.yml enables the models by the
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
    {{ return(input_has('accepted_last_campaign')) }}
{% endmacro %}
