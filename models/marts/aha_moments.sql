{#-
    The actions that mark a valuable customer. For each behaviour and each threshold
    t among its observed values: the share of high-value customers (value_tier high
    in seed segment_definitions) among customers with the behaviour above t, against
    those at or below
    t. The aha moment of a behaviour is the threshold where that share rises most
    (largest difference above minus at-or-below), with at least var
    aha_min_customer_share of the customers on each side. Counts are aggregated
    first, so the cost does not grow with the number of thresholds tried. A behaviour
    whose best threshold still lowers the share (more web visits, say, mark the
    low-value customers) has is_aha_moment false.
-#}
{#- The behaviours the input contract gives: web visits, each channel's purchases,
    deals, campaigns accepted. -#}
{%- set behaviours = [] -%}
{%- if input_has('web_visits_month') -%}
    {%- do behaviours.append('web_visits_month') -%}
{%- endif -%}
{%- for channel in input_list('channels') -%}
    {%- do behaviours.append(channel ~ '_purchases') -%}
{%- endfor -%}
{%- if input_has('deal_purchases') -%}
    {%- do behaviours.append('deal_purchases') -%}
{%- endif -%}
{%- if input_has('campaigns') -%}
    {%- do behaviours.append('total_campaigns_accepted') -%}
{%- endif -%}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

segment_definitions as (
    select * from {{ ref('segment_definitions') }}
),

customer_tiers as (
    select
        {%- for behaviour in behaviours %}
        customers.{{ behaviour }},
        {%- endfor %}
        coalesce(segment_definitions.value_tier = 'high', false) as is_high_value
    from customers
    left join segment_definitions
        on customers.segment = segment_definitions.segment
),

counts as (
    {%- for behaviour in behaviours %}
    select
        '{{ behaviour }}' as behaviour,
        {{ behaviour }}::double as value,
        count(*) as customers,
        count(*) filter (where is_high_value) as high_value_customers
    from customer_tiers
    group by {{ behaviour }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

cumulative as (
    select
        behaviour,
        value as threshold,
        sum(customers) over (partition by behaviour order by value)
            as customers_at_or_below,
        sum(high_value_customers) over (partition by behaviour order by value)
            as high_value_at_or_below,
        sum(customers) over (partition by behaviour) as customers_total,
        sum(high_value_customers) over (partition by behaviour) as high_value_total
    from counts
),

candidates as (
    select
        behaviour,
        threshold,
        {{ dbt.cast('customers_total - customers_at_or_below', 'hugeint') }}
            as customers_above,
        (high_value_total - high_value_at_or_below)
            / (customers_total - customers_at_or_below) as high_value_share_above,
        high_value_at_or_below / customers_at_or_below as high_value_share_at_or_below,
        high_value_total / customers_total as base_rate,
        customers_total
    from cumulative
    where customers_at_or_below >= {{ var('aha_min_customer_share') }} * customers_total
        and customers_total - customers_at_or_below
            >= {{ var('aha_min_customer_share') }} * customers_total
),

final as (
    select
        behaviour,
        threshold,
        customers_above,
        cast(customers_above as double) / customers_total as customer_share_above,
        high_value_share_above,
        high_value_share_at_or_below,
        base_rate,
        high_value_share_above / base_rate as lift,
        high_value_share_above - high_value_share_at_or_below as share_increase,
        high_value_share_above > high_value_share_at_or_below as is_aha_moment
    from candidates
    qualify row_number() over (
        partition by behaviour
        order by high_value_share_above - high_value_share_at_or_below desc, threshold
    ) = 1
)

select * from final
