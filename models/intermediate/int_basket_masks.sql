{#-
    The customers' baskets as bitmasks, one row per distinct basket with the number of
    customers who have exactly that basket. Bit b of word w (column mask_<w>) is the
    item whose int_basket_item_codes.item_code is 64 * w + b; there are as many words
    as 64 items need. This is what the bitmask miner of int_frequent_itemsets counts
    on: at a million customers about 160,000 distinct baskets instead of thirteen
    million (customer, item) rows.
    The masks are computed from the customers' columns directly, one pass with no
    grouping by customer: each column's value maps to its item's bit (the codes are
    read when the model compiles), so the long int_basket_items is never built for it
    (ten million customers: 130 million rows). assert_basket_masks_match_items checks
    every item's customers against int_basket_items.
-#}
-- depends_on: {{ ref('int_basket_item_codes') }}
{%- set item_columns = var('basket_item_columns') -%}
{%- set codes = {} -%}
{%- if execute -%}
    {%- set found = run_query(
        'select item, item_code from ' ~ ref('int_basket_item_codes') ~ ' order by item_code') -%}
    {%- for row in found.rows -%}
        {%- do codes.update({row[0]: row[1]}) -%}
    {%- endfor -%}
{%- endif -%}
{%- set n_words = [1, (codes | length + 63) // 64] | max -%}
{#- Per word, per column: the (value, bit) pairs of that column's items in the word. -#}
{%- set words = [] -%}
{%- for word in range(n_words) -%}
    {%- set per_column = [] -%}
    {%- for column in item_columns -%}
        {%- set pairs = [] -%}
        {%- for item, code in codes.items()
            if item.startswith(column ~ '=') and code // 64 == word -%}
            {%- do pairs.append((item[column | length + 1:], code % 64)) -%}
        {%- endfor -%}
        {%- if pairs -%}{%- do per_column.append((column, pairs)) -%}{%- endif -%}
    {%- endfor -%}
    {%- do words.append(per_column) -%}
{%- endfor %}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

baskets as (
    select
        {%- for per_column in words %}
        (0::ubigint
            {%- for column, pairs in per_column %}
            | case {{ column }}::varchar
                {%- for value, bit in pairs %}
                when '{{ value | replace("'", "''") }}' then {{ 2 ** bit }}::ubigint
                {%- endfor %}
                else 0::ubigint
            end
            {%- endfor %}
        ) as mask_{{ loop.index0 }},
        {%- endfor %}
    from customers
)

select
    {%- for word in range(n_words) %}
    mask_{{ word }},
    {%- endfor %}
    count(*) as customers,
from baskets
{#- A customer with no item (every item column NULL) has no basket, as in
    int_basket_items. #}
where not (
    {%- for word in range(n_words) %}
    mask_{{ word }} = 0{{ ' and' if not loop.last }}
    {%- endfor %}
)
group by all
