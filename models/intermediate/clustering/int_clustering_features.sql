{#-
    The features the clusterings compare on (vars cluster_numeric_features and
    cluster_categorical_features), one row per kept customer. Ratios that are NULL for
    a customer without purchases or visits count as 0 here, so every customer can be
    clustered; the Python models standardize and one-hot encode.
    Read from the derived fields and bins, not from the customers mart: the
    clusterings do not wait for the segment model, and the two fit side by side.
-#}

with

features as (
    select * from {{ ref('int_customer_features') }}
),

bins as (
    select * from {{ ref('int_customer_bins') }}
),

customers as (
    select
        features.*,
        {{ star_except('bins', ref('int_customer_bins'), ['customer_id']) }}
    from features
    inner join bins
        on features.customer_id = bins.customer_id
),

final as (
    select
        customer_id
        {%- for feature in feature_list('cluster_numeric_features') %},
        coalesce({{ feature }}, 0)::double as {{ feature }}
        {%- endfor %}
        {%- for feature in feature_list('cluster_categorical_features') %},
        coalesce(cast({{ feature }} as {{ dbt.type_string() }}), 'Unknown') as {{ feature }}
        {%- endfor %}
    from customers
)

select * from final
