{#-
    Did last month's campaign work? The previous snapshot of this build's history
    (macro previous_campaign) recorded whom that campaign contacted and whom it held
    out as control (customer_actions of that build); this export's last campaign
    response (accepted_last_campaign) is the response to it. Per segment x action
    stratum of last month (level stratum), per segment (level segment) and in total
    (level overall), over the strata that held a control (the experiment; a stratum
    too small to hold one was contacted whole and is not measured): the contacted
    and control customers found again in this export,
    their responders and response rates, the uplift (contacted rate - control rate)
    and the two-sided p-value (pooled two-proportion z-test): the A/B macro
    ab_test_results, contacted as treatment. The uplift's 95% interval is Newcombe's
    hybrid score interval (from the Wilson intervals of the two rates, macro
    wilson_bound): a control group of a few customers, all or none responding, does
    not give it width 0 as the Wald interval would.
    minimum_detectable_uplift is the smallest uplift these group sizes detect at the
    5% level with 80% power, (z(0.975) + z(0.8)) x sqrt(p (1 - p) (1/n_control +
    1/n_contacted)), p the pooled response rate. incremental_responders = uplift x
    contacted; incremental_profit = incremental_responders x mean revenue per
    response - the cost of the contacts (last month's economics). customers_lost:
    contacted or control customers of last month absent from this export (or rejected).
    No rows when there is no previous snapshot with a campaign: build_info says so.
-#}
{%- set contacted_lower = wilson_bound('readout_tests.treatment_conversions',
    'readout_tests.treatment_customers', 'quantiles.z_alpha', 'lower') -%}
{%- set contacted_upper = wilson_bound('readout_tests.treatment_conversions',
    'readout_tests.treatment_customers', 'quantiles.z_alpha', 'upper') -%}
{%- set control_lower = wilson_bound('readout_tests.control_conversions',
    'readout_tests.control_customers', 'quantiles.z_alpha', 'lower') -%}
{%- set control_upper = wilson_bound('readout_tests.control_conversions',
    'readout_tests.control_customers', 'quantiles.z_alpha', 'upper') -%}
{%- set pooled = '((readout_tests.control_conversions'
    ~ ' + readout_tests.treatment_conversions) / '
    ~ 'cast(readout_tests.control_customers'
    ~ ' + readout_tests.treatment_customers as double))' -%}
{%- set test_columns = [
    'control_customers', 'control_conversions', 'control_conversion_rate',
    'treatment_customers', 'treatment_conversions', 'treatment_conversion_rate',
    'absolute_lift', 'p_value', 'lift_ci_lower', 'lift_ci_upper', 'is_significant',
] -%}
{%- set readout_levels = [
    {'level': 'overall', 'tests': 'segment_tests', 'segment': "'All'",
        'action': "'All'", 'where': "segment_tests.segment = 'All'"},
    {'level': 'segment', 'tests': 'segment_tests', 'segment': 'segment_tests.segment',
        'action': "'All'", 'where': "segment_tests.segment not in ('All', 'Unknown')"},
    {'level': 'stratum', 'tests': 'stratum_tests', 'segment': 'strata.segment',
        'action': 'strata.action'},
] -%}

with

store as (
    select * from {{ ref('int_history_store') }}
),

previous as (
    select * from {{ previous_campaign(ref('int_history_store')) }}
),

assigned as (
    select
        previous.customer_id,
        previous.segment,
        previous.campaign_action as action,
        previous.campaign_is_control as is_control,
        previous.campaign_cost_per_contact as cost_per_contact,
        previous.campaign_revenue_per_response as revenue_per_response
    from previous
    where previous.campaign_contact or previous.campaign_is_control
),

{# The experiment: the strata that held a control. A stratum too small to hold one
    was contacted whole, with nothing to compare it with; pooled into its segment it
    would mix another population into the contacted side. #}
held as (
    select
        assigned.segment,
        assigned.action
    from assigned
    group by assigned.segment, assigned.action
    having max(case when assigned.is_control then 1 else 0 end) = 1
),

held_people as (
    select assigned.*
    from assigned
    inner join held
        on assigned.segment = held.segment
        and assigned.action = held.action
),

responses as (
    select
        customer_id,
        accepted_last_campaign
    from {{ ref('int_customer_features') }}
),

measured as (
    select
        assigned.*,
        responses.accepted_last_campaign,
        responses.customer_id is not null as is_found
    from held_people as assigned
    left join responses
        on assigned.customer_id = responses.customer_id
),

strata as (
    select
        segment,
        action,
        cast(row_number() over (order by segment, action) as {{ dbt.type_string() }})
            as stratum_key
    from (
        select distinct
            measured.segment,
            measured.action
        from measured
    ) as distinct_strata
),

found as (
    select
        measured.*,
        strata.stratum_key
    from measured
    inner join strata
        on measured.segment = strata.segment
        and measured.action = strata.action
    where measured.is_found
),

experiment as (
    select
        customer_id,
        case when is_control then 'control' else 'contacted' end as variant,
        accepted_last_campaign as converted
    from found
),

stratum_groups as (
    select
        customer_id,
        stratum_key as segment
    from found
),

segment_groups as (
    select
        customer_id,
        segment
    from found
),

stratum_tests as (
    {{ ab_test_results('experiment', control='control', treatment='contacted',
        segments_relation='stratum_groups') }}
),

segment_tests as (
    {{ ab_test_results('experiment', control='control', treatment='contacted',
        segments_relation='segment_groups') }}
),

{# The three levels, one branch each, the A/B figures alike. #}
readout_tests as (
    {%- for spec in readout_levels %}
    select
        '{{ spec.level }}' as level,
        {{ loop.index }} as level_order,
        {{ spec.segment }} as segment,
        {{ spec.action }} as action
        {%- for column in test_columns %},
        {{ spec.tests }}.{{ column }}
        {%- endfor %}
    from {{ spec.tests }}
    {%- if spec.level == 'stratum' %}
    inner join strata
        on stratum_tests.segment = strata.stratum_key
    {%- else %}
    where {{ spec.where }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{# Lost customers and money, per level: the same three groupings. #}
money_rows as (
    select
        'overall' as level,
        'All' as level_segment,
        'All' as level_action,
        is_found,
        is_control,
        cost_per_contact,
        revenue_per_response
    from measured
    union all
    select
        'segment' as level,
        segment as level_segment,
        'All' as level_action,
        is_found,
        is_control,
        cost_per_contact,
        revenue_per_response
    from measured
    union all
    select
        'stratum' as level,
        segment as level_segment,
        action as level_action,
        is_found,
        is_control,
        cost_per_contact,
        revenue_per_response
    from measured
),

money as (
    select
        level,
        level_segment as segment,
        level_action as action,
        count(*) filter (where not is_found) as customers_lost,
        cast(sum(cast(cost_per_contact as decimal(38, 10)))
            filter (where is_found and not is_control) as double) as contact_cost,
        cast(sum(cast(revenue_per_response as decimal(38, 10)))
            filter (where is_found and not is_control) as double)
            / count(*) filter (where is_found and not is_control)
            as mean_revenue_per_response
    from money_rows
    group by level, level_segment, level_action
),

quantiles as (
    select
        {{ normal_quantile('0.975') }} as z_alpha,
        {{ normal_quantile('0.8') }} as z_power
),

final as (
    select
        readout_tests.level,
        readout_tests.segment,
        readout_tests.action,
        store.previous_snapshot_date as campaign_snapshot_date,
        store.snapshot_date as readout_snapshot_date,
        cast(readout_tests.treatment_customers as bigint) as contacted,
        cast(readout_tests.treatment_conversions as bigint) as contacted_responders,
        readout_tests.treatment_conversion_rate as contacted_response_rate,
        cast(readout_tests.control_customers as bigint) as control,
        cast(readout_tests.control_conversions as bigint) as control_responders,
        readout_tests.control_conversion_rate as control_response_rate,
        readout_tests.absolute_lift as uplift,
        readout_tests.absolute_lift - sqrt(
            power(readout_tests.treatment_conversion_rate - {{ contacted_lower }}, 2)
            + power({{ control_upper }} - readout_tests.control_conversion_rate, 2)
        ) as uplift_ci_lower,
        readout_tests.absolute_lift + sqrt(
            power({{ contacted_upper }} - readout_tests.treatment_conversion_rate, 2)
            + power(readout_tests.control_conversion_rate - {{ control_lower }}, 2)
        ) as uplift_ci_upper,
        readout_tests.p_value,
        readout_tests.is_significant,
        (quantiles.z_alpha + quantiles.z_power) * sqrt(
            {{ pooled }} * (1 - {{ pooled }})
            * ({{ safe_divide('1.0', 'readout_tests.control_customers') }}
                + {{ safe_divide('1.0', 'readout_tests.treatment_customers') }})
        ) as minimum_detectable_uplift,
        readout_tests.absolute_lift * readout_tests.treatment_customers
            as incremental_responders,
        readout_tests.absolute_lift * readout_tests.treatment_customers
            * money.mean_revenue_per_response
            - money.contact_cost as incremental_profit,
        cast(money.customers_lost as bigint) as customers_lost,
        readout_tests.level_order
    from readout_tests
    inner join money
        on readout_tests.level = money.level
        and readout_tests.segment = money.segment
        and readout_tests.action = money.action
    cross join store
    cross join quantiles
)

select
    level,
    segment,
    action,
    campaign_snapshot_date,
    readout_snapshot_date,
    contacted,
    contacted_responders,
    contacted_response_rate,
    control,
    control_responders,
    control_response_rate,
    uplift,
    uplift_ci_lower,
    uplift_ci_upper,
    p_value,
    is_significant,
    minimum_detectable_uplift,
    incremental_responders,
    incremental_profit,
    customers_lost
from final
order by level_order, segment, action
