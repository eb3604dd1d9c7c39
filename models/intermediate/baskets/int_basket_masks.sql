{#-
    The customers' baskets as bitmasks, one row per distinct basket with the number of
    customers who have exactly that basket. Each item sets its bit of
    int_basket_item_bits (bit b of word w, column mask_<w>, is item_code 64 * w + b);
    there are as many words as the items need. This is what the bitmask miner of
    int_frequent_itemsets counts on: at a million customers about 160,000 distinct
    baskets instead of thirteen million (customer, item) rows.
    The masks are computed from the customers' columns directly, one pass with no
    grouping by customer: each column's value maps to its item's bit (the bits are
    read when the model compiles), so the long int_basket_items is never built for it
    (ten million customers: 130 million rows). assert_basket_masks_match_items checks
    every item's customers against int_basket_items.
-#}
-- depends_on: {{ ref('int_basket_item_bits') }}
{%- set item_columns = feature_list('basket_item_columns') -%}
{%- set mask_words = basket_mask_words() -%}
{%- set bits = [] -%}
{%- if execute -%}
    {%- set found = run_query(
        'select item, mask_word, cast(mask_bit as ' ~ dbt.type_string() ~ ') from '
        ~ ref('int_basket_item_bits')
        ~ ' order by item_code') -%}
    {%- set bits = found.rows -%}
{%- endif -%}
{#- Per word, per column: the (value, bit) pairs of that column's items in the word. -#}
{%- set words = [] -%}
{%- for word in mask_words -%}
    {%- set per_column = [] -%}
    {%- for column in item_columns -%}
        {%- set pairs = [] -%}
        {%- for item, mask_word, mask_bit in bits
            if item.startswith(column ~ '=') and mask_word | int == word -%}
            {%- do pairs.append((item[column | length + 1:], mask_bit)) -%}
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
        (cast(0 as {{ mask_type() }})
            {%- for column, pairs in per_column %}
            | case cast({{ column }} as {{ dbt.type_string() }})
                {%- for value, bit in pairs %}
                when '{{ value | replace("'", "''") }}' then cast({{ bit }} as {{ mask_type() }})
                {%- endfor %}
                else cast(0 as {{ mask_type() }})
            end
            {%- endfor %}
        ) as mask_{{ loop.index0 }}{{ ',' if not loop.last }}
        {%- endfor %}
    from customers
)

select
    {%- for word in mask_words %}
    mask_{{ word }},
    {%- endfor %}
    count(*) as customers
from baskets
{#- A customer with no item (every item column NULL) has no basket, as in
    int_basket_items. #}
where not (
    {%- for word in mask_words %}
    mask_{{ word }} = 0{{ ' and' if not loop.last }}
    {%- endfor %}
)
group by all
