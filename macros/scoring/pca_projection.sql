{#-
    Principal components of a customer in SQL alone, from the int_pca_model table.

    pca_projection(model_relation) reads the fitted parameters once (at run time) and
    returns a list of SQL expressions, one per component in order, over the
    clustering feature columns (vars cluster_numeric_features and
    cluster_categorical_features):
        pc_k = sum over input columns of loading_k * (z - pca_mean)
    with z = (x - center) / scale for a numeric feature and z = 1.0 when a
    categorical feature has the row's category (else 0.0), the arithmetic of
    customer_personality.clustering.projection.project. The parameters are inlined as double
    literals (17 digits after the point, so every bit is kept): plain arithmetic,
    fast on millions of rows and portable.
-#}
{% macro pca_projection(model_relation) %}
    {%- set rows = run_query(
        "select parameter, coalesce(component, 0) as component, "
        ~ "coalesce(feature, '') as feature, coalesce('=' || category, '') as category, "
        ~ "cast(value as " ~ dbt.type_string() ~ ") as value from "
        ~ model_relation ~ " order by parameter, component, feature, category") -%}
    {%- set inputs = {} -%}
    {%- set loadings = {} -%}
    {%- for row in rows if row['parameter'] != 'explained_variance_ratio' -%}
        {#- category: '' for a numeric feature, '=' and the category (always text). -#}
        {%- set key = row['feature'] ~ '|' ~ row['category'] -%}
        {%- set literal = '%.17e' | format(row['value'] | float) -%}
        {%- if row['parameter'] == 'loading' -%}
            {%- set component = row['component'] | int -%}
            {%- if component not in loadings -%}
                {%- do loadings.update({component: {}}) -%}
            {%- endif -%}
            {%- do loadings[component].update({key: literal}) -%}
        {%- else -%}
            {%- if key not in inputs -%}
                {%- do inputs.update({key: {'feature': row['feature'],
                    'category': row['category'][1:] if row['category'] else none}}) -%}
            {%- endif -%}
            {%- do inputs[key].update({row['parameter']: literal}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not loadings -%}
        {{ exceptions.raise_compiler_error(
            "pca_projection: no fitted components in " ~ model_relation) }}
    {%- endif -%}
    {#- Each input column, standardized and centred: z - pca_mean. -#}
    {%- set centred = {} -%}
    {%- for key, input in inputs.items() -%}
        {%- if input['category'] is none -%}
            {%- set z = '(cast(' ~ input['feature'] ~ ' as double) - ' ~ input['center']
                ~ ') / ' ~ input['scale'] -%}
        {%- else -%}
            {%- set z = 'case when ' ~ input['feature'] ~ " = '"
                ~ input['category'] | replace("'", "''")
                ~ "' then cast(1 as double) else cast(0 as double) end" -%}
        {%- endif -%}
        {%- do centred.update({key: '((' ~ z ~ ') - ' ~ input['pca_mean'] ~ ')'}) -%}
    {%- endfor -%}
    {%- set expressions = [] -%}
    {%- for component in loadings | sort -%}
        {%- set terms = [] -%}
        {%- for key in inputs | sort -%}
            {%- do terms.append(loadings[component][key] ~ ' * ' ~ centred[key]) -%}
        {%- endfor -%}
        {%- do expressions.append('(' ~ terms | join('\n        + ') ~ ')') -%}
    {%- endfor -%}
    {{ return(expressions) }}
{% endmacro %}
