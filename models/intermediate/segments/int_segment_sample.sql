{#-
    The customers the segment model is fitted on: a seeded sample (macro
    seeded_sample) of at most segment_sample_size training customers, all of them
    when there are fewer. int_segment_model receives these rows only.
-#}
{{ config(materialized='view') }}

{{ seeded_sample(ref('int_segment_training'), var('segment_sample_size')) }}
