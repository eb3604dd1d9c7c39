{#-
    A seeded sample of at most `size` rows of `relation`, the same rows on every build
    of the same data whatever order the rows are stored in: rows ordered by seeded_hash of
    `key` and var random_seed, the same on DuckDB and Spark (ties, which only hash
    collisions make, by `key`).
    Every model that samples customers uses it, so Python models receive samples
    drawn in SQL. With `position`, a column of that name gives each row's place in
    that order (1, 2, ...): its first n rows are the seeded sample of size n, so
    samples of several sizes nest.
-#}
{% macro seeded_sample(relation, size, key='customer_id', position=none) %}
    {%- set order = seeded_hash([key]) ~ ', ' ~ key %}
    select
        *
        {%- if position %},
        row_number() over (order by {{ order }}) as {{ position }}
        {%- endif %}
    from {{ relation }}
    order by {{ order }}
    limit {{ size }}
{% endmacro %}
