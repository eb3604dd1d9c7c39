{#-
    The profile of each cluster of every compared clustering at its selected k
    (int_membership_profiles, every segmentation but the named segments).
-#}

with

profiles as (
    select * from {{ ref('int_membership_profiles') }}
),

final as (
    select
        profiles.segmentation as clustering,
        profiles.segment::integer as cluster,
        {{ star_except(
            'profiles', ref('int_membership_profiles'), ['segmentation', 'segment']
        ) }}
    from profiles
    where profiles.segmentation != 'segments'
    order by clustering, cluster
)

select * from final
