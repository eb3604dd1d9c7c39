{#- Frequent itemsets of the customers' attribute baskets (int_frequent_itemsets). -#}

with

itemsets as (
    select * from {{ ref('int_frequent_itemsets') }}
),

final as (
    select
        cast(itemset as {{ list_type(dbt.type_string()) }}) as itemset,
        {{ list_join('cast(itemset as ' ~ list_type(dbt.type_string()) ~ ')', "' & '") }}
            as itemset_label,
        length::integer as length,
        support::double as support,
        customers::bigint as customers
    from itemsets
)

select * from final
