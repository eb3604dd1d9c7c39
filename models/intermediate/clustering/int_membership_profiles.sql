{#-
    Per segment, for the named GMM segments and for every clustering in
    customer_clusters ('segments' is the named GMM segmentation): size and share; mean,
    median, min and max of the key numbers; product mix (share of spend); channel mix
    (share of purchases); acceptance rate of each campaign and of the last one;
    complaint rate. One row per (segmentation, segment): the memberships (one row per
    customer and segmentation) joined to the customer columns, grouped.

    The join is a materialized CTE: otherwise DuckDB pushes the aggregates below the
    join (one median state per customer, then combined), several times slower.

    Medians are DuckDB's exact median() (quantile_cont 0.5). Shares and rates are
    ratios of integer sums.

    Means are exact sums divided by counts, so that two builds of the same data are
    bit-identical: avg() of doubles sums in parallel in a varying order and differed in
    the last bits. The integer columns sum exactly as integers; seniority_months is
    days / 30, so its mean is the mean of the integer day count divided by 30; income
    (whole amounts, or halves where imputed as a median) sums as decimal(38, 6), exact
    for any amount with up to six decimals.

    The marts split it: segment_profiles holds the named segments, cluster_profiles
    the compared clusterings, so that no table mixes the two.
-#}
{%- set products = input_list('products') -%}
{%- set channels = input_list('channels') -%}
{%- if channels and input_has('deal_purchases') -%}
    {%- set channels = channels + ['deal'] -%}
{%- endif -%}
{%- set rates = {} -%}
{%- for campaign in input_list('campaigns') -%}
    {%- do rates.update({'acceptance_rate_' ~ campaign: 'accepted_' ~ campaign}) -%}
{%- endfor -%}
{%- if input_has('accepted_last_campaign') -%}
    {%- do rates.update({'acceptance_rate_last_campaign': 'accepted_last_campaign'}) -%}
{%- endif -%}
{%- if input_has('has_complained') -%}
    {%- do rates.update({'complaint_rate': 'complained'}) -%}
{%- endif -%}
{#- number: its exact mean, an exact sum / count (the contract's numeric features as
    decimal(38, 6) sums, like income) -#}
{%- set numbers = {} -%}
{%- if input_has('income') -%}
    {%- do numbers.update({'income':
        'cast(sum(cast(income as decimal(38, 6))) as double) / count(income)'}) -%}
{%- endif -%}
{%- if products -%}
    {%- do numbers.update({'spending': 'sum(spending) / count(spending)'}) -%}
{%- endif -%}
{%- if input_has('enrolled_on') -%}
    {%- do numbers.update({'seniority_months':
        'sum(seniority_days) / count(seniority_days) / 30e0'}) -%}
{%- endif -%}
{%- if input_has('age') -%}
    {%- do numbers.update({'age': 'sum(age) / count(age)'}) -%}
{%- endif -%}
{%- if input_has('children') -%}
    {%- do numbers.update({'children': 'sum(children) / count(children)'}) -%}
{%- endif -%}
{%- for column in input_contract().columns
    if column.list == 'features' and column.kind != 'text' -%}
    {%- do numbers.update({column.name: 'cast(sum(cast(' ~ column.name
        ~ ' as decimal(38, 6))) as double) / count(' ~ column.name ~ ')'}) -%}
{%- endfor -%}

with

customers as (
    select * from {{ ref('int_customers_enriched') }}
),

memberships as (
    select * from {{ ref('int_clustering_memberships') }}
),

customer_memberships as {{ materialized_cte() }} (
    select
        memberships.clustering as segmentation,
        memberships.cluster_label as segment,
        {%- for number in numbers %}
        customers.{{ number }},
        {%- endfor %}
        {%- if input_has('enrolled_on') %}
        {{ dbt.datediff('customers.enrolled_on', 'customers.reference_date', 'day') }}
            as seniority_days,
        {%- endif %}
        {%- for product in products %}
        customers.amount_{{ product }},
        {%- endfor %}
        {%- for channel in channels %}
        customers.{{ channel }}_purchases,
        {%- endfor %}
        {%- if channels %}
        customers.total_purchases,
        {%- endif %}
        {%- for rate, column in rates.items() if column != 'complained' %}
        customers.{{ column }},
        {%- endfor %}
        {%- if 'complaint_rate' in rates %}
        customers.has_complained::integer as complained,
        {%- endif %}
        memberships.customer_id
    from memberships
    inner join customers
        on memberships.customer_id = customers.customer_id
),

profiles as (
    select
        segmentation,
        segment,
        count(*) as customers,
        {%- for number, mean in numbers.items() %}
        {{ mean }} as mean_{{ number }},
        median({{ number }})::double as median_{{ number }},
        min({{ number }}) as min_{{ number }},
        max({{ number }}) as max_{{ number }},
        {%- endfor %}
        {%- for product in products %}
        {{ safe_divide('sum(amount_' ~ product ~ ')', 'sum(spending)') }}
            as spend_share_{{ product }},
        {%- endfor %}
        {%- for channel in channels %}
        {{ safe_divide('sum(' ~ channel ~ '_purchases)', 'sum(total_purchases)') }}
            as purchase_share_{{ channel }},
        {%- endfor %}
        {%- for rate, column in rates.items() %}
        sum({{ column }}) / count({{ column }}) as {{ rate }},
        {%- endfor %}
        count(*) as memberships
    from customer_memberships
    group by segmentation, segment
),

{%- set profile_columns = [] -%}
{%- for number in numbers -%}
    {%- do profile_columns.extend(['mean_' ~ number, 'median_' ~ number,
        'min_' ~ number, 'max_' ~ number]) -%}
{%- endfor -%}
{%- for product in products -%}
    {%- do profile_columns.append('spend_share_' ~ product) -%}
{%- endfor -%}
{%- for channel in channels -%}
    {%- do profile_columns.append('purchase_share_' ~ channel) -%}
{%- endfor -%}
{%- do profile_columns.extend(rates.keys() | list) %}

final as (
    select
        segmentation,
        segment,
        customers,
        customers / sum(customers) over (partition by segmentation) as customer_share
        {%- for column in profile_columns %},
        {{ column }}
        {%- endfor %}
    from profiles
)

select * from final
