{#-
    No two rows of the model share the values of `columns` (a compound key): returns
    each repeated combination with how often it occurs.
-#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
