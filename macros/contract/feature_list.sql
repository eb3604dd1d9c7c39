{#-
    The columns a list var names, as this build uses them. A var set to a list is used
    as given; null (the default) derives the list from the input contract by the rule
    below, keeping only the columns the contract makes (so the default contract gives
    the lists the README documents), with the contract's generic features added where
    they fit (numbers to the clusterings and statistics, categories to the baskets).
    - cluster_numeric_features: income, seniority_months, spending, age, children,
      total_purchases, deal_share, the share of every channel but the last (the
      shares sum to one), web_visits_month, recency_days, campaigns_accepted, and the
      numeric features;
    - cluster_categorical_features: the categorical features;
    - statistics_numeric_features: income, spending, seniority_months, age, children,
      total_purchases, deal_share, deal_purchases, each channel's purchases,
      web_visits_month, recency_days, total_campaigns_accepted, numeric features;
    - statistics_categorical_features: education, education_level, marital_group,
      has_child, age_group, income_group, categorical features;
    - basket_item_columns: education_level, marital_group, has_child, age_group,
      income_group, seniority_group, segment, each product's segment, categorical
      features;
    - response_features: income, age, seniority_months, recency_days, kids_at_home,
      teens_at_home, each product's amount, deal_purchases, each channel's purchases,
      web_visits_month, each earlier campaign's flag, has_complained, is_in_couple,
      is_postgraduate, is_undergraduate.
-#}
{% macro feature_list(name) %}
    {%- set given = var(name) -%}
    {%- if given is not none -%}
        {{ return(given | list) }}
    {%- endif -%}
    {%- set products = input_list('products') -%}
    {%- set channels = input_list('channels') -%}
    {%- set campaigns = input_list('campaigns') -%}
    {%- set numeric = [] -%}
    {%- set categorical = [] -%}
    {%- for column in input_contract().columns if column.list == 'features' -%}
        {%- do (categorical if column.kind == 'text' else numeric).append(column.name) -%}
    {%- endfor -%}
    {%- set segments = has_segments() -%}
    {%- set candidates = {
        'cluster_numeric_features': ['income', 'seniority_months', 'spending', 'age',
            'children', 'total_purchases', 'deal_share']
            + channel_columns(channels[:-1], '_share')
            + ['web_visits_month', 'recency_days', 'campaigns_accepted'] + numeric,
        'cluster_categorical_features': categorical,
        'statistics_numeric_features': ['income', 'spending', 'seniority_months', 'age',
            'children', 'total_purchases', 'deal_share', 'deal_purchases']
            + channel_columns(channels, '_purchases')
            + ['web_visits_month', 'recency_days', 'total_campaigns_accepted'] + numeric,
        'statistics_categorical_features': ['education', 'education_level',
            'marital_group', 'has_child', 'age_group', 'income_group'] + categorical,
        'basket_item_columns': ['education_level', 'marital_group', 'has_child',
            'age_group', 'income_group', 'seniority_group']
            + (['segment'] if segments else [])
            + channel_columns(products, '_segment') + categorical,
        'response_features': ['income', 'age', 'seniority_months', 'recency_days',
            'kids_at_home', 'teens_at_home']
            + channel_columns(products, '', 'amount_')
            + ['deal_purchases'] + channel_columns(channels, '_purchases')
            + ['web_visits_month'] + channel_columns(campaigns, '', 'accepted_')
            + ['has_complained', 'is_in_couple', 'is_postgraduate',
                'is_undergraduate'],
    }[name] -%}
    {%- set built = built_columns() -%}
    {%- set kept = [] -%}
    {%- for column in candidates if column in built -%}
        {%- do kept.append(column) -%}
    {%- endfor -%}
    {{ return(kept) }}
{% endmacro %}

{#- prefix + name + suffix for each name of a list. -#}
{% macro channel_columns(names, suffix, prefix='') %}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- do columns.append(prefix ~ name ~ suffix) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}

{#-
    The customer columns this build makes from the input contract, by name: what
    int_customer_features, int_customer_bins and the segments give, and the response
    features' indicators (is_in_couple from marital status, is_postgraduate and
    is_undergraduate from education).
-#}
{% macro built_columns() %}
    {%- set built = ['customer_id', 'reference_date'] -%}
    {%- for column in input_contract().columns
        if column.kind not in ['ignored'] -%}
        {%- do built.append(column.name) -%}
    {%- endfor -%}
    {%- set derived = {
        'age': ['age', 'age_group'],
        'education': ['education_level', 'is_postgraduate', 'is_undergraduate'],
        'marital_status': ['marital_group', 'is_in_couple'],
        'income': ['income_group', 'is_income_imputed'],
        'children': ['children', 'has_child', 'children_group'],
        'enrolled_on': ['seniority_months', 'seniority_group'],
        'products': ['spending'],
        'channels': ['total_purchases'],
        'campaigns': ['campaigns_accepted', 'total_campaigns_accepted'],
        'accepted_last_campaign': ['total_campaigns_accepted'],
    } -%}
    {%- for requirement, columns in derived.items() if input_has(requirement) -%}
        {%- do built.extend(columns) -%}
    {%- endfor -%}
    {%- for product in input_list('products') -%}
        {%- do built.extend(['share_' ~ product, product ~ '_segment']) -%}
    {%- endfor -%}
    {%- for channel in input_list('channels') -%}
        {%- do built.append(channel ~ '_share') -%}
    {%- endfor -%}
    {%- if input_has('deal_purchases', 'channels') -%}
        {%- do built.append('deal_share') -%}
    {%- endif -%}
    {%- if has_segments() -%}
        {%- do built.append('segment') -%}
    {%- endif -%}
    {{ return(built) }}
{% endmacro %}

{#- The product of product_consumer_rules: var focus_product, which must be a product
    of the input contract, or (null) the contract's first product. -#}
{% macro focus_product() %}
    {%- set products = input_list('products') -%}
    {%- set given = var('focus_product') -%}
    {%- if given is none -%}
        {{ return(products[0] if products else none) }}
    {%- endif -%}
    {%- if given not in products -%}
        {{ exceptions.raise_compiler_error("var focus_product is '" ~ given
            ~ "', which is not a product of the input contract ("
            ~ input_contract().label ~ "): " ~ (products | join(', ') or 'none')) }}
    {%- endif -%}
    {{ return(given) }}
{% endmacro %}

{#- A var's value as this build used it: a feature list or the focus product
    resolved from the input contract when the var is null, else the var. -#}
{% macro build_var_value(name) %}
    {%- if name in ['cluster_numeric_features', 'cluster_categorical_features',
        'statistics_numeric_features', 'statistics_categorical_features',
        'basket_item_columns', 'response_features'] -%}
        {{ return(feature_list(name)) }}
    {%- elif name == 'focus_product' -%}
        {{ return(focus_product()) }}
    {%- endif -%}
    {{ return(var(name)) }}
{% endmacro %}
