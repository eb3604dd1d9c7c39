{#- Every row of the model satisfies a SQL boolean expression; fails with those that
    do not. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
