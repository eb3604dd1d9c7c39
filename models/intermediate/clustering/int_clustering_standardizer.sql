{#-
    The standardizer of every clustering input column (the PCA's, the clusterings'),
    over all kept customers: one row per
    numeric clustering feature (var cluster_numeric_features; category NULL) with its
    mean and population standard deviation (1 when the feature is constant), and one
    row per (categorical feature, category) of var cluster_categorical_features with
    centre 0 and scale 1 (0/1 indicators are not scaled). The same statistics, in the
    same two passes (mean, then mean squared deviation), as
    customer_personality.clustering.build_feature_matrix.
    Sums of doubles run in parallel change in the last bits from run to run, so the
    sums are of DECIMAL(38, 18) values (exact, in any order): two builds give
    identical tables. That holds values and squared deviations below 1e20 summed.
-#}
{%- set numeric = feature_list('cluster_numeric_features') -%}
{%- set categorical = feature_list('cluster_categorical_features') -%}
{%- set exact = 'decimal(38, 18)' %}

with

features as (
    select * from {{ ref('int_clustering_features') }}
),
{%- if numeric %}

centers as (
    select
        {%- for feature in numeric %}
        avg(cast({{ feature }} as {{ exact }})) as {{ feature }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from features
),

variances as (
    select
        {%- for feature in numeric %}
        avg(
            cast(
                (features.{{ feature }} - centers.{{ feature }})
                * (features.{{ feature }} - centers.{{ feature }})
                as {{ exact }}
            )
        ) as {{ feature }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from features
    cross join centers
),

numeric_inputs as (
    {%- for feature in numeric %}
    select
        '{{ feature }}' as feature,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(centers.{{ feature }} as double) as center,
        sqrt(cast(variances.{{ feature }} as double)) as standard_deviation
    from centers
    cross join variances
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- endif %}
{%- if categorical %}

categorical_inputs as (
    {%- for feature in categorical %}
    select distinct
        '{{ feature }}' as feature,
        cast({{ feature }} as {{ dbt.type_string() }}) as category,
        cast(0 as double) as center,
        cast(1 as double) as standard_deviation
    from features
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- endif %}

inputs as (
    {%- if numeric %}
    select * from numeric_inputs
    {%- endif %}
    {%- if numeric and categorical %}
    union all
    {%- endif %}
    {%- if categorical %}
    select * from categorical_inputs
    {%- endif %}
),

final as (
    select
        feature,
        category,
        center,
        case
            when standard_deviation > 0 then standard_deviation
            else cast(1 as double)
        end as scale
    from inputs
)

select * from final
