{#-
    The lists an input contract declares, of any length: each entry a name (an
    identifier) and the input column (or SQL expression) it is read from. An entry
    becomes the staging column <prefix><name><suffix>, of its list's group, typed by
    its kind (the entry's `type`, else the list's default, one of the allowed kinds).
    products: the amounts spent per category (spending is their sum); channels: the
    purchases per channel; campaigns: the accepted flags of the earlier campaigns, in
    the order they ran (the last campaign's response is the field
    accepted_last_campaign); features: further columns the comparison of clusterings
    and the profiles read (numbers or categories).
-#}
{% macro input_list_registry() %}
    {{ return({
        'products': {'group': 'products', 'prefix': 'amount_', 'suffix': '',
            'kind': 'amount', 'kinds': ['amount', 'count']},
        'channels': {'group': 'channels', 'prefix': '', 'suffix': '_purchases',
            'kind': 'count', 'kinds': ['count']},
        'campaigns': {'group': 'campaigns', 'prefix': 'accepted_', 'suffix': '',
            'kind': 'flag', 'kinds': ['flag']},
        'features': {'group': 'features', 'prefix': '', 'suffix': '',
            'kind': 'number', 'kinds': ['number', 'amount', 'count', 'text']},
    }) }}
{% endmacro %}
