{#-
    An aggregate select list: the bitmask words of a group of items (a basket, an
    itemset), one column <prefix><word> per word of `mask_words` (macro
    basket_mask_words), each the OR of the group's item bits in that word (columns
    mask_word and mask_bit of int_basket_item_bits, in scope as `bits`), 0 without
    any. `condition` limits the items counted. Each column comes after a comma, so
    the list follows another column.
-#}
{% macro basket_word_masks(
    mask_words, prefix='mask_', condition='true', bits='item_bits'
) %}
    {%- for word in mask_words %},
        coalesce(
            bit_or({{ bits }}.mask_bit) filter (
                where {{ condition }} and {{ bits }}.mask_word = {{ word }}
            ),
            cast(0 as {{ mask_type() }})
        ) as {{ prefix }}{{ word }}
    {%- endfor %}
{% endmacro %}
