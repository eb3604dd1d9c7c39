{#-
    int_basket_masks holds every basket: its customers add up to the customers of
    int_basket_items, and its bits to the rows of int_basket_items (one per customer
    and item). Returns a row when either total differs.
-#}
{%- set words = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('int_basket_masks')) -%}
        {%- if column.name.startswith('mask_') -%}
            {%- do words.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

with

masks as (
    select
        coalesce(sum(customers), 0) as customers,
        coalesce(sum(customers * (
            {%- for word in words %}
            bit_count({{ word }}){{ ' +' if not loop.last }}
            {%- endfor %}
            {%- if not words %}0{% endif %}
        )), 0) as pairs,
    from {{ ref('int_basket_masks') }}
),

items as (
    select
        count(distinct customer_id) as customers,
        count(*) as pairs,
    from {{ ref('int_basket_items') }}
)

select
    masks.customers as mask_customers,
    items.customers as item_customers,
    masks.pairs as mask_pairs,
    items.pairs as item_pairs,
from masks
cross join items
where masks.customers is distinct from items.customers
    or masks.pairs is distinct from items.pairs
