{#-
    What this warehouse was built from and how, one row per fact (section, name,
    value as text): the raw file (path, size, SHA-256 checksum, raw, kept and rejected
    rows), the build (start time, dbt invocation, target), the versions (project, dbt,
    adapter, engine), every var (from build_vars, as JSON text) and the row count of
    every public table (macro public_marts). `python -m customer_personality summary`
    and the report read it.

    The checksum reads the file whole (read_blob), as the build read it: the same path,
    relative to the directory dbt runs in.
-#}
{%- set raw_path = "'" ~ (var('raw_customers_path') | replace("'", "''")) ~ "'" -%}

with

raw_rows as (
    select
        count(*) as raw_rows,
        count(*) filter (where is_kept) as kept_rows,
        count(*) filter (where not is_kept) as rejected_rows
    from {{ ref('base_raw__customers') }}
),

raw_file as (
    select
        size as size_bytes,
        sha256(content) as sha256,
        last_modified
    from read_blob({{ raw_path }})
),

source_facts as (
    select 1 as fact_order, 'path' as name, {{ raw_path }} as value
    union all
    select 2, 'size_bytes', size_bytes::varchar from raw_file
    union all
    select 3, 'sha256', sha256 from raw_file
    union all
    select 4, 'last_modified', strftime(last_modified, '%Y-%m-%dT%H:%M:%S') from raw_file
    union all
    select 5, 'raw_rows', raw_rows::varchar from raw_rows
    union all
    select 6, 'kept_rows', kept_rows::varchar from raw_rows
    union all
    select 7, 'rejected_rows', rejected_rows::varchar from raw_rows
),

build_facts as (
    select 1 as fact_order, 'started_at' as name,
        '{{ run_started_at.strftime("%Y-%m-%dT%H:%M:%SZ") }}' as value
    union all
    select 2, 'invocation_id', '{{ invocation_id }}'
    union all
    select 3, 'target', '{{ target.name }}'
),

version_facts as (
    select 1 as fact_order, 'project' as name, '{{ project_name }}' as value
    union all
    select 2, 'dbt', '{{ dbt_version }}'
    union all
    select 3, 'adapter', '{{ adapter.type() }}'
    union all
    select 4, 'engine', version()
),

var_facts as (
    select
        row_number() over (order by name) as fact_order,
        name,
        value
    from {{ ref('build_vars') }}
),

mart_rows as (
    {%- for mart in public_marts() %}
    select
        {{ loop.index }} as fact_order,
        '{{ mart }}' as name,
        count(*)::varchar as value
    from {{ ref(mart) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select 1 as section_order, 'source' as section, * from source_facts
    union all
    select 2, 'build', * from build_facts
    union all
    select 3, 'version', * from version_facts
    union all
    select 4, 'var', * from var_facts
    union all
    select 5, 'mart_rows', * from mart_rows
)

select
    section,
    name,
    value,
    section_order,
    fact_order
from final
