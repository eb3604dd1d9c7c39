{#-
    The customers the segment model's stability is measured on (int_segment_stability):
    a seeded sample (macro seeded_sample) of at most stability_sample_size training
    customers, all of them when there are fewer.
-#}
{{ config(materialized='view') }}

{{ seeded_sample(ref('int_segment_training'), var('stability_sample_size')) }}
