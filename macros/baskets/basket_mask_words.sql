{#-
    The words of the basket bitmasks, [0, 1, ...]: as many as int_basket_item_bits
    needs (at least one), read when the calling model compiles ([0] at parse time).
    The caller declares `-- depends_on: {{ ref('int_basket_item_bits') }}`.
-#}
{% macro basket_mask_words() %}
    {%- if not execute -%}{{ return([0]) }}{%- endif -%}
    {%- set found = run_query(
        'select coalesce(max(mask_word), 0) + 1 from ' ~ ref('int_basket_item_bits')) -%}
    {{ return(range(found.rows[0][0] | int) | list) }}
{% endmacro %}
