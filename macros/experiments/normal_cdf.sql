{#-
    The standard normal CDF, P(Z <= x), as a SQL expression (DuckDB has no built-in).
    Phi(x) = erfc(-x / sqrt 2) / 2, with W. J. Cody's rational Chebyshev approximations
    of erf and erfc ("Rational Chebyshev approximations for the error function", Math.
    Comp. 23, 1969; netlib specfun CALERF): about 1e-15 relative error, in both tails
    too, so write an upper tail as normal_cdf(-z), never 1 - normal_cdf(z).
-#}
{% macro normal_cdf(x) %}
    {{ return(adapter.dispatch('normal_cdf', 'customer_personality')(x)) }}
{% endmacro %}

{#- One-element lists (macro bind_open) bind u = x / sqrt 2 and y = |u| once, as lambda
    parameters, so x is evaluated once and the expression stays short. -#}
{% macro default__normal_cdf(x) %}
    {%- set y = 'normal_cdf_y' -%}
    {%- set t = '(normal_cdf_y * normal_cdf_y)' -%}
    {%- set w = '(1.0 / (normal_cdf_y * normal_cdf_y))' -%}
    {#- exp(-y^2) as exp(-y16^2) * exp(-(y - y16)(y + y16)), y16 = y rounded down to
        a 16th, so that rounding y^2 costs no accuracy in the tails (as CALERF does) -#}
    {%- set y16 = '(floor(16.0 * normal_cdf_y) / 16.0)' -%}
    {{ bind_open() }}cast({{ x }} as double) * 0.7071067811865476
        {{- bind_as('normal_cdf_u') }}{{ bind_open() }}abs(normal_cdf_u)
        {{- bind_as('normal_cdf_y') }}case
                {#- |u| <= 0.46875: 1/2 + erf(u) / 2, erf(u) = u * P(u^2) / Q(u^2) #}
                when {{ y }} <= 0.46875 then 0.5 + 0.5 * normal_cdf_u * (
                    (((0.185777706184603153 * {{ t }} + 3.16112374387056560) * {{ t }}
                    + 1.13864154151050156e2) * {{ t }} + 3.77485237685302021e2)
                    * {{ t }} + 3.20937758913846947e3
                ) / (
                    ((({{ t }} + 2.36012909523441209e1) * {{ t }}
                    + 2.44024637934444173e2) * {{ t }} + 1.28261652607737228e3)
                    * {{ t }} + 2.84423683343917062e3
                )
                {#- otherwise erfc(y) / 2 (u < 0) or 1 - erfc(y) / 2 (u > 0), erfc(y) =
                    exp(-y^2) * a rational function of y up to 4, then of 1 / y^2;
                    0 beyond 26.6, where it underflows a double #}
                else case when normal_cdf_u > 0 then 1.0 else 0.0 end
                    - sign(normal_cdf_u) * 0.5 * case
                        when {{ y }} > 26.6 then 0.0
                        else exp(-{{ y16 }} * {{ y16 }})
                            * exp(-({{ y }} - {{ y16 }}) * ({{ y }} + {{ y16 }}))
                            * case
                                when {{ y }} <= 4.0 then (
                                    (((((((2.15311535474403846e-8 * {{ y }}
                                    + 5.64188496988670089e-1) * {{ y }}
                                    + 8.88314979438837594) * {{ y }}
                                    + 6.61191906371416295e1) * {{ y }}
                                    + 2.98635138197400131e2) * {{ y }}
                                    + 8.81952221241769090e2) * {{ y }}
                                    + 1.71204761263407058e3) * {{ y }}
                                    + 2.05107837782607147e3) * {{ y }}
                                    + 1.23033935479799725e3
                                ) / (
                                    ((((((({{ y }}
                                    + 1.57449261107098347e1) * {{ y }}
                                    + 1.17693950891312499e2) * {{ y }}
                                    + 5.37181101862009858e2) * {{ y }}
                                    + 1.62138957456669019e3) * {{ y }}
                                    + 3.29079923573345963e3) * {{ y }}
                                    + 4.36261909014324716e3) * {{ y }}
                                    + 3.43936767414372164e3) * {{ y }}
                                    + 1.23033935480374942e3
                                )
                                else (
                                    0.56418958354775628695 - {{ w }} * (
                                        ((((1.63153871373020978e-2 * {{ w }}
                                        + 3.05326634961232344e-1) * {{ w }}
                                        + 3.60344899949804439e-1) * {{ w }}
                                        + 1.25781726111229246e-1) * {{ w }}
                                        + 1.60837851487422766e-2) * {{ w }}
                                        + 6.58749161529837803e-4
                                    ) / (
                                        (((({{ w }}
                                        + 2.56852019228982242) * {{ w }}
                                        + 1.87295284992346047) * {{ w }}
                                        + 5.27905102951428412e-1) * {{ w }}
                                        + 6.05183413124413191e-2) * {{ w }}
                                        + 2.33520497626869185e-3
                                    )
                                ) / {{ y }}
                            end
                    end
            end
        {{ bind_close() }}
    {{ bind_close() }}
{%- endmacro %}
