{#-
    The profile of each named GMM segment (int_membership_profiles, segmentation
    'segments'), in segment order.
-#}

with

profiles as (
    select * from {{ ref('int_membership_profiles') }}
),

definitions as (
    select * from {{ ref('segment_definitions') }}
),

final as (
    select {{ star_except('profiles', ref('int_membership_profiles'), ['segmentation']) }}
    from profiles
    inner join definitions
        on profiles.segment = definitions.segment
    where profiles.segmentation = 'segments'
    order by definitions.segment_order
)

select * from final
