{#-
    The customers the response model is fitted on: a seeded sample (macro
    seeded_sample) of at most var response_sample_size customers outside the holdout,
    all of them when there are fewer. int_response_model receives these rows only.
-#}
{{ config(materialized='view') }}

with

training as (
    select * from {{ ref('int_response_features') }}
    where not is_holdout
),

sampled as (
    {{ seeded_sample('training', var('response_sample_size')) }}
)

select * from sampled
