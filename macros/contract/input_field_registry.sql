{#-
    The canonical fields an input contract maps (var input_contract, "fields:"), each
    with its field group, its kind (how staging types and checks it) and its SQL type.
    Kinds: id (an integer key), year, count (a non-negative integer), amount (a
    non-negative number), money (income: non-negative, var missing_income decides
    a missing one), number (any number), flag (0 or 1), date, text, economics (a non-negative number, the contact
    economics: cost per contact and revenue per response, checked like an amount and
    kept out of every feature list). The lists (products, channels, campaigns,
    features) are in input_list_registry. The package's contract module holds the
    same registry (a test compares them).
-#}
{% macro input_field_registry() %}
    {{ return({
        'customer_id': {'group': 'id', 'kind': 'id', 'type': 'bigint'},
        'birth_year': {'group': 'demographics', 'kind': 'year', 'type': 'integer'},
        'age': {'group': 'demographics', 'kind': 'count', 'type': 'integer'},
        'education': {'group': 'demographics', 'kind': 'text', 'type': 'varchar'},
        'marital_status': {'group': 'demographics', 'kind': 'text', 'type': 'varchar'},
        'income': {'group': 'demographics', 'kind': 'money', 'type': 'double'},
        'kids_at_home': {'group': 'demographics', 'kind': 'count', 'type': 'integer'},
        'teens_at_home': {'group': 'demographics', 'kind': 'count', 'type': 'integer'},
        'enrolled_on': {'group': 'tenure', 'kind': 'date', 'type': 'date'},
        'recency_days': {'group': 'recency', 'kind': 'count', 'type': 'integer'},
        'deal_purchases': {'group': 'channels', 'kind': 'count', 'type': 'integer'},
        'web_visits_month': {'group': 'channels', 'kind': 'count', 'type': 'integer'},
        'has_complained': {'group': 'complaints', 'kind': 'flag', 'type': 'boolean'},
        'accepted_last_campaign': {
            'group': 'campaigns', 'kind': 'flag', 'type': 'integer'},
        'cost_per_contact': {
            'group': 'economics', 'kind': 'economics', 'type': 'double'},
        'revenue_per_response': {
            'group': 'economics', 'kind': 'economics', 'type': 'double'},
    }) }}
{% endmacro %}
