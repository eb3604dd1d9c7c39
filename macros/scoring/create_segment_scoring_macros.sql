{#-
    Creates, in the database, the macros analysts and BI tools use to score a new
    customer without Python (run as a post-hook of segment_model):
      segment_log_densities(<features>)  DOUBLE[] per segment
      segment_probability_list(<features>)  DOUBLE[] posteriors, summing to 1
      segment_probabilities(<features>)  STRUCT of the four named posteriors
      score_segment(<features>)  the segment name
    with <features> = income, seniority_months, spending by default.
-#}
{% macro create_segment_scoring_macros(model_relation) %}
    {%- if not has_database_macros() -%}{{ return('') }}{%- endif -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set features = var('segment_features') -%}
    {%- set scoring = segment_scoring(model_relation) -%}
    {%- set parameters = features | join(', ') -%}
    {%- set call = '(' ~ parameters ~ ')' -%}
    {%- set fields = [] -%}
    {%- for name in scoring.segment_names -%}
        {%- set field = name | lower | replace("'", '') | replace(' ', '_') -%}
        {%- do fields.append(field ~ " := probabilities[" ~ loop.index ~ "]") -%}
    {%- endfor -%}
    create or replace macro softmax(log_values) as list_transform(
        log_values,
        lambda value: exp(value - list_max(log_values)) / list_sum(
            list_transform(log_values, lambda other: exp(other - list_max(log_values)))
        )
    );
    create or replace macro segment_log_densities{{ call }} as
        {{ scoring.log_densities }};
    create or replace macro segment_probability_list{{ call }} as
        softmax(segment_log_densities{{ call }});
    create or replace macro segment_probabilities_from_list(probabilities) as
        struct_pack({{ fields | join(', ') }});
    create or replace macro segment_probabilities{{ call }} as
        segment_probabilities_from_list(segment_probability_list{{ call }});
    create or replace macro score_segment{{ call }} as
        {{ scoring.names }}[
            list_position(
                segment_log_densities{{ call }}, list_max(segment_log_densities{{ call }})
            )
        ];
{% endmacro %}
