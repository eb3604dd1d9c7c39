{#-
    Is the control group like the people contacted? For the whole campaign (level
    overall), each segment (level segment) and each segment x action stratum (level
    stratum), and each balance feature (income, spending, recency_days,
    seniority_months, response_probability: macro control_balance_features): the
    people contacted and held out, each group's mean and
    standard deviation, and the standardized mean difference
    smd = (control mean - contacted mean) / sd_selected, sd_selected the feature's
    (population) standard deviation among the group's people, contacted and control
    together: it does not depend on the draw, as in re-randomization, and stays
    stable when the control group is small, whose own standard deviation is mostly
    noise. |smd| < 0.1 is balanced. A stratum too small to hold a control
    (int_control_assignment) has status 'too small to hold a control' and no control
    figures; its people, contacted whole and measured by nothing, are not in the
    overall and segment rows (the experiment is the strata that hold a control). Sums are exact decimals: rebuilds are
    equal to the last bit.
-#}
{%- set features = control_balance_features() -%}

with

people as (
    select
        controls.segment,
        controls.action,
        controls.is_control,
        controls.holds_control
        {%- for feature in features %},
        actions.{{ feature }}
        {%- endfor %}
    from {{ ref('int_control_assignment') }} as controls
    inner join {{ ref('int_customer_actions') }} as actions
        on controls.customer_id = actions.customer_id
),

long as (
    {%- for feature in features %}
    select
        segment,
        action,
        is_control,
        holds_control,
        '{{ feature }}' as feature,
        {{ loop.index }} as feature_order,
        cast({{ feature }} as double) as value
    from people
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{# Every row once per level it counts in: overall and segment cover the strata that
    hold a control. #}
levels as (
    {%- for level, segment, action in [
        ('overall', "'All'", "'All'"),
        ('segment', 'segment', "'All'"),
        ('stratum', 'segment', 'action'),
    ] %}
    select
        '{{ level }}' as level,
        {{ loop.index }} as level_order,
        {{ segment }} as segment,
        {{ action }} as action,
        is_control,
        holds_control,
        feature,
        feature_order,
        value
    from long
    {%- if level != 'stratum' %}
    where holds_control
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

means as (
    select
        level,
        level_order,
        segment,
        action,
        feature,
        feature_order,
        max(case when holds_control then 1 else 0 end) as holds_control,
        count(*) filter (where not is_control) as contacted,
        count(*) filter (where is_control) as controls,
        cast(sum(cast(value as decimal(38, 10))) filter (where not is_control) as double)
            / count(*) filter (where not is_control) as mean_contacted,
        cast(sum(cast(value as decimal(38, 10))) filter (where is_control) as double)
            / nullif(count(*) filter (where is_control), 0) as mean_control,
        cast(sum(cast(value as decimal(38, 10))) as double) / count(*) as mean_selected
    from levels
    group by level, level_order, segment, action, feature, feature_order
),

deviations as (
    select
        levels.level,
        levels.segment,
        levels.action,
        levels.feature,
        cast(sum(cast(
            power(levels.value - means.mean_contacted, 2) as decimal(38, 10)
        )) filter (where not levels.is_control) as double) as squares_contacted,
        cast(sum(cast(
            power(levels.value - means.mean_control, 2) as decimal(38, 10)
        )) filter (where levels.is_control) as double) as squares_control,
        cast(sum(cast(
            power(levels.value - means.mean_selected, 2) as decimal(38, 10)
        )) as double) as squares_selected
    from levels
    inner join means
        on levels.level = means.level
        and levels.segment = means.segment
        and levels.action = means.action
        and levels.feature = means.feature
    group by levels.level, levels.segment, levels.action, levels.feature
),

measured as (
    select
        means.*,
        sqrt(deviations.squares_contacted / means.contacted) as sd_contacted,
        sqrt(deviations.squares_control / nullif(means.controls, 0)) as sd_control,
        sqrt(deviations.squares_selected / (means.contacted + means.controls))
            as sd_selected
    from means
    inner join deviations
        on means.level = deviations.level
        and means.segment = deviations.segment
        and means.action = deviations.action
        and means.feature = deviations.feature
),

final as (
    select
        level,
        segment,
        action,
        feature,
        cast(contacted as bigint) as contacted,
        cast(controls as bigint) as controls,
        mean_contacted,
        mean_control,
        sd_contacted,
        sd_control,
        sd_selected,
        case
            when controls = 0 then null
            when sd_selected = 0 then 0.0
            else (mean_control - mean_contacted) / sd_selected
        end as smd,
        case
            when controls = 0 and level = 'stratum' then 'too small to hold a control'
            when controls = 0 then 'no control'
            when sd_selected > 0
                and abs(mean_control - mean_contacted) / sd_selected >= 0.1
                then 'not balanced'
            else 'balanced'
        end as status,
        level_order,
        feature_order
    from measured
)

select
    level,
    segment,
    action,
    feature,
    contacted,
    controls,
    mean_contacted,
    mean_control,
    sd_contacted,
    sd_control,
    sd_selected,
    smd,
    status
from final
order by level_order, segment, action, feature_order
