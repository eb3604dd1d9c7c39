{#-
    Customers whose segment features lie far outside the rest, named rather than
    silently absorbed. Rule (var segment_outlier_rule): iqr (default) flags a customer
    when a segment feature (var segment_features) is below Q1 - k IQR or above
    Q3 + k IQR of all kept customers (Tukey's fences, k = var segment_outlier_iqr_k,
    3 by default: "far out"); none flags nobody. Outliers are left out of the segment
    fit (int_segment_training) and scored like everyone else.
-#}
{%- set features = var('segment_features') -%}
{%- set rule = var('segment_outlier_rule') -%}
{%- if rule not in ['iqr', 'none'] -%}
    {{ exceptions.raise_compiler_error(
        "var segment_outlier_rule must be iqr or none, not " ~ rule) }}
{%- endif -%}
{%- set k = var('segment_outlier_iqr_k') -%}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

quartiles as (
    select
        {%- for feature in features %}
        {{ quantile_cont(feature, 0.25) }} as {{ feature }}_q1,
        {{ quantile_cont(feature, 0.75) }} as {{ feature }}_q3,
        {%- endfor %}
        count(*) as customers
    from features
),

fences as (
    select
        {%- for feature in features %}
        {{ feature }}_q1 - {{ k }}::double * ({{ feature }}_q3 - {{ feature }}_q1)
            as {{ feature }}_lower,
        {{ feature }}_q3 + {{ k }}::double * ({{ feature }}_q3 - {{ feature }}_q1)
            as {{ feature }}_upper,
        {%- endfor %}
        customers
    from quartiles
),

flagged as (
    select
        features.customer_id,
        {%- if rule == 'iqr' %}
        concat_ws(
            ', ',
            {%- for feature in features %}
            case
                when features.{{ feature }} < fences.{{ feature }}_lower
                    then '{{ feature }}_below_fence'
                when features.{{ feature }} > fences.{{ feature }}_upper
                    then '{{ feature }}_above_fence'
            end{{ ',' if not loop.last }}
            {%- endfor %}
        ) as reasons
        {%- else %}
        '' as reasons
        {%- endif %}
    from features
    cross join fences
),

final as (
    select
        customer_id,
        reasons != '' as is_outlier,
        nullif(reasons, '') as outlier_reason
    from flagged
)

select * from final
