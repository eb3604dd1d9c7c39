{#-
    The control group of the campaign: among the people var contact_policy selects
    (int_customer_actions.is_selected), a seeded random var control_share of each
    segment x action stratum is held out and never contacted, so that next month's
    export measures the campaign's uplift against it (campaign_readout).
    - A stratum of n selected people holds round(control_share x n) controls (halves
      up); a stratum where that is fewer than var control_min_size (5), or where it
      would leave nobody to contact, is too small to hold a control (a handful of
      controls can be neither balanced nor read): its people are all contacted, and
      control_group_balance names it.
    - Balanced by re-randomization: for each segment, up to var control_candidates
      seeded draws (draw d holds out, in each stratum, the people with the smallest
      seeded_hash of (customer_id, 'control', d)); the draw kept is the one whose
      largest standardized mean difference between held-out and contacted people,
      over income, spending, recency_days, seniority_months and response_probability
      (macro control_balance_features) (the difference of
      means over the feature's standard deviation among the segment's people in
      strata that hold a control, as control_group_balance reports it; it does not depend on the draw,
      as in Morgan and Rubin's re-randomization), is smallest (ties: the lowest
      draw). A segment of n people gets at most 1,000,000 / n draws, at least
      one: large groups are balanced by any draw, and the work stays bounded.
    - Sums are exact decimals, so the choice is the same on every engine and run.
    One row per selected person.
-#}
{%- set share = var('control_share') -%}
{%- if share is boolean or share is not number or share < 0 or share >= 1 -%}
    {{ exceptions.raise_compiler_error(
        "var control_share must be a number in [0, 1) (0.1 holds out a tenth of each "
        ~ "segment x action stratum; 0 holds out nobody); got " ~ share) }}
{%- endif -%}
{%- set candidates = var('control_candidates') -%}
{%- if candidates is boolean or candidates is not number or candidates < 1
    or candidates != candidates | int -%}
    {{ exceptions.raise_compiler_error(
        "var control_candidates must be a whole number of draws, at least 1; got "
        ~ candidates) }}
{%- endif -%}
{%- set min_size = var('control_min_size') -%}
{%- if min_size is boolean or min_size is not number or min_size < 1
    or min_size != min_size | int -%}
    {{ exceptions.raise_compiler_error(
        "var control_min_size must be a whole number of controls, at least 1; got "
        ~ min_size) }}
{%- endif -%}
{%- set features = control_balance_features() -%}

with

selected as (
    select
        customer_id,
        segment,
        action
        {%- for feature in features %},
        {{ feature }}
        {%- endfor %}
    from {{ ref('int_customer_actions') }}
    where is_selected
),

strata as (
    select
        segment,
        action,
        count(*) as stratum_size,
        cast(floor({{ share }} * count(*) + 0.5) as bigint) as control_size
    from selected
    group by segment, action
),

holding as (
    select
        segment,
        action,
        stratum_size,
        control_size,
        control_size >= {{ min_size }}
        and stratum_size - control_size >= 1 as holds_control
    from strata
),

{# The people of the strata that hold a control: the experiment. A stratum too small
    to hold one is contacted whole and measured by nothing, so it takes no part in
    the balance either (control_group_balance and campaign_readout leave it out of
    their segment and overall figures alike). #}
eligible as (
    select
        selected.*,
        holding.control_size
    from selected
    inner join holding
        on selected.segment = holding.segment
        and selected.action = holding.action
    where holding.holds_control
),

{# Each feature's standard deviation among the segment's people in the experiment
    (contacted and control together, so it does not depend on the draw), from exact
    sums. #}
segment_scales as (
    select
        segment,
        count(*) as segment_size,
        least(
            {{ candidates | int }},
            greatest(1, cast(floor(1000000 / count(*)) as bigint))
        ) as draws
        {%- for feature in features %},
        sqrt(greatest(
            cast(sum(cast({{ feature }} * {{ feature }} as decimal(38, 10))) as double)
            / count(*)
            - power(cast(sum(cast({{ feature }} as decimal(38, 10))) as double)
                / count(*), 2),
            0
        )) as scale_{{ feature }}
        {%- endfor %}
    from eligible
    group by segment
),

draw_numbers as (
    select {{ list_unnest(list_range(1, (candidates | int) + 1)) }} as draw
),

draws as (
    select
        eligible.customer_id,
        eligible.segment,
        eligible.action,
        eligible.control_size,
        draw_numbers.draw
        {%- for feature in features %},
        eligible.{{ feature }}
        {%- endfor %}
    from eligible
    inner join segment_scales
        on eligible.segment = segment_scales.segment
    inner join draw_numbers
        on segment_scales.draws >= draw_numbers.draw
),

drawn as (
    select
        *,
        row_number() over (
            partition by segment, action, draw
            order by
                {{ seeded_hash(['customer_id', "'control'", 'draw']) }},
                customer_id
        ) <= control_size as is_control
    from draws
),

draw_means as (
    select
        segment,
        draw
        {%- for feature in features %},
        cast(sum(cast({{ feature }} as decimal(38, 10)))
            filter (where is_control) as double)
            / count(*) filter (where is_control) as control_{{ feature }},
        cast(sum(cast({{ feature }} as decimal(38, 10)))
            filter (where not is_control) as double)
            / count(*) filter (where not is_control) as contacted_{{ feature }}
        {%- endfor %}
    from drawn
    group by segment, draw
),

{# The draw's imbalance: its largest standardized mean difference, the difference of
    the two groups' means over the segment's standard deviation (as
    control_group_balance reports it); a feature constant in the segment differs by
    nothing. #}
draw_imbalance as (
    select
        draw_means.segment,
        draw_means.draw,
        greatest(
            {%- for feature in features %}
            coalesce(abs(draw_means.control_{{ feature }}
                - draw_means.contacted_{{ feature }})
                / nullif(segment_scales.scale_{{ feature }}, 0), 0)
                {{- ',' if not loop.last }}
            {%- endfor %}
        ) as imbalance
    from draw_means
    inner join segment_scales
        on draw_means.segment = segment_scales.segment
),

chosen as (
    select
        segment,
        draw,
        imbalance,
        row_number() over (
            partition by segment order by imbalance asc, draw asc
        ) as choice
    from draw_imbalance
),

assigned as (
    select
        drawn.customer_id,
        drawn.draw as control_draw,
        drawn.is_control
    from drawn
    inner join chosen
        on drawn.segment = chosen.segment
        and drawn.draw = chosen.draw
        and chosen.choice = 1
),

final as (
    select
        selected.customer_id,
        selected.segment,
        selected.action,
        holding.stratum_size,
        holding.control_size,
        holding.holds_control,
        assigned.control_draw,
        coalesce(assigned.is_control, false) as is_control
    from selected
    inner join holding
        on selected.segment = holding.segment
        and selected.action = holding.action
    left join assigned
        on selected.customer_id = assigned.customer_id
)

select * from final
