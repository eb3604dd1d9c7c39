{#-
    A bound of the Wilson score interval of a proportion, successes of trials, at the
    standard normal quantile z (SQL expressions): (p + z^2/(2n) -/+ z sqrt(p (1 - p) / n
    + z^2 / (4 n^2))) / (1 + z^2 / n), p = successes / n; side 'lower' or 'upper'.
    NULL without trials. Unlike p -/+ z sqrt(p (1 - p) / n), it keeps its coverage for
    small groups and rates near 0 or 1 (it never has width 0). campaign_readout builds
    Newcombe's interval of a difference of two rates from it.
-#}
{% macro wilson_bound(successes, trials, z, side) %}
    {%- if side not in ['lower', 'upper'] -%}
        {{ exceptions.raise_compiler_error(
            "wilson_bound: side must be 'lower' or 'upper', got " ~ side) }}
    {%- endif -%}
    {%- set n = 'cast(nullif(' ~ trials ~ ', 0) as double)' -%}
    {%- set p = '(' ~ successes ~ ' / ' ~ n ~ ')' -%}
    {%- set zz = '(' ~ z ~ ' * ' ~ z ~ ')' -%}
    (({{ p }} + {{ zz }} / (2 * {{ n }})
        {{ '-' if side == 'lower' else '+' }} {{ z }} * sqrt(
            {{ p }} * (1 - {{ p }}) / {{ n }} + {{ zz }} / (4 * {{ n }} * {{ n }})))
        / (1 + {{ zz }} / {{ n }}))
{% endmacro %}
