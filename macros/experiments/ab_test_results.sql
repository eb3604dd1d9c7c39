{#-
    A SELECT evaluating an A/B test stored as (customer_id, variant, converted), one row
    per customer; converted is a boolean or 0/1 (NULL counts as not converted), rows of
    other variants are ignored. One row for all customers (segment 'All') and, when
    by_segment, one per customer segment, read through customer_id from
    segments_relation (default ref('customers')); customers missing there, or without
    a segment, fall in 'Unknown'.

    Per row: customers, conversions and conversion rate of each variant; absolute lift
    (treatment rate - control rate) and relative lift (absolute / control rate, NULL when
    the control rate is 0); the two-proportion z statistic (pooled standard error) and
    its two-sided p-value; the confidence interval of the absolute lift at `confidence`
    (unpooled standard error, normal quantile); is_significant when p < 1 - confidence.
    Statistics are NULL where undefined (a variant without customers, a standard error
    of 0).

    relation: a relation (ref, source) or any SQL table expression, e.g. a CTE name.
    confidence: a number in (0, 1), or a SQL expression (not checked).
    Example: {{ ab_test_results(ref('campaign_experiment'), by_segment=false) }}
-#}
{% macro ab_test_results(
    relation,
    control='A',
    treatment='B',
    by_segment=true,
    confidence=0.95,
    segments_relation=none
) %}
    {%- set fail = 'ab_test_results: ' -%}
    {%- if relation is none or (relation is string and relation | trim == '') -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "relation is required: the (customer_id, variant, converted) table") }}
    {%- endif -%}
    {%- for role, label in [('control', control), ('treatment', treatment)] -%}
        {%- if label is boolean or label is none
            or not (label is string or label is number)
            or (label ~ '') | trim == '' -%}
            {{ exceptions.raise_compiler_error(
                fail ~ role ~ " must be a variant label (a string or a number), got "
                ~ label) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if (control ~ '') == (treatment ~ '') -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "control and treatment are the same variant: " ~ control) }}
    {%- endif -%}
    {%- if by_segment is not boolean -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "by_segment must be true or false, got " ~ by_segment) }}
    {%- endif -%}
    {%- if confidence is string and confidence | trim != '' -%}
        {%- set confidence_sql = 'cast(' ~ confidence ~ ' as double)' -%}
    {%- elif confidence is number and confidence is not boolean
        and 0 < confidence < 1 -%}
        {%- set confidence_sql = 'cast(' ~ confidence ~ ' as double)' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "confidence must be a number between 0 and 1 (0.95 for 95%), got "
            ~ confidence) }}
    {%- endif -%}
    {%- if by_segment -%}
        {%- set segments_relation = segments_relation or ref('customers') -%}
    {%- endif -%}
    {%- set control_sql = "'" ~ (control ~ '') | replace("'", "''") ~ "'" -%}
    {%- set treatment_sql = "'" ~ (treatment ~ '') | replace("'", "''") ~ "'" -%}
    {#- the CTEs carry an ab_ prefix: the caller's own CTEs keep their names #}
    with

    ab_experiment as (
        select
            customer_id,
            cast(variant as {{ dbt.type_string() }}) as variant,
            coalesce(cast(converted as boolean), false) as is_converted
        from {{ relation }}
        where cast(variant as {{ dbt.type_string() }}) in ({{ control_sql }}, {{ treatment_sql }})
    ),
    {%- if by_segment %}

    ab_segments as (
        select
            customer_id,
            segment
        from {{ segments_relation }}
    ),
    {%- endif %}

    ab_experiment_segments as (
        select
            'All' as segment,
            variant,
            is_converted
        from ab_experiment
        {%- if by_segment %}

        union all

        select
            coalesce(ab_segments.segment, 'Unknown') as segment,
            ab_experiment.variant,
            ab_experiment.is_converted
        from ab_experiment
        left join ab_segments
            on ab_experiment.customer_id = ab_segments.customer_id
        {%- endif %}
    ),

    ab_counts as (
        select
            segment,
            count(*) filter (where variant = {{ control_sql }}) as control_customers,
            count(*) filter (
                where variant = {{ control_sql }} and is_converted
            ) as control_conversions,
            count(*) filter (where variant = {{ treatment_sql }}) as treatment_customers,
            count(*) filter (
                where variant = {{ treatment_sql }} and is_converted
            ) as treatment_conversions
        from ab_experiment_segments
        group by segment
    ),

    ab_rates as (
        select
            *,
            {{ safe_divide(
                'cast(control_conversions as double)', 'control_customers'
            ) }} as control_conversion_rate,
            {{ safe_divide(
                'cast(treatment_conversions as double)', 'treatment_customers'
            ) }} as treatment_conversion_rate,
            {{ safe_divide(
                'cast(control_conversions + treatment_conversions as double)',
                'control_customers + treatment_customers',
            ) }} as pooled_conversion_rate
        from ab_counts
    ),

    ab_standard_errors as (
        select
            *,
            treatment_conversion_rate - control_conversion_rate as absolute_lift,
            sqrt(
                pooled_conversion_rate * (1 - pooled_conversion_rate) * (
                    {{ safe_divide('1.0', 'control_customers') }}
                    + {{ safe_divide('1.0', 'treatment_customers') }}
                )
            ) as pooled_standard_error,
            sqrt(
                {{ safe_divide(
                    'control_conversion_rate * (1 - control_conversion_rate)',
                    'control_customers',
                ) }}
                + {{ safe_divide(
                    'treatment_conversion_rate * (1 - treatment_conversion_rate)',
                    'treatment_customers',
                ) }}
            ) as unpooled_standard_error,
            {{ normal_quantile('(1.0 + ' ~ confidence_sql ~ ') / 2.0') }}
                as critical_z
        from ab_rates
    ),

    ab_z_statistics as (
        select
            *,
            {{ safe_divide('absolute_lift', 'control_conversion_rate') }}
                as relative_lift,
            {{ safe_divide('absolute_lift', 'pooled_standard_error') }} as z_statistic
        from ab_standard_errors
    ),

    ab_tests as (
        select
            *,
            {#- two-sided: both tails, each computed as a lower tail (no 1 - x) #}
            2.0 * {{ normal_cdf('-abs(z_statistic)') }} as p_value,
            absolute_lift - critical_z * unpooled_standard_error as lift_ci_lower,
            absolute_lift + critical_z * unpooled_standard_error as lift_ci_upper
        from ab_z_statistics
    ),

    ab_results as (
        select
            segment,
            {{ control_sql }} as control_variant,
            {{ treatment_sql }} as treatment_variant,
            control_customers,
            control_conversions,
            control_conversion_rate,
            treatment_customers,
            treatment_conversions,
            treatment_conversion_rate,
            absolute_lift,
            relative_lift,
            z_statistic,
            p_value,
            {{ confidence_sql }} as confidence_level,
            lift_ci_lower,
            lift_ci_upper,
            p_value < 1 - {{ confidence_sql }} as is_significant
        from ab_tests
    )

    select * from ab_results
    order by
        case segment when 'All' then 0 when 'Unknown' then 2 else 1 end,
        segment
{% endmacro %}
