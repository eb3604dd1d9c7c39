{#-
    Where each basket item sits in the bitmasks: bit item_code % 64 of word
    item_code // 64 (column mask_<word> of int_basket_masks). The one definition of an
    item's bit: int_basket_masks sets it, the basket and rule tests read it.
-#}

with

codes as (
    select * from {{ ref('int_basket_item_codes') }}
),

final as (
    select
        item,
        item_code,
        cast({{ integer_divide('item_code', 64) }} as integer) as mask_word,
        {%- set one = 'cast(1 as ' ~ mask_type() ~ ')' %}
        cast({{ shift_left(one, 'item_code % 64') }} as {{ mask_type() }}) as mask_bit
    from codes
)

select * from final
