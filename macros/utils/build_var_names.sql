{#-
    Every var of dbt_project.yml, in its order: build_vars records each one's value in
    this build (test_build_info checks the list against dbt_project.yml, so a new var
    cannot be left out).
-#}
{% macro build_var_names() -%}
    {{ return([
        'raw_customers_path', 'raw_customers_relation', 'raw_customers_database',
        'input_contract', 'input_contract_file', 'documented_input_contract',
        'reference_date', 'missing_income', 'income_outlier_rule',
        'income_max', 'income_iqr_k', 'max_age', 'drop_duplicate_profiles',
        'segment_features', 'segment_components', 'segment_method', 'segment_sample_size',
        'segment_model_mode', 'segment_model_path', 'snapshot_date', 'customer_base',
        'history_root', 'history_path', 'rebuild_snapshot',
        'segment_outlier_rule', 'segment_outlier_iqr_k', 'stability_resamples',
        'stability_sample_size', 'stability_quadratic_sample_size',
        'cluster_numeric_features', 'cluster_categorical_features', 'cluster_k_min',
        'cluster_k_max', 'cluster_sample_size', 'cluster_fit_sample_size',
        'cluster_max_noise_share', 'cluster_max_cluster_share', 'importance_sample_size',
        'pca_sample_size', 'basket_item_columns', 'rules_algorithm', 'min_support',
        'min_confidence', 'min_lift', 'max_len', 'rules_check_limit', 'focus_product',
        'focus_consumer_segment', 'statistics_numeric_features',
        'statistics_categorical_features', 'statistics_alpha', 'statistics_sample_size',
        'rfm_quantiles', 'churn_alert_share', 'unmatched_strategy_channels',
        'export_duplicate_keep',
        'discount_sensitivity_edges',
        'aha_min_customer_share', 'response_features', 'response_holdout_share',
        'response_sample_size', 'response_regularization', 'response_calibration',
        'cost_per_contact', 'revenue_per_response', 'contact_policy',
        'contact_budget_contacts', 'contact_budget_spend', 'control_share',
        'control_min_size',
        'control_candidates', 'random_seed',
    ]) }}
{%- endmacro %}
