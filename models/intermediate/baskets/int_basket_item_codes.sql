{#-
    Every distinct basket item with a code: 0 for the first item by name, 1 for the
    next, ... int_basket_masks sets bit item_code of a basket's bitmask.
-#}

with

items as (
    select distinct item from {{ ref('int_basket_items') }}
)

select
    item,
    (row_number() over (order by item) - 1)::integer as item_code
from items
