{#-
    Per segment, for the named GMM segments and for every clustering in
    customer_clusters ('segments' is the named GMM segmentation): size and share; mean, median, min and max of the key numbers;
    product mix (share of spend); channel mix (share of purchases); acceptance rate of
    each campaign and of the last one; complaint rate. One row per (segmentation,
    segment).
-#}
{%- set numbers = ['income', 'spending', 'seniority_months', 'age', 'children'] -%}
{%- set products = product_columns() -%}

with

customers as (
    select * from {{ ref('customers') }}
),

memberships as (
    select
        customer_id,
        clustering as segmentation,
        cluster_label as segment,
    from {{ ref('int_clustering_memberships') }}
),

profiles as (
    select
        memberships.segmentation,
        memberships.segment,
        count(*) as customers,
        {%- for number in numbers %}
        avg(customers.{{ number }}) as mean_{{ number }},
        median(customers.{{ number }}) as median_{{ number }},
        min(customers.{{ number }}) as min_{{ number }},
        max(customers.{{ number }}) as max_{{ number }},
        {%- endfor %}
        {%- for product in products %}
        {{ safe_divide('sum(customers.amount_' ~ product ~ ')', 'sum(customers.spending)') }}
            as spend_share_{{ product }},
        {%- endfor %}
        {%- for channel in ['web', 'catalog', 'store', 'deal'] %}
        {{ safe_divide('sum(customers.' ~ channel ~ '_purchases)',
            'sum(customers.total_purchases)') }} as purchase_share_{{ channel }},
        {%- endfor %}
        {%- for campaign in range(1, 6) %}
        avg(customers.accepted_campaign_{{ campaign }}) as acceptance_rate_campaign_{{ campaign }},
        {%- endfor %}
        avg(customers.accepted_last_campaign) as acceptance_rate_last_campaign,
        avg(customers.has_complained::integer) as complaint_rate,
    from memberships
    inner join customers
        on memberships.customer_id = customers.customer_id
    group by memberships.segmentation, memberships.segment
),

final as (
    select
        segmentation,
        segment,
        customers,
        customers / sum(customers) over (partition by segmentation) as customer_share,
        * exclude (segmentation, segment, customers),
    from profiles
)

select * from final
