{#- Frequent itemsets of the customers' attribute baskets (int_frequent_itemsets). -#}

with

itemsets as (
    select * from {{ ref('int_frequent_itemsets') }}
),

final as (
    select
        itemset::varchar[] as itemset,
        array_to_string(itemset::varchar[], ' & ') as itemset_label,
        length::integer as length,
        support::double as support,
        customers::bigint as customers
    from itemsets
)

select * from final
