{#-
    Fails the build, naming the file and the columns, when a raw file's header is not
    the Customer Personality schema's 29 columns (missing, unexpected or repeated).
-#}
{% macro check_raw_customer_header(path, header) %}
    {%- set expected = raw_customer_schema() | map(attribute='raw') | list -%}
    {%- set missing = [] -%}
    {%- for name in expected if name not in header -%}
        {%- do missing.append(name) -%}
    {%- endfor -%}
    {%- set unexpected = [] -%}
    {%- for name in header if name not in expected -%}
        {%- do unexpected.append(name if name else '(empty name)') -%}
    {%- endfor -%}
    {%- if missing or unexpected or header | length != expected | length -%}
        {{ exceptions.raise_compiler_error(
            "Raw customer file " ~ path ~ " does not match the Customer Personality "
            ~ "schema. Missing columns: " ~ (missing | join(', ') or 'none')
            ~ ". Unexpected columns: " ~ (unexpected | join(', ') or 'none')
            ~ (". Repeated columns in the header" if header | length != expected | length
                and not missing and not unexpected else "")
            ~ ". Expected the 29 columns: " ~ expected | join(', ')) }}
    {%- endif -%}
{% endmacro %}
