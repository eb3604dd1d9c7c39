{#-
    The campaign export loses no one: every kept customer is exported in
    customer_actions or listed in customer_duplicates under an exported ID, never
    both (tests/python/test_customer_scores.py checks that no two exported customers
    share a profile). Fails with the customers that break it. Only when the input
    makes the campaign export (has_response).
-#}
{{ config(enabled=has_response()) }}

with

exported as (
    select customer_id from {{ ref('customer_actions') }}
),

left_out as (
    select customer_id from {{ ref('customer_duplicates') }}
)

select
    customers.customer_id,
    'neither exported nor listed as a duplicate' as problem
from {{ ref('customers') }} as customers
where customers.customer_id not in (select exported.customer_id from exported)
    and customers.customer_id not in (select left_out.customer_id from left_out)

union all

select
    left_out.customer_id,
    'both exported and listed as a duplicate' as problem
from left_out
where left_out.customer_id in (select exported.customer_id from exported)
