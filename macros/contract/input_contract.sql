{#-
    The input contract (var input_contract), checked and normalized: what the input
    is called, and one entry per staging column it maps: {field, name, raw (the
    input column, or none for an expression), expression, kind, type, format,
    multiplier, group, list}. A contract that names an unknown field, a field twice,
    an input column twice, a list entry without its column or name, a kind a field
    cannot have, or no customer_id fails here, while dbt parses the project (before
    any node runs), with a message naming the contract (var input_contract_file, the
    file `make run CONTRACT=...` read), the field and what is wrong. That every
    mapped column is in the input is checked by the hook check_input_columns_hook
    at the start of a run, before any node runs, and again where the input is read.
-#}
{% macro input_contract() %}
    {%- set contract = var('input_contract') -%}
    {%- set fields = input_field_registry() -%}
    {%- set lists = input_list_registry() -%}
    {%- set where = input_contract_label() -%}
    {%- if contract is not mapping -%}
        {{ exceptions.raise_compiler_error(where ~ ": the contract must be a mapping "
            ~ "with fields: (and optional products:, channels:, campaigns:, features:, "
            ~ "ignore:), not " ~ contract) }}
    {%- endif -%}
    {%- set known = ['name', 'fields', 'ignore', 'source'] + lists.keys() | list -%}
    {%- for key in contract if key not in known -%}
        {{ exceptions.raise_compiler_error(where ~ ": unknown key '" ~ key
            ~ "'; a contract has " ~ known | join(', ')) }}
    {%- endfor -%}
    {%- set mapped = contract.get('fields') or {} -%}
    {%- if mapped is not mapping -%}
        {{ exceptions.raise_compiler_error(where ~ ": fields: must map each field "
            ~ "to an input column, not " ~ mapped) }}
    {%- endif -%}
    {%- if 'customer_id' not in mapped -%}
        {{ exceptions.raise_compiler_error(where ~ ": no customer_id: fields: must "
            ~ "map customer_id to the input's ID column (the one required field)") }}
    {%- endif -%}
    {%- if 'birth_year' in mapped and 'age' in mapped -%}
        {{ exceptions.raise_compiler_error(where ~ ": fields: maps both birth_year "
            ~ "and age; map one of them (age is derived from birth_year)") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for field, spec in mapped.items() -%}
        {%- if field not in fields -%}
            {{ exceptions.raise_compiler_error(where ~ ": unknown field '" ~ field
                ~ "' under fields:. The fields are " ~ fields.keys() | join(', ')
                ~ "; products, channels, campaigns and further features are lists "
                ~ "of their own") }}
        {%- endif -%}
        {%- set entry = input_contract_entry(where, 'fields: ' ~ field, spec,
            fields[field].kind, [fields[field].kind]) -%}
        {%- do entry.update({'field': field, 'name': field,
            'group': fields[field].group, 'list': none,
            'type': fields[field].type if entry.kind == fields[field].kind
                else input_kind_type(entry.kind)}) -%}
        {%- do columns.append(entry) -%}
    {%- endfor -%}
    {%- for list_name, list_spec in lists.items() -%}
        {%- set entries = contract.get(list_name) or [] -%}
        {%- if entries is string or entries is mapping -%}
            {{ exceptions.raise_compiler_error(where ~ ": " ~ list_name
                ~ ": must be a list of {name, column} entries, not " ~ entries) }}
        {%- endif -%}
        {%- for spec in entries -%}
            {%- set label = list_name ~ ' entry ' ~ loop.index -%}
            {%- if spec is not mapping or not spec.get('name') -%}
                {{ exceptions.raise_compiler_error(where ~ ": " ~ label
                    ~ " has no name: each entry is {name: <identifier>, column: "
                    ~ "<input column>}, not " ~ spec) }}
            {%- endif -%}
            {%- set name = spec.name | string -%}
            {%- set letters = 'abcdefghijklmnopqrstuvwxyz' -%}
            {%- if name[0] not in letters or name | list
                | reject('in', letters ~ '0123456789_') | list | length > 0 -%}
                {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " name '"
                    ~ name ~ "' is not a lowercase identifier (a-z, 0-9, _); it "
                    ~ "names the columns " ~ list_spec.prefix ~ name
                    ~ list_spec.suffix) }}
            {%- endif -%}
            {%- set entry = input_contract_entry(where, list_name ~ ': ' ~ name,
                spec, list_spec.kind, list_spec.kinds) -%}
            {%- do entry.update({'field': list_name ~ '.' ~ name,
                'name': list_spec.prefix ~ name ~ list_spec.suffix,
                'item': name, 'group': list_spec.group, 'list': list_name,
                'type': input_kind_type(entry.kind)}) -%}
            {%- do columns.append(entry) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set seen_names = {} -%}
    {%- set seen_raw = {} -%}
    {%- for column in columns -%}
        {%- if column.name in seen_names -%}
            {{ exceptions.raise_compiler_error(where ~ ": " ~ column.field ~ " and "
                ~ seen_names[column.name] ~ " both make the column " ~ column.name) }}
        {%- endif -%}
        {%- do seen_names.update({column.name: column.field}) -%}
        {%- if column.raw is not none -%}
            {%- if column.raw in seen_raw -%}
                {{ exceptions.raise_compiler_error(where ~ ": duplicate mapping: "
                    ~ column.field ~ " and " ~ seen_raw[column.raw]
                    ~ " both read the input column '" ~ column.raw ~ "'") }}
            {%- endif -%}
            {%- do seen_raw.update({column.raw: column.field}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set ignore = contract.get('ignore') or [] -%}
    {%- for name in ignore if name in seen_raw -%}
        {{ exceptions.raise_compiler_error(where ~ ": the input column '" ~ name
            ~ "' is both ignored and read by " ~ seen_raw[name]) }}
    {%- endfor -%}
    {%- set groups = [] -%}
    {%- for column in columns if column.group not in groups -%}
        {%- do groups.append(column.group) -%}
    {%- endfor -%}
    {{ return({
        'name': contract.get('name') or 'customers',
        'label': where,
        'columns': columns,
        'ignore': ignore | list,
        'groups': groups,
    }) }}
{% endmacro %}

{#- Where the contract came from, for messages. -#}
{% macro input_contract_label() %}
    {%- set file = var('input_contract_file', none) -%}
    {{ return('Input contract ' ~ (file if file else "(var input_contract)")) }}
{% endmacro %}

{#- The SQL type of a kind. -#}
{% macro input_kind_type(kind) %}
    {{ return({'id': 'bigint', 'year': 'integer', 'count': 'integer',
        'amount': 'double', 'money': 'double', 'number': 'double',
        'flag': 'integer', 'date': 'date', 'text': 'varchar',
        'economics': 'double'}[kind]) }}
{% endmacro %}

{#-
    One mapping of the contract, normalized: a column name (a string), or a mapping
    with column or expression, and optionally type (one of `kinds`), format (dates:
    day_first, month_first, iso or a strptime pattern) and multiplier (numbers: the
    unit, e.g. 1000 for thousands).
-#}
{% macro input_contract_entry(where, label, spec, default_kind, kinds) %}
    {%- if spec is string or spec is number -%}
        {%- set spec = {'column': spec | string} -%}
    {%- endif -%}
    {%- if spec is not mapping -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " must be an input "
            ~ "column name or {column: ..., type: ...}, not " ~ spec) }}
    {%- endif -%}
    {%- for key in spec if key not in ['name', 'column', 'expression', 'type',
        'format', 'multiplier', 'description'] -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " has an unknown key '"
            ~ key ~ "' (column, expression, type, format, multiplier, description)") }}
    {%- endfor -%}
    {%- set column = spec.get('column') -%}
    {%- set expression = spec.get('expression') -%}
    {%- set has_column = column is not none and column != '' -%}
    {%- if has_column == (expression is not none and expression != '') -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " needs its input "
            ~ "column (column: <name>) or a SQL expression over the row (expression: "
            ~ "...), one of the two") }}
    {%- endif -%}
    {%- set kind = spec.get('type') or default_kind -%}
    {%- if kind not in kinds -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " has type '" ~ kind
            ~ "'; it can be " ~ kinds | join(' or ')) }}
    {%- endif -%}
    {%- set format = spec.get('format') -%}
    {%- if format is not none and kind != 'date' -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " has a format, "
            ~ "which only dates have") }}
    {%- endif -%}
    {%- if kind == 'date' and format is not none
        and format not in ['day_first', 'month_first', 'iso'] and '%' not in format -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " has the date format '"
            ~ format ~ "'; use day_first, month_first, iso or a strptime pattern such "
            ~ "as %d.%m.%Y") }}
    {%- endif -%}
    {%- set multiplier = spec.get('multiplier') -%}
    {%- if multiplier is not none and (multiplier is not number
        or kind not in ['money', 'amount', 'number']) -%}
        {{ exceptions.raise_compiler_error(where ~ ": " ~ label ~ " has the multiplier "
            ~ multiplier ~ "; a multiplier is a number, for money, amount and number "
            ~ "columns") }}
    {%- endif -%}
    {{ return({
        'raw': column | string if column is not none and column != '' else none,
        'expression': expression if expression else none,
        'kind': kind,
        'format': format or ('day_first' if kind == 'date' else none),
        'multiplier': multiplier,
    }) }}
{% endmacro %}
