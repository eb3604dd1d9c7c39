{#-
    A seeded sample of at most `size` rows of `relation`, the same rows on every build
    of the same data whatever order the rows are stored in: rows ordered by a hash of
    `key` and var random_seed (ties, which only hash collisions make, by `key`).
    Every model that samples customers uses it, so Python models receive samples
    drawn in SQL.
-#}
{% macro seeded_sample(relation, size, key='customer_id') %}
    select *
    from {{ relation }}
    order by hash({{ key }}, {{ var('random_seed') }}), {{ key }}
    limit {{ size }}
{% endmacro %}
