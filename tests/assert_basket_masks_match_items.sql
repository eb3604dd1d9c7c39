{#-
    int_basket_masks holds every basket: its customers add up to the customers with
    at least one item, and for every item the customers whose mask has the item's bit
    (int_basket_item_bits) add up to the customers holding that item in
    int_basket_items (the masks are computed from the customers' columns, the items
    by unpivoting them: two paths).
    Returns the items (or the total, item NULL) whose counts differ.
-#}
{%- set mask_words = basket_mask_words() %}

with

mask_counts as (
    select
        bits.item,
        sum(masks.customers) as customers
    from {{ ref('int_basket_masks') }} as masks
    cross join {{ ref('int_basket_item_bits') }} as bits
    where (
        case bits.mask_word
            {%- for word in mask_words %}
            when {{ word }} then masks.mask_{{ word }}
            {%- endfor %}
        end & bits.mask_bit
    ) <> 0
    group by bits.item
    union all
    select
        null as item,
        coalesce(sum(customers), 0) as customers
    from {{ ref('int_basket_masks') }}
),

{# int_basket_items has one row per (customer, item): rows per item are its
    customers. The total is counted on the customers table (with at least one item):
    a count of distinct customers over the long rows costs ten times more. #}
item_counts as (
    select
        item,
        count(*) as customers
    from {{ ref('int_basket_items') }}
    group by item
    union all
    select
        null as item,
        count(*) as customers
    from {{ ref('customers') }}
    where false
        {%- for column in feature_list('basket_item_columns') %}
        or {{ column }} is not null
        {%- endfor %}
)

select
    coalesce(mask_counts.item, item_counts.item) as item,
    mask_counts.customers as mask_customers,
    item_counts.customers as item_customers
from mask_counts
full outer join item_counts
    on mask_counts.item is not distinct from item_counts.item
where mask_counts.customers is distinct from item_counts.customers
