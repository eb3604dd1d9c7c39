{#-
    Every non-null value of each listed column is one of its accepted values:
    `columns` maps a column to its list of values (compared as text). Fails with one
    row per unexpected value: the column, the value, the values accepted and how many
    rows hold it. The value sets of column_checks alone (see accepted_ranges).
-#}
{% test accepted_value_sets(model, columns) %}
    {{ test_column_checks(model, value_sets=columns) }}
{% endtest %}
