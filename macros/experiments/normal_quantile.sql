{#-
    The standard normal quantile (inverse CDF): the z with P(Z <= z) = p, as a SQL
    expression; NULL unless 0 < p < 1. M. J. Wichura's algorithm AS 241, PPND16
    (Applied Statistics 37, 1988), about 1e-16 relative error: 1.959963984540054 for
    p = 0.975.
-#}
{% macro normal_quantile(p) %}
    {{ return(adapter.dispatch('normal_quantile', 'customer_personality')(p)) }}
{% endmacro %}

{#- One-element lists (macro bind_open) bind p, q = p - 1/2 and, in the tails,
    s = sqrt(-ln(min(p, 1 - p))) once, as lambda parameters. -#}
{% macro default__normal_quantile(p) %}
    {%- set q = 'normal_quantile_q' -%}
    {%- set r = '(0.180625 - normal_quantile_q * normal_quantile_q)' -%}
    {%- set near = '(normal_quantile_s - 1.6)' -%}
    {%- set far = '(normal_quantile_s - 5.0)' -%}
    {{ bind_open() }}cast({{ p }} as double)
        {{- bind_as('normal_quantile_p') }}{{ bind_open() }}normal_quantile_p - 0.5
        {{- bind_as('normal_quantile_q') }}case
                when not (normal_quantile_p > 0.0 and normal_quantile_p < 1.0) then null
                {#- |p - 1/2| <= 0.425: q * A(r) / B(r), r = 0.180625 - q^2 #}
                when abs({{ q }}) <= 0.425 then {{ q }} * (
                    ((((((2.5090809287301226727e3 * {{ r }}
                    + 3.3430575583588128105e4) * {{ r }}
                    + 6.7265770927008700853e4) * {{ r }}
                    + 4.5921953931549871457e4) * {{ r }}
                    + 1.3731693765509461125e4) * {{ r }}
                    + 1.9715909503065514427e3) * {{ r }}
                    + 1.3314166789178437745e2) * {{ r }}
                    + 3.3871328727963666080
                ) / (
                    ((((((5.2264952788528545610e3 * {{ r }}
                    + 2.8729085735721942674e4) * {{ r }}
                    + 3.9307895800092710610e4) * {{ r }}
                    + 2.1213794301586595867e4) * {{ r }}
                    + 5.3941960214247511077e3) * {{ r }}
                    + 6.8718700749205790830e2) * {{ r }}
                    + 4.2313330701600911252e1) * {{ r }}
                    + 1.0
                )
                {#- the tails: sign(q) * C(s - 1.6) / D(s - 1.6) up to s = 5, then
                    E(s - 5) / F(s - 5) #}
                else sign({{ q }}) * {{ bind_open() -}}
                    sqrt(-ln(least(normal_quantile_p, 1.0 - normal_quantile_p)))
                    {{- bind_as('normal_quantile_s') }}case
                        when normal_quantile_s <= 5.0 then (
                            ((((((7.74545014278341407640e-4 * {{ near }}
                            + 2.27238449892691845833e-2) * {{ near }}
                            + 2.41780725177450611770e-1) * {{ near }}
                            + 1.27045825245236838258) * {{ near }}
                            + 3.64784832476320460504) * {{ near }}
                            + 5.76949722146069140550) * {{ near }}
                            + 4.63033784615654529590) * {{ near }}
                            + 1.42343711074968357734
                        ) / (
                            ((((((1.05075007164441684324e-9 * {{ near }}
                            + 5.47593808499534494600e-4) * {{ near }}
                            + 1.51986665636164571966e-2) * {{ near }}
                            + 1.48103976427480074590e-1) * {{ near }}
                            + 6.89767334985100004550e-1) * {{ near }}
                            + 1.67638483018380384940) * {{ near }}
                            + 2.05319162663775882187) * {{ near }}
                            + 1.0
                        )
                        else (
                            ((((((2.01033439929228813265e-7 * {{ far }}
                            + 2.71155556874348757815e-5) * {{ far }}
                            + 1.24266094738807843860e-3) * {{ far }}
                            + 2.65321895265761230930e-2) * {{ far }}
                            + 2.96560571828504891230e-1) * {{ far }}
                            + 1.78482653991729133580) * {{ far }}
                            + 5.46378491116411436990) * {{ far }}
                            + 6.65790464350110377720
                        ) / (
                            ((((((2.04426310338993978564e-15 * {{ far }}
                            + 1.42151175831644588870e-7) * {{ far }}
                            + 1.84631831751005468180e-5) * {{ far }}
                            + 7.86869131145613259100e-4) * {{ far }}
                            + 1.48753612908506148525e-2) * {{ far }}
                            + 1.36929880922735805310e-1) * {{ far }}
                            + 5.99832206555887937690e-1) * {{ far }}
                            + 1.0
                        )
                    end
                {{ bind_close() }}
            end
        {{ bind_close() }}
    {{ bind_close() }}
{%- endmacro %}
