{#-
    One row per kept customer with the person it belongs to. Customers with equal
    values in every raw column but ID (one profile_group) are one person, exported
    once by customer_actions under the ID var export_duplicate_keep picks: lowest_id
    (the default) or highest_id. duplicate_customer_ids lists the person's other IDs.
-#}
{%- set keep = var('export_duplicate_keep') -%}
{%- if keep not in ['lowest_id', 'highest_id'] -%}
    {{ exceptions.raise_compiler_error(
        "var export_duplicate_keep is '" ~ keep ~ "': use lowest_id or highest_id "
        ~ "(which ID of a repeated profile customer_actions exports)") }}
{%- endif %}

with

customers as (
    select
        customer_id,
        profile_group
    from {{ ref('stg_customers') }}
),

grouped as (
    select
        customer_id,
        profile_group,
        first_value(customer_id) over (
            partition by profile_group
            order by customer_id {{ 'asc' if keep == 'lowest_id' else 'desc' }}
        ) as person_customer_id,
        count(*) over (partition by profile_group) as profile_customers
    from customers
),

{# The other IDs of each repeated profile: a self-join of the few repeated rows. #}
other_ids as (
    select
        grouped.customer_id,
        {{ list_join(
            list_agg('cast(others.customer_id as ' ~ dbt.type_string() ~ ')',
                'others.customer_id'),
            "'; '") }} as duplicate_customer_ids
    from grouped
    inner join grouped as others
        on grouped.profile_group = others.profile_group
        and grouped.customer_id != others.customer_id
    where grouped.profile_customers > 1
    group by grouped.customer_id
),

final as (
    select
        grouped.customer_id,
        grouped.person_customer_id,
        grouped.customer_id = grouped.person_customer_id as is_exported,
        grouped.profile_customers::integer as profile_customers,
        other_ids.duplicate_customer_ids
    from grouped
    left join other_ids
        on grouped.customer_id = other_ids.customer_id
)

select * from final
