{#-
    A customer's squared Euclidean distances to the centroids of `algorithm` (a
    DOUBLE[] in cluster order), from its centroid rows in the int_cluster_parameters
    table, read at run time and inlined as double literals, over the input columns
    `inputs` (macro cluster_inputs; their z_ columns must be in scope). The first
    least (macro list_argmin) is the raw cluster, the estimator's own id 0..k-1,
    that K-Means' predict and sklearn's pairwise_distances_argmin choose. None when
    the table has no centroid of `algorithm` (nothing selected).
-#}
{% macro nearest_centroid(parameters_relation, algorithm, inputs) %}
    {%- set rows = run_query(
        "select cluster, feature || '|' || coalesce(category, '') as key, "
        ~ "cast(value as " ~ dbt.type_string() ~ ") as value from " ~ parameters_relation
        ~ " where parameter = 'centroid' and algorithm = '" ~ algorithm ~ "'"
        ~ " order by cluster, key") -%}
    {%- set centroids = {} -%}
    {%- for row in rows -%}
        {%- do centroids.setdefault(row['cluster'] | int, {}).update(
            {row['key']: '%.17e' | format(row['value'] | float)}) -%}
    {%- endfor -%}
    {%- if not centroids -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if centroids | sort != range(centroids | length) | list -%}
        {{ exceptions.raise_compiler_error(
            "nearest_centroid: clusters of " ~ algorithm ~ " are not 0..k-1") }}
    {%- endif -%}
    {%- set distances = [] -%}
    {%- for cluster in centroids | sort -%}
        {%- set terms = [] -%}
        {%- for input in inputs -%}
            {%- set difference = '(' ~ input['column'] ~ ' - '
                ~ centroids[cluster][input['key']] ~ ')' -%}
            {%- do terms.append(difference ~ ' * ' ~ difference) -%}
        {%- endfor -%}
        {%- do distances.append('(' ~ terms | join(' + ') ~ ')') -%}
    {%- endfor -%}
    {{ return(list_of(distances)) }}
{% endmacro %}
