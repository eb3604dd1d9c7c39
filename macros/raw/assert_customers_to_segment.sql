{#-
    Stops the build when the raw file leaves no customer to segment: a header with no
    data rows, or data rows that were all rejected. Called by stg_customers, the first
    model after the kept/rejected split, so dbt fails that node and skips everything
    downstream (the Python models included) with a message naming the file and the
    counts, while rejected_customers (beside it, not downstream) is still built.

    Runs only when dbt runs or builds models, and only once the relation exists: a
    compile or docs generate never fails on the data of an earlier build.
-#}
{% macro assert_customers_to_segment(relation, path=none) %}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if load_relation(relation) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set input = raw_input(path) -%}
    {%- set counts = run_query(
        "select count(*) as data_rows, count(case when is_kept then 1 end) as kept "
        ~ "from " ~ relation) -%}
    {%- set data_rows = counts.rows[0][0] | int -%}
    {%- set kept = counts.rows[0][1] | int -%}
    {%- if kept > 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set problem = input.label ~ " has no customers to segment: " -%}
    {%- if data_rows == 0 -%}
        {{ exceptions.raise_compiler_error(
            problem ~ "0 data rows (the file has a header and nothing else)") }}
    {%- endif -%}
    {%- set reasons = run_query(
        "select reason, count(*) as rejected_rows from (select " ~ list_unnest("rejection_reasons")
        ~ " as reason from " ~ relation ~ ") as reasons group by reason "
        ~ "order by rejected_rows desc, reason") -%}
    {%- set shown = [] -%}
    {%- for row in reasons.rows[:5] -%}
        {%- do shown.append(row[0] ~ ": " ~ (row[1] | int)) -%}
    {%- endfor -%}
    {%- if reasons.rows | length > 5 -%}
        {%- do shown.append((reasons.rows | length - 5) ~ " more reasons") -%}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        problem ~ "all " ~ data_rows ~ " rows were rejected (" ~ shown | join(', ')
        ~ "); see rejected_customers for each row and its reasons") }}
{% endmacro %}
