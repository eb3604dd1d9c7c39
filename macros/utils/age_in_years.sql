{#- Age in whole years at the reference date: year(reference_date) - birth year. -#}
{% macro age_in_years(reference_date, birth_year) %}
    cast(year({{ reference_date }}) - {{ birth_year }} as integer)
{% endmacro %}
