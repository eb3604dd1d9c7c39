{#-
    Every non-null value of each listed column lies in its range: `columns` maps a
    column to {min_value, max_value, inclusive} (either bound optional; inclusive=false
    makes both strict). Fails with one row per offending value: the column, the value,
    the range it breaks and how many rows hold it. The ranges of column_checks alone:
    a table that has other per-row checks too takes one column_checks test instead.
-#}
{% test accepted_ranges(model, columns) %}
    {{ test_column_checks(model, ranges=columns) }}
{% endtest %}
