{#-
    The raw file's size in bytes, SHA-256 checksum (hex) and modification time, read
    whole as the build read it (the same path, relative to the directory dbt runs in):
    a relation of one row (size_bytes, sha256, last_modified). DuckDB read_blob,
    Spark's binaryFile source.
-#}
{% macro raw_file_facts(path) %}
    {{- return(adapter.dispatch('raw_file_facts', 'customer_personality')(path)) -}}
{% endmacro %}

{% macro default__raw_file_facts(path) -%}
    (
        select
            size as size_bytes,
            sha256(content) as sha256,
            last_modified
        from read_blob('{{ path | replace("'", "''") }}')
    )
{%- endmacro %}

{% macro spark__raw_file_facts(path) -%}
    (
        select
            length as size_bytes,
            sha2(content, 256) as sha256,
            modificationTime as last_modified
        from binaryFile.`{{ path }}`
    )
{%- endmacro %}
