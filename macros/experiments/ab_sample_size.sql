{#-
    A SQL expression (bigint): customers needed in each variant for a two-sided
    two-proportion z-test at level alpha to detect, with the given power, a change of
    the conversion rate from baseline_rate (p1) to p2 = p1 * (1 + lift) when relative,
    p1 + lift otherwise:
        n = ceil((z(1 - alpha/2) * sqrt(2 pbar (1 - pbar))
                  + z(power) * sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2),
    pbar = (p1 + p2) / 2, z the standard normal quantile.
    Numbers are checked at compile time; a string is taken as a SQL expression (e.g. a
    column: one size per segment) and gives NULL where p1 or p2 is outside (0, 1) or
    the lift is 0.
    Example: select {{ ab_sample_size(0.10, 0.2) }} as customers_per_variant  -- 3841
-#}
{% macro ab_sample_size(
    baseline_rate,
    minimum_detectable_lift,
    alpha=0.05,
    power=0.8,
    relative=true
) %}
    {%- set fail = 'ab_sample_size: ' -%}
    {%- set arguments = {
        'baseline_rate': baseline_rate,
        'minimum_detectable_lift': minimum_detectable_lift,
        'alpha': alpha,
        'power': power,
    } -%}
    {%- for name, value in arguments.items() -%}
        {%- if value is boolean or value is none
            or not (value is number or value is string)
            or (value is string and value | trim == '') -%}
            {{ exceptions.raise_compiler_error(
                fail ~ name ~ " must be a number or a SQL expression, got " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if relative is not boolean -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "relative must be true (lift as a share of the baseline rate) or "
            ~ "false (in rate points), got " ~ relative) }}
    {%- endif -%}
    {%- for name in ['baseline_rate', 'alpha', 'power'] -%}
        {%- set value = arguments[name] -%}
        {%- if value is number and not (0 < value < 1) -%}
            {{ exceptions.raise_compiler_error(
                fail ~ name ~ " must be between 0 and 1 (exclusive), got " ~ value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if minimum_detectable_lift is number and minimum_detectable_lift == 0 -%}
        {{ exceptions.raise_compiler_error(
            fail ~ "minimum_detectable_lift must not be 0") }}
    {%- endif -%}
    {%- if baseline_rate is number and minimum_detectable_lift is number -%}
        {%- set target_rate = baseline_rate * (1 + minimum_detectable_lift) if relative
            else baseline_rate + minimum_detectable_lift -%}
        {%- if not (0 < target_rate < 1) -%}
            {{ exceptions.raise_compiler_error(
                fail ~ "the rate to detect, " ~ target_rate ~ ", is outside (0, 1): "
                ~ "baseline_rate " ~ baseline_rate ~ " with a "
                ~ ("relative" if relative else "absolute") ~ " lift of "
                ~ minimum_detectable_lift) }}
        {%- endif -%}
    {%- endif -%}
    {%- set p1 = '(cast(' ~ baseline_rate ~ ' as double))' -%}
    {%- set lift = '(cast(' ~ minimum_detectable_lift ~ ' as double))' -%}
    {%- if relative -%}
        {%- set p2 = '(' ~ p1 ~ ' * (1.0 + ' ~ lift ~ '))' -%}
    {%- else -%}
        {%- set p2 = '(' ~ p1 ~ ' + ' ~ lift ~ ')' -%}
    {%- endif -%}
    {%- set pbar = '((' ~ p1 ~ ' + ' ~ p2 ~ ') / 2.0)' -%}
    (case
        when {{ p1 }} > 0 and {{ p1 }} < 1 and {{ p2 }} > 0 and {{ p2 }} < 1
            and {{ p2 }} <> {{ p1 }}
            then cast(ceil(
                power(
                    {{ normal_quantile('1.0 - cast(' ~ alpha ~ ' as double) / 2.0') }}
                        * sqrt(2.0 * {{ pbar }} * (1.0 - {{ pbar }}))
                    + {{ normal_quantile(power) }}
                        * sqrt({{ p1 }} * (1.0 - {{ p1 }}) + {{ p2 }} * (1.0 - {{ p2 }})),
                    2
                ) / power({{ p2 }} - {{ p1 }}, 2)
            ) as bigint)
    end)
{%- endmacro %}
