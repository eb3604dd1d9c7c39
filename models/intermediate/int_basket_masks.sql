{#-
    The baskets of int_basket_items as bitmasks, one row per distinct basket with the
    number of customers who have exactly that basket. Bit b of word w (column
    mask_<w>) is the item whose int_basket_item_codes.item_code is 64 * w + b; there
    are as many words as 64 items need. This is what the bitmask miner of
    int_frequent_itemsets counts on: at a million customers a few hundred thousand
    distinct baskets instead of thirteen million (customer, item) rows.
-#}
{%- set n_items = 1 -%}
{%- if execute -%}
    {%- set n_items = run_query(
        'select count(*) from ' ~ ref('int_basket_item_codes')).columns[0].values()[0] -%}
{%- endif -%}
{%- set n_words = [1, (n_items + 63) // 64] | max -%}

with

codes as (
    select * from {{ ref('int_basket_item_codes') }}
),

baskets as (
    select
        basket_items.customer_id,
        {%- for word in range(n_words) %}
        bit_or(
            case
                when codes.item_code // 64 = {{ word }}
                    then 1::ubigint << (codes.item_code % 64)::ubigint
                else 0::ubigint
            end
        ) as mask_{{ word }},
        {%- endfor %}
    from {{ ref('int_basket_items') }} as basket_items
    inner join codes on basket_items.item = codes.item
    group by basket_items.customer_id
)

select
    {%- for word in range(n_words) %}
    mask_{{ word }},
    {%- endfor %}
    count(*) as customers,
from baskets
group by all
