{#-
    Every kept customer's named GMM segment and the posterior probability of each
    segment, scored in SQL from int_segment_parameters (macro segment_scoring: the same
    arithmetic as the score_segment macro analysts use). The segment is the most
    probable component; ties go to the first in segment order.
-#}
{%- set features = var('segment_features') -%}
{%- if execute -%}
    {%- set scoring = segment_scoring(ref('int_segment_parameters')) -%}
{%- else -%}
    {#- Parse time: nothing fitted yet. The names and their order are the fitted
        model's (int_segment_parameters), never literals here. -#}
    {%- set scoring = {'log_densities': list_of(['cast(0 as double)']),
        'names': list_of(["''"]), 'segment_names': []} -%}
{%- endif %}
-- depends_on: {{ ref('int_segment_parameters') }}

with

features as (
    select
        customer_id,
        {{ features | join(', ') }}
    from {{ ref('int_customer_features') }}
),

scored as (
    select
        customer_id,
        {{ scoring.log_densities }} as log_densities
    from features
),

posteriors as (
    select
        customer_id,
        {{ list_position('log_densities', list_max('log_densities')) }} as component,
        {{ list_transform(
            'log_densities', 'value', 'exp(value - ' ~ list_max('log_densities') ~ ')'
        ) }} as weights
    from scored
),

final as (
    select
        customer_id,
        {{ list_element(scoring.names, 'component') }} as segment,
        {{ list_element('weights', 'component') }} / {{ list_sum('weights') }}
            as segment_probability
        {%- for name in scoring.segment_names %},
        {{ list_element('weights', loop.index) }} / {{ list_sum('weights') }}
            as probability_{{
            name | replace("'", '') | lower | replace(' ', '_') }}
        {%- endfor %}
    from posteriors
)

select * from final
