{#-
    A Dt_Customer text value as a DATE: day-first dd-mm-yyyy (the Kaggle file),
    dd/mm/yyyy, or ISO yyyy-mm-dd (with or without a time). NULL when unreadable,
    so the row is rejected with a reason instead of failing the build.
-#}
{% macro parse_customer_date(text_value) %}
    {{ return(adapter.dispatch(
        'parse_customer_date', 'customer_personality')(text_value)) }}
{% endmacro %}

{% macro default__parse_customer_date(text_value) %}
    coalesce(
        try_strptime({{ text_value }}, '%d-%m-%Y'),
        try_strptime({{ text_value }}, '%d/%m/%Y'),
        try_strptime({{ text_value }}, '%Y-%m-%d'),
        try_cast({{ text_value }} as timestamp)
    )::date
{% endmacro %}

{% macro spark__parse_customer_date(text_value) %}
    cast(coalesce(
        try_to_timestamp({{ text_value }}, 'd-M-yyyy'),
        try_to_timestamp({{ text_value }}, 'd/M/yyyy'),
        try_to_timestamp({{ text_value }}, 'yyyy-M-d'),
        try_cast({{ text_value }} as timestamp)
    ) as date)
{% endmacro %}
