{#-
    What this warehouse was built from and how, one row per fact (section, name,
    value as text): the raw file (path, size, SHA-256 checksum, raw, kept and rejected
    rows), the build (start time, dbt invocation, target), the versions (project, dbt,
    adapter, engine), every var (from build_vars, as JSON text) and the row count of
    every public table (macro public_marts). `python -m customer_personality summary`
    and the report read it.

    The checksum reads the file whole (macro raw_file_facts), as the build read it:
    the same path, relative to the directory dbt runs in; a relation input has its
    name and rows only. Then the input contract (section input: its name, the field
    groups and fields it maps, its lists) and what the build left out (section
    skipped: each public table the contract does not make, with the fields it needs
    and those the contract lacks), and the campaign (section campaign: where the
    contact economics come from, the contact policy, and whether campaign_readout
    measured last month's campaign, or why not).
-#}
{%- set input = raw_input() -%}
{%- set is_file = input.kind == 'file' -%}
{%- set raw_path = "'" ~ (raw_input_name() | replace("'", "''")) ~ "'" -%}
{%- set text = dbt.type_string() -%}
{%- set contract = input_contract() -%}
{%- set fields = [] -%}
{%- for column in contract.columns if column.list is none -%}
    {%- do fields.append(column.field) -%}
{%- endfor -%}
{%- set input_facts = [
    ('name', contract.name),
    ('file', var('input_contract_file') or 'var input_contract'),
    ('field_groups', contract.groups | join(', ')),
    ('fields', fields | join(', ')),
] -%}
{%- for list_name in ['products', 'channels', 'campaigns', 'features'] -%}
    {%- do input_facts.append((list_name, input_list(list_name) | join(', '))) -%}
{%- endfor -%}
{%- set skipped = [] -%}
{%- for mart in public_marts() -%}
    {%- set requirement = mart_requirement(mart) -%}
    {%- set missing = requirement_missing(requirement) -%}
    {%- if missing -%}
        {%- set economics_missing = [] -%}
        {%- for field in missing
            if field in ['cost_per_contact', 'revenue_per_response'] -%}
            {%- do economics_missing.append(field) -%}
        {%- endfor -%}
        {%- do skipped.append((mart, 'needs ' ~ requirement_fields(requirement)
            | join(', ') ~ '; the input contract does not map ' ~ missing
            | join(', ') ~ ((' (nor var ' ~ economics_missing | join(' / var ')
            ~ ' gives it)') if economics_missing else ''))) -%}
    {%- endif -%}
{%- endfor -%}
{%- set economics = contact_economics() -%}
{%- set has_campaign = has_response() -%}
{%- set missing_economics = contact_economics_missing() -%}
{%- if has_campaign and missing_economics -%}
    {%- do skipped.append(('customer_actions.expected_profit', 'needs '
        ~ missing_economics | join(', ') ~ '; neither the input contract maps '
        ~ ('it' if missing_economics | length == 1 else 'them')
        ~ ' nor var ' ~ missing_economics | join(' / var ') ~ ' gives '
        ~ ('it' if missing_economics | length == 1 else 'them')
        ~ ': every person is contacted but the control group')) -%}
{%- endif -%}
{%- set campaign_facts = [] -%}
{%- if has_campaign -%}
    {%- for name, sql in economics.items() -%}
        {%- do campaign_facts.append((name, "'" ~ (
            'missing' if sql is none
            else ('var ' ~ name ~ ': ' ~ var(name)) if sql != name
            else 'input field ' ~ name) | replace("'", "''") ~ "'")) -%}
    {%- endfor -%}
    {%- do campaign_facts.append(('contact_policy',
        "'" ~ (var('contact_policy') if not missing_economics else 'everyone (no contact economics)') ~ "'")) -%}
    {%- do campaign_facts.append(('control_share', "'" ~ var('control_share') ~ "'")) -%}
{%- endif -%}
{%- set built_marts = [] -%}
{%- for mart in public_marts()
    if not requirement_missing(mart_requirement(mart)) -%}
    {%- do built_marts.append(mart) -%}
{%- endfor -%}
{#- section: [(name, SQL of its value over file_facts), ...], in reading order -#}
{%- set sections = {
    'source': [('path', raw_path)] + ([
        ('size_bytes', 'cast(file_facts.size_bytes as ' ~ text ~ ')'),
        ('sha256', 'file_facts.sha256'),
        ('last_modified', iso_timestamp('file_facts.last_modified')),
    ] if is_file else []) + [
        ('raw_rows', 'cast(file_facts.raw_rows as ' ~ text ~ ')'),
        ('kept_rows', 'cast(file_facts.kept_rows as ' ~ text ~ ')'),
        ('rejected_rows', 'cast(file_facts.rejected_rows as ' ~ text ~ ')'),
    ],
    'build': [
        ('started_at', "'" ~ run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ') ~ "'"),
        ('invocation_id', "'" ~ invocation_id ~ "'"),
        ('target', "'" ~ target.name ~ "'"),
    ],
    'version': [
        ('project', "'" ~ project_name ~ "'"),
        ('dbt', "'" ~ dbt_version ~ "'"),
        ('adapter', "'" ~ adapter.type() ~ "'"),
        ('engine', 'version()'),
    ],
} -%}

with

raw_rows as (
    select
        count(*) as raw_rows,
        count(*) filter (where is_kept) as kept_rows,
        count(*) filter (where not is_kept) as rejected_rows
    from {{ ref('base_raw__customers') }}
),

{%- if is_file %}

raw_file as (
    select * from {{ raw_file_facts(input.path) }} as raw_file_facts
),
{%- endif %}

file_facts as (
    select
        {%- if is_file %}
        raw_file.size_bytes,
        raw_file.sha256,
        raw_file.last_modified,
        {%- endif %}
        raw_rows.raw_rows,
        raw_rows.kept_rows,
        raw_rows.rejected_rows
    {%- if is_file %}
    from raw_file
    cross join raw_rows
    {%- else %}
    from raw_rows
    {%- endif %}
),

facts as (
    {%- for section, facts in sections.items() %}
    {%- set section_order = loop.index %}
    {%- for name, value in facts %}
    select
        '{{ section }}' as section,
        '{{ name }}' as name,
        {{ value }} as value,
        {{ section_order }} as section_order,
        {{ loop.index }} as fact_order
    from file_facts
    union all
    {%- endfor %}
    {%- endfor %}
    select
        'var' as section,
        build_vars.name,
        build_vars.value,
        4 as section_order,
        row_number() over (order by build_vars.name) as fact_order
    from {{ ref('build_vars') }} as build_vars
    {%- for mart in built_marts %}
    union all
    select
        'mart_rows' as section,
        '{{ mart }}' as name,
        cast(count(*) as {{ text }}) as value,
        5 as section_order,
        {{ loop.index }} as fact_order
    from {{ ref(mart) }}
    {%- endfor %}
    {%- for name, value in input_facts %}
    union all
    select
        'input' as section,
        '{{ name }}' as name,
        '{{ value | replace("'", "''") }}' as value,
        6 as section_order,
        {{ loop.index }} as fact_order
    {%- endfor %}
    {%- for name, value in skipped %}
    union all
    select
        'skipped' as section,
        '{{ name }}' as name,
        '{{ value | replace("'", "''") }}' as value,
        7 as section_order,
        {{ loop.index }} as fact_order
    {%- endfor %}
    {%- for name, value in campaign_facts %}
    union all
    select
        'campaign' as section,
        '{{ name }}' as name,
        {{ value }} as value,
        8 as section_order,
        {{ loop.index }} as fact_order
    {%- endfor %}
    {%- if has_campaign %}
    union all
    select
        'campaign' as section,
        'readout' as name,
        case
            when store.previous_has_campaign
                then 'campaign_readout measures the campaign of snapshot '
                    || cast(store.previous_snapshot_date as {{ text }})
            when store.previous_snapshot_date is not null
                then 'none: the previous snapshot ('
                    || cast(store.previous_snapshot_date as {{ text }})
                    || ') recorded no campaign'
            else 'none yet: the history has no earlier snapshot; campaign_readout '
                || 'measures this campaign when next month''s export is built'
        end as value,
        8 as section_order,
        {{ campaign_facts | length + 1 }} as fact_order
    from {{ ref('int_history_store') }} as store
    {%- endif %}
),

final as (
    select
        section,
        name,
        value,
        section_order::integer as section_order,
        fact_order::bigint as fact_order
    from facts
)

select * from final
