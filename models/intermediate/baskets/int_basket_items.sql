{#-
    The customer attributes as a long "basket": one row per (customer, item), items
    written <column>=<value> (wines_segment=Biggest consumer, has_child=true). Which
    columns become items is the var basket_item_columns. A NULL value gives no item.
    A view: thirteen rows per customer (130 million at ten million customers) are
    cheaper to unpivot when read than to store; the default rules engine reads
    int_basket_masks, and only the item codes, the mlxtend engines and the tests
    read this.
-#}
{{ config(materialized='view') }}
{%- set item_columns = feature_list('basket_item_columns') -%}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

items as (
    {%- for column in item_columns %}
    select
        customer_id,
        '{{ column }}=' || cast({{ column }} as {{ dbt.type_string() }}) as item
    from customers
    where {{ column }} is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from items
