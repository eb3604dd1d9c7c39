{#-
    Per segment, for the named GMM segments and for every clustering in
    customer_clusters ('segments' is the named GMM segmentation): size and share; mean, median, min and max of the key numbers;
    product mix (share of spend); channel mix (share of purchases); acceptance rate of
    each campaign and of the last one; complaint rate. One row per (segmentation,
    segment).

    Fast at a million customers: no join of every membership (customer x
    segmentation) with the wide customers, no aggregate over those rows. Each
    customer's segments under all segmentations are coded as one combination number
    (mixed radix, one digit per segmentation: the segment's 1-based rank, 0 = not in
    the segmentation; memberships are one row per customer and segmentation), the
    customers are aggregated once per combination (a few hundred) and the
    combinations roll up to every (segmentation, segment). Counts, sums, min and max
    add up exactly; means are sum / count as avg (sums of doubles only change order)
    and shares are ratios of exact integer sums.

    Medians are exact and equal to median(), quantile_cont(0.5): lower * 0.5 + upper *
    0.5 of the lower and upper middle values. Per number, counts per (combination,
    bucket) (median_buckets buckets of equal width; buckets keep the values' order)
    roll up to (segmentation, segment, bucket) and locate the bucket of each middle
    value and its rank there. The value is the bucket's min or max when that rank is
    first or last or the bucket holds one value; otherwise it is ranked among the
    segment's customers in that bucket only.
-#}
{%- set numbers = ['income', 'spending', 'seniority_months', 'age', 'children'] -%}
{%- set products = product_columns() -%}
{%- set channels = ['web', 'catalog', 'store', 'deal'] -%}
{%- set rates = {
    'acceptance_rate_campaign_1': 'accepted_campaign_1',
    'acceptance_rate_campaign_2': 'accepted_campaign_2',
    'acceptance_rate_campaign_3': 'accepted_campaign_3',
    'acceptance_rate_campaign_4': 'accepted_campaign_4',
    'acceptance_rate_campaign_5': 'accepted_campaign_5',
    'acceptance_rate_last_campaign': 'accepted_last_campaign',
    'complaint_rate': 'complained',
} -%}
{%- set summed = [] -%}
{%- for product in products %}{% do summed.append('amount_' ~ product) %}{% endfor -%}
{%- for channel in channels %}{% do summed.append(channel ~ '_purchases') %}{% endfor -%}
{%- do summed.append('total_purchases') -%}
{%- set median_buckets = 1024 -%}

with

customers as (
    select * from {{ ref('customers') }}
),

memberships as not materialized (
    select
        customer_id,
        clustering as segmentation,
        cluster_label as segment,
    from {{ ref('int_clustering_memberships') }}
),

segmentation_segments as (
    select distinct
        segmentation,
        segment,
    from memberships
),

segment_digits as (
    select
        segmentation,
        segment,
        dense_rank() over (partition by segmentation order by segment) as digit,
        count(*) over (partition by segmentation) + 1 as base,
    from segmentation_segments
),

segmentation_bases as (
    select distinct
        segmentation,
        base,
    from segment_digits
),

segmentation_radices as (
    select
        segmentation,
        base,
        coalesce(
            product(base) over (
                order by segmentation rows between unbounded preceding and 1 preceding
            ),
            1
        )::bigint as radix,
    from segmentation_bases
),

segment_codes as (
    select
        segment_digits.segmentation,
        segment_digits.segment,
        segment_digits.digit,
        segment_digits.base,
        segmentation_radices.radix,
    from segment_digits
    inner join segmentation_radices
        on segment_digits.segmentation = segmentation_radices.segmentation
),

customer_combinations as (
    select
        memberships.customer_id,
        sum(segment_codes.digit * segment_codes.radix)::bigint as combination,
    from memberships
    inner join segment_codes
        on memberships.segmentation = segment_codes.segmentation
        and memberships.segment is not distinct from segment_codes.segment
    group by memberships.customer_id
),

customer_values as materialized (
    select
        customer_combinations.combination,
        {%- for number in numbers %}
        customers.{{ number }},
        {%- endfor %}
        {%- for column in summed %}
        customers.{{ column }},
        {%- endfor %}
        {%- for rate, column in rates.items() if column != 'complained' %}
        customers.{{ column }},
        {%- endfor %}
        customers.has_complained::integer as complained,
    from customer_combinations
    inner join customers
        on customer_combinations.customer_id = customers.customer_id
),

combination_profiles as materialized (
    select
        combination,
        count(*) as customers,
        {%- for number in numbers %}
        count({{ number }}) as count_{{ number }},
        sum({{ number }}) as sum_{{ number }},
        min({{ number }}) as min_{{ number }},
        max({{ number }}) as max_{{ number }},
        {%- endfor %}
        {%- for column in summed %}
        sum({{ column }}) as sum_{{ column }},
        {%- endfor %}
        {%- for rate, column in rates.items() %}
        count({{ column }}) as count_{{ column }},
        sum({{ column }}) as sum_{{ column }},
        {%- endfor %}
    from customer_values
    group by combination
),

combination_segments as materialized (
    select
        combination_profiles.combination,
        segment_codes.segmentation,
        segment_codes.segment,
    from combination_profiles
    inner join segment_codes
        on (combination_profiles.combination // segment_codes.radix) % segment_codes.base
            = segment_codes.digit
),

profiles as (
    select
        combination_segments.segmentation,
        combination_segments.segment,
        sum(combination_profiles.customers)::bigint as customers,
        {%- for number in numbers %}
        sum(combination_profiles.sum_{{ number }})
            / sum(combination_profiles.count_{{ number }}) as mean_{{ number }},
        min(combination_profiles.min_{{ number }}) as min_{{ number }},
        max(combination_profiles.max_{{ number }}) as max_{{ number }},
        {%- endfor %}
        {%- for product in products %}
        {{ safe_divide('sum(combination_profiles.sum_amount_' ~ product ~ ')',
            'sum(combination_profiles.sum_spending)') }} as spend_share_{{ product }},
        {%- endfor %}
        {%- for channel in channels %}
        {{ safe_divide('sum(combination_profiles.sum_' ~ channel ~ '_purchases)',
            'sum(combination_profiles.sum_total_purchases)') }} as purchase_share_{{ channel }},
        {%- endfor %}
        {%- for rate, column in rates.items() %}
        sum(combination_profiles.sum_{{ column }})
            / sum(combination_profiles.count_{{ column }}) as {{ rate }},
        {%- endfor %}
    from combination_profiles
    inner join combination_segments
        on combination_profiles.combination = combination_segments.combination
    group by combination_segments.segmentation, combination_segments.segment
),

bucket_widths as (
    select
        {%- for number in numbers %}
        min(min_{{ number }})::double as low_{{ number }},
        (max(max_{{ number }})::double - min(min_{{ number }})::double)
            / {{ median_buckets }} as width_{{ number }},
        {%- endfor %}
    from combination_profiles
),

customer_buckets as (
    select
        customer_values.combination,
        {%- for number in numbers %}
        customer_values.{{ number }}::double as {{ number }},
        {{ equal_width_bucket('customer_values.' ~ number,
            'bucket_widths.low_' ~ number, 'bucket_widths.width_' ~ number) }}
            as bucket_{{ number }},
        {%- endfor %}
    from customer_values
    cross join bucket_widths
),

combination_buckets as (
    {%- for number in numbers %}
    select
        '{{ number }}' as number,
        combination,
        bucket_{{ number }} as bucket,
        count(*) as value_count,
        min({{ number }}) as low,
        max({{ number }}) as high,
    from customer_buckets
    where {{ number }} is not null
    group by combination, bucket_{{ number }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
),

segment_buckets as (
    select
        combination_buckets.number,
        combination_segments.segmentation,
        combination_segments.segment,
        combination_buckets.bucket,
        sum(combination_buckets.value_count) as value_count,
        min(combination_buckets.low) as low,
        max(combination_buckets.high) as high,
    from combination_buckets
    inner join combination_segments
        on combination_buckets.combination = combination_segments.combination
    group by all
),

bucket_positions as (
    select
        *,
        coalesce(
            sum(value_count) over (
                partition by number, segmentation, segment
                order by bucket
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as count_before,
        sum(value_count) over (partition by number, segmentation, segment) as total_count,
    from segment_buckets
),

middle_positions as (
    select
        *,
        (total_count - 1) // 2 + 1 as lower_position,
        total_count // 2 + 1 as upper_position,
    from bucket_positions
),

middle_ranks as (
    select
        *,
        'lower' as middle,
        lower_position - count_before as rank_in_bucket,
    from middle_positions
    where lower_position > count_before and lower_position <= count_before + value_count

    union all

    select
        *,
        'upper' as middle,
        upper_position - count_before as rank_in_bucket,
    from middle_positions
    where upper_position > count_before and upper_position <= count_before + value_count
),

middle_targets as (
    select
        number,
        segmentation,
        segment,
        middle,
        bucket,
        rank_in_bucket,
        case
            when rank_in_bucket = 1 then low
            when rank_in_bucket = value_count or low = high then high
        end as value,
    from middle_ranks
),

middle_searches as (
    select
        middle_targets.number,
        middle_targets.segmentation,
        middle_targets.segment,
        middle_targets.middle,
        middle_targets.bucket,
        middle_targets.rank_in_bucket,
        combination_segments.combination,
    from middle_targets
    inner join combination_segments
        on middle_targets.segmentation = combination_segments.segmentation
        and middle_targets.segment is not distinct from combination_segments.segment
    where middle_targets.value is null
),

middle_candidates as (
    {%- for number in numbers %}
    select
        middle_searches.number,
        middle_searches.segmentation,
        middle_searches.segment,
        middle_searches.middle,
        middle_searches.rank_in_bucket,
        customer_buckets.{{ number }} as value,
    from customer_buckets
    inner join middle_searches
        on customer_buckets.combination = middle_searches.combination
        and customer_buckets.bucket_{{ number }} = middle_searches.bucket
    where middle_searches.number = '{{ number }}'
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
),

middle_values as (
    select
        number,
        segmentation,
        segment,
        middle,
        value,
    from middle_targets
    where value is not null

    union all

    select
        number,
        segmentation,
        segment,
        middle,
        value,
    from middle_candidates
    qualify row_number() over (
        partition by number, segmentation, segment, middle
        order by value
    ) = rank_in_bucket
),

number_medians as (
    select
        number,
        segmentation,
        segment,
        max(value) filter (where middle = 'lower') as lower_value,
        max(value) filter (where middle = 'upper') as upper_value,
        lower_value * 0.5::double + upper_value * 0.5::double as median,
    from middle_values
    group by number, segmentation, segment
),

medians as (
    select
        segmentation,
        segment,
        {%- for number in numbers %}
        max(median) filter (where number = '{{ number }}') as median_{{ number }},
        {%- endfor %}
    from number_medians
    group by segmentation, segment
),

final as (
    select
        profiles.segmentation,
        profiles.segment,
        profiles.customers,
        profiles.customers
            / sum(profiles.customers) over (partition by profiles.segmentation)
            as customer_share,
        {%- for number in numbers %}
        profiles.mean_{{ number }},
        medians.median_{{ number }},
        profiles.min_{{ number }},
        profiles.max_{{ number }},
        {%- endfor %}
        {%- for product in products %}
        profiles.spend_share_{{ product }},
        {%- endfor %}
        {%- for channel in channels %}
        profiles.purchase_share_{{ channel }},
        {%- endfor %}
        {%- for rate in rates %}
        profiles.{{ rate }},
        {%- endfor %}
    from profiles
    left join medians
        on profiles.segmentation = medians.segmentation
        and profiles.segment is not distinct from medians.segment
)

select * from final
