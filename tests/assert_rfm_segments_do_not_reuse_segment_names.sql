{#-
    An RFM group (seed rfm_segments) must not carry a named segment's name (seed
    segment_definitions): customer_actions and customer_scores hold both, and one value
    must not mean two things in one table. Fails with each name used by both.
-#}

select rfm_segments.rfm_segment
from {{ ref('rfm_segments') }} as rfm_segments
inner join {{ ref('segment_definitions') }} as segment_definitions
    on lower(rfm_segments.rfm_segment) = lower(segment_definitions.segment)
