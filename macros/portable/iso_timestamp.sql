{#- A timestamp as ISO 8601 text to the second (2014-06-29T10:00:00). -#}
{% macro iso_timestamp(value) %}
    {{- return(adapter.dispatch('iso_timestamp', 'customer_personality')(value)) -}}
{% endmacro %}

{% macro default__iso_timestamp(value) %}strftime({{ value }}, '%Y-%m-%dT%H:%M:%S'){% endmacro %}

{% macro spark__iso_timestamp(value) %}date_format({{ value }}, "yyyy-MM-dd'T'HH:mm:ss"){% endmacro %}
