{#-
    The IDs customer_actions does not export: a kept customer whose profile (every raw
    column but ID) repeats another's is one person with them, exported once under the
    ID var export_duplicate_keep picks. One row per customer left out, with the ID
    that stands for the person.
-#}

with

persons as (
    select * from {{ ref('int_customer_persons') }}
),

final as (
    select
        customer_id,
        person_customer_id as exported_customer_id,
        profile_customers,
        '{{ var('export_duplicate_keep') }}' as keep_rule
    from persons
    where not is_exported
)

select * from final
