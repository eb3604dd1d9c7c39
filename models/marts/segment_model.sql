{#-
    The fitted segment model, one row per parameter (its preparation, then the
    mixture): enough to audit the segmentation and to re-apply it without Python.
    Its post-hook creates the SQL scoring macros (score_segment,
    segment_probabilities, ...) in the database.
-#}
{{ config(post_hook="{{ create_segment_scoring_macros(this) }}") }}

select * from {{ ref('int_segment_parameters') }}
