{#-
    How far this build's customers have moved from the data the segment model was
    fitted on: for each segment feature (var segment_features) and for the segment
    shares, the population stability index (PSI) between the training profile
    (int_segment_model_profile: decile bins of the model's training sample and the
    segment shares among it, stored in the model file when the model is frozen) and
    every kept customer of this build, binned by the same edges.
    PSI = sum over bins of (current share - training share) * ln(current share /
    training share), shares floored at 0.0001 so that an empty bin counts as rare,
    not infinite. The usual reading: below 0.1 stable, 0.1 to 0.25 a moderate shift,
    above 0.25 a major shift (test segment_drift_psi_below_refit_threshold warns): refit
    the model on the new data.
-#}
{%- set features = var('segment_features') -%}
{%- set floor = 0.0001 -%}

with

profile as (
    select * from {{ ref('int_segment_model_profile') }}
),

features as (
    select * from {{ ref('int_customer_features') }}
),

segments as (
    select * from {{ ref('int_customer_segments') }}
),

edges as (
    select
        measure,
        {{ list_agg('upper_edge', 'bin', 'upper_edge is not null') }} as edges
    from profile
    where measure != 'segment'
    group by measure
),

current_bins as (
    {%- for feature in features %}
    select
        '{{ feature }}' as measure,
        {{ bin_position('features.' ~ feature, 'edges.edges') }} as bin
    from features
    inner join edges
        on edges.measure = '{{ feature }}'
    union all
    {%- endfor %}
    select
        'segment' as measure,
        profile.bin
    from segments
    inner join profile
        on profile.measure = 'segment'
        and segments.segment = profile.bin_label
),

current_counts as (
    select
        measure,
        bin::integer as bin,
        count(*) as current_customers
    from current_bins
    group by measure, bin
),

bins as (
    select
        profile.measure,
        profile.bin,
        profile.training_customers,
        coalesce(current_counts.current_customers, 0) as current_customers,
        greatest(profile.training_share, {{ double_literal(floor) }}) as training_share,
        greatest(
            coalesce(current_counts.current_customers, 0)
            / sum(coalesce(current_counts.current_customers, 0))
                over (partition by profile.measure),
            {{ double_literal(floor) }}
        ) as current_share
    from profile
    left join current_counts
        on profile.measure = current_counts.measure
        and profile.bin = current_counts.bin
),

drift as (
    select
        measure,
        count(*) as bins,
        sum(training_customers) as training_customers,
        sum(current_customers) as current_customers,
        {#- An exact sum in a fixed order: the same data gives the same bits. -#}
        {{ list_sum(list_agg(
            '(current_share - training_share) * ln(current_share / training_share)',
            'bin'
        )) }} as psi
    from bins
    group by measure
),

final as (
    select
        measure,
        case when measure = 'segment' then 'segment shares' else 'feature' end as kind,
        bins::integer as bins,
        training_customers::bigint as training_customers,
        current_customers::bigint as current_customers,
        psi,
        case
            when psi < 0.1 then 'stable'
            when psi <= 0.25 then 'moderate shift: watch'
            else 'major shift: refit the segment model'
        end as reading
    from drift
    order by kind, measure
)

select * from final
