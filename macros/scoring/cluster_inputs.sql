{#-
    The clustering input columns of a customer in SQL, from the standardizer table
    (int_clustering_standardizer), read at run time: a list, in the matrix column
    order of customer_personality.core.standardize.input_columns (numeric features as
    var cluster_numeric_features lists them, then each categorical feature's
    categories sorted as text), of dicts with `key` (feature|category, category ''
    for a numeric feature), `column` (z_0, z_1, ...) and `expression`:
    (x - center) / scale for a numeric feature, 1.0 when the row has the category
    (else 0.0) for an indicator; the centre and scale inlined as double literals.
-#}
{% macro cluster_inputs(standardizer_relation) %}
    {%- set rows = run_query(
        "select feature, coalesce(category, '') as category, "
        ~ "cast(center as " ~ dbt.type_string() ~ ") as center, "
        ~ "cast(scale as " ~ dbt.type_string() ~ ") as scale, "
        ~ "category is null as is_numeric from " ~ standardizer_relation
        ~ " order by feature, category") -%}
    {%- set numeric = {} -%}
    {%- set categories = {} -%}
    {%- for row in rows -%}
        {%- if row['is_numeric'] -%}
            {%- do numeric.update({row['feature']: row}) -%}
        {%- else -%}
            {%- do categories.setdefault(row['feature'], []).append(row['category']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set inputs = [] -%}
    {%- for feature in feature_list('cluster_numeric_features') -%}
        {%- set row = numeric[feature] -%}
        {%- do inputs.append({'key': feature ~ '|',
            'expression': '(cast(' ~ feature ~ ' as double) - '
                ~ '%.17e' | format(row['center'] | float) ~ ') / '
                ~ '%.17e' | format(row['scale'] | float)}) -%}
    {%- endfor -%}
    {%- for feature in feature_list('cluster_categorical_features') -%}
        {%- for category in categories.get(feature, []) | sort -%}
            {%- do inputs.append({'key': feature ~ '|' ~ category,
                'expression': 'case when cast(' ~ feature ~ ' as '
                    ~ dbt.type_string() ~ ") = '" ~ category | replace("'", "''")
                    ~ "' then cast(1 as double) else cast(0 as double) end"}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for input in inputs -%}
        {%- do input.update({'column': 'z_' ~ loop.index0}) -%}
    {%- endfor -%}
    {{ return(inputs) }}
{% endmacro %}
