{#- The columns of a check list (a list, or a mapping of column to its argument)
    with the contract's lists expanded ({products}, {channels}, {campaigns}), those
    `built` (the table's columns; none: all) only. -#}
{% macro checked_columns(columns, built) %}
    {%- set is_mapping = columns is mapping %}
    {%- set expanded = {} %}
    {%- for column in columns %}
        {%- set names = [column] %}
        {%- for list_name in ['products', 'channels', 'campaigns'] %}
            {%- if '{' ~ list_name ~ '}' in column %}
                {%- set names = [] %}
                {%- for item in input_list(list_name) %}
                    {%- do names.append(column | replace('{' ~ list_name ~ '}', item)) %}
                {%- endfor %}
            {%- endif %}
        {%- endfor %}
        {%- for name in names if built is none or name | lower in built %}
            {%- do expanded.update({name: columns[column] if is_mapping else none}) %}
        {%- endfor %}
    {%- endfor %}
    {{ return(expanded if is_mapping else expanded.keys() | list) }}
{% endmacro %}
