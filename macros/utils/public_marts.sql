{#-
    The public tables (every model of models/marts but build_info itself), in the order
    a user reads them: build_info counts the rows of each, and `python -m
    customer_personality summary` and the report list them from build_info.
    test_build_info checks the list against the models in models/marts.
-#}
{% macro public_marts() -%}
    {{ return([
        'customers', 'rejected_customers', 'customer_segments', 'segment_model',
        'segment_stability', 'cluster_evaluation', 'customer_clusters',
        'customer_projection', 'feature_importance', 'frequent_itemsets',
        'association_rules', 'product_consumer_rules', 'segment_profiles',
        'cluster_profiles', 'segment_drift', 'customer_segment_history',
        'segment_migrations',
        'segment_statistics', 'customer_scores', 'aha_moments',
        'response_model_evaluation', 'response_model_deciles', 'customer_actions',
        'customer_duplicates', 'campaign_economics', 'control_group_balance',
        'campaign_readout',
        'build_vars',
    ]) }}
{%- endmacro %}
