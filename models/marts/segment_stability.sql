{#-
    How much the named segments hold when the customers are resampled: the segment
    model refitted on stability_resamples bootstrap resamples (Hennig's clusterwise
    bootstrap), one row per segment with the model-wide figures repeated.
-#}

with

stability as (
    select * from {{ ref('int_segment_stability') }}
),

final as (
    select
        segment,
        component::integer as component,
        share::double as share,
        jaccard_mean::double as jaccard_mean,
        jaccard_min::double as jaccard_min,
        segment_reading,
        ari_median::double as ari_median,
        ari_min::double as ari_min,
        ari_mean::double as ari_mean,
        model_reading,
        n_resamples::integer as n_resamples,
        n_customers::bigint as n_customers,
        method
    from stability
)

select * from final
