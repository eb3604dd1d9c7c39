{#-
    A date's text as a DATE, by the contract's format: day_first (the Kaggle file's
    dd-mm-yyyy, also dd/mm/yyyy and ISO yyyy-mm-dd with or without a time, the
    default), month_first (mm-dd-yyyy, mm/dd/yyyy, ISO), iso, or a strptime pattern
    (%d.%m.%Y). NULL when unreadable, so the row is rejected with a reason instead of
    failing the build.
-#}
{% macro parse_customer_date(text_value, format='day_first') %}
    {{ return(adapter.dispatch(
        'parse_customer_date', 'customer_personality')(text_value, format)) }}
{% endmacro %}

{% macro default__parse_customer_date(text_value, format='day_first') %}
    {%- set patterns = {
        'day_first': ['%d-%m-%Y', '%d/%m/%Y', '%Y-%m-%d'],
        'month_first': ['%m-%d-%Y', '%m/%d/%Y', '%Y-%m-%d'],
        'iso': ['%Y-%m-%d'],
    }.get(format, [format]) -%}
    coalesce(
        {%- for pattern in patterns %}
        try_strptime({{ text_value }}, '{{ pattern }}'),
        {%- endfor %}
        try_cast({{ text_value }} as timestamp)
    )::date
{% endmacro %}

{% macro spark__parse_customer_date(text_value, format='day_first') %}
    {%- set patterns = {
        'day_first': ['d-M-yyyy', 'd/M/yyyy', 'yyyy-M-d'],
        'month_first': ['M-d-yyyy', 'M/d/yyyy', 'yyyy-M-d'],
        'iso': ['yyyy-M-d'],
    }.get(format, [java_date_pattern(format)]) -%}
    cast(coalesce(
        {%- for pattern in patterns %}
        try_to_timestamp({{ text_value }}, '{{ pattern }}'),
        {%- endfor %}
        try_cast({{ text_value }} as timestamp)
    ) as date)
{% endmacro %}

{#- A strptime pattern as Spark's datetime pattern (%d.%m.%Y -> dd.MM.yyyy). -#}
{% macro java_date_pattern(pattern) %}
    {%- set codes = {'%d': 'dd', '%m': 'MM', '%Y': 'yyyy', '%y': 'yy', '%H': 'HH',
        '%M': 'mm', '%S': 'ss', '%b': 'MMM', '%B': 'MMMM'} -%}
    {%- set result = {'text': pattern} -%}
    {%- for code, java in codes.items() -%}
        {%- do result.update({'text': result.text | replace(code, java)}) -%}
    {%- endfor -%}
    {{ return(result.text) }}
{% endmacro %}
