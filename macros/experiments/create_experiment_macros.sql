{#-
    Creates the experiment macros in the database (on-run-end hook), for analysts and
    BI tools without dbt:
        select normal_cdf(1.96);                               -- 0.9750021048517795
        select normal_quantile(0.975);                         -- 1.959963984540054
        select * from ab_test_overall('my_experiment', 'A', 'B');
        select * from ab_test_overall('my_experiment', 'A', 'B', confidence := 0.99);
    ab_test_overall reads any table or view of (customer_id, variant, converted) by
    name (query_table) and returns the 'All' row of ab_test_results.
-#}
{% macro create_experiment_macros() %}
    {%- if not has_database_macros() -%}{{ return('') }}{%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {#- the variants become 'control' and 'treatment' before ab_test_results, which
        takes literal labels; their real names go back into the output #}
    {%- set experiment -%}
        (
            select
                customer_id,
                case cast(variant as varchar)
                    when cast(control as varchar) then 'control'
                    when cast(treatment as varchar) then 'treatment'
                end as variant,
                converted,
            from query_table(table_name)
        )
    {%- endset -%}
    create or replace macro normal_cdf(x) as {{ normal_cdf('x') }};
    create or replace macro normal_quantile(p) as {{ normal_quantile('p') }};
    create or replace macro ab_test_overall(
        table_name, control, treatment, confidence := 0.95
    ) as table
        select
            * replace (
                cast(control as varchar) as control_variant,
                cast(treatment as varchar) as treatment_variant,
            ),
        from ({{ ab_test_results(
            experiment,
            control='control',
            treatment='treatment',
            by_segment=false,
            confidence='confidence',
        ) }});
{% endmacro %}
