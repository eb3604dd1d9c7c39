{#-
    Three principal components per customer, for 3-D plots of any clustering: every
    kept customer scored in SQL (macro pca_projection) from int_pca_model, the PCA
    fitted on a seeded sample.
-#}
{%- if execute -%}
    {%- set components = pca_projection(ref('int_pca_model')) -%}
{%- else -%}
    {%- set components = ['0.0', '0.0', '0.0'] -%}
{%- endif %}

with

features as (
    select * from {{ ref('int_clustering_features') }}
),

parameters as (
    select * from {{ ref('int_pca_model') }}
),

ratios as (
    select
        {%- for component in [1, 2, 3] %}
        max(case when component = {{ component }} then value end)
            as explained_variance_ratio_{{ component }}{{ ',' if not loop.last }}
        {%- endfor %}
    from parameters
    where parameter = 'explained_variance_ratio'
),

projected as (
    select
        customer_id,
        {{ components[0] }} as pc1,
        {{ components[1] }} as pc2,
        {{ components[2] }} as pc3
    from features
),

final as (
    select
        cast(projected.customer_id as bigint) as customer_id,
        cast(projected.pc1 as double) as pc1,
        cast(projected.pc2 as double) as pc2,
        cast(projected.pc3 as double) as pc3,
        cast(ratios.explained_variance_ratio_1 as double) as explained_variance_ratio_1,
        cast(ratios.explained_variance_ratio_2 as double) as explained_variance_ratio_2,
        cast(ratios.explained_variance_ratio_3 as double) as explained_variance_ratio_3
    from projected
    cross join ratios
)

select * from final
