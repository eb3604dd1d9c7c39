{#-
    The rules a raw row is rejected by, in the order its reasons are listed: one check
    per checked raw column (by kind), then education, marital status, duplicate ID,
    age, the income outlier rule, duplicate profile and extra fields. Each check is a
    list of {when, reason}: its first true `when` gives its reason, none gives none.
    The conditions read the columns base_raw__customers checks: raw_<name>
    (the trimmed text, NULL when empty), <name> (typed), <name>_value (a flag's
    integer), education_level, customer_id_occurrence, age, income_lower_fence,
    income_upper_fence, profile_occurrence and raw_extra_fields. Which checks apply
    follows the cleaning vars (missing_income, max_age, income_outlier_rule,
    drop_duplicate_profiles). rejection_reasons_list() turns the checks into SQL.
-#}
{% macro rejection_reasons() %}
    {%- set checks = [] -%}
    {%- for column in input_schema()
        if column.kind not in ['ignored']
        and column.name not in ['education', 'marital_status'] -%}
        {%- set raw = 'raw_' ~ column.key -%}
        {%- set label = input_column_label(column) -%}
        {%- if column.kind == 'money' -%}
            {%- do checks.append([
                {'when': raw ~ " is null and '" ~ var('missing_income') ~ "' = 'drop'",
                    'reason': 'missing_income'},
                {'when': raw ~ ' is not null and ' ~ column.name ~ ' is null',
                    'reason': 'invalid_number:' ~ label},
                {'when': column.name ~ ' < 0', 'reason': 'negative_value:' ~ label},
            ]) -%}
        {%- elif column.kind == 'date' -%}
            {%- do checks.append([
                {'when': raw ~ ' is null', 'reason': 'missing_value:' ~ label},
                {'when': column.name ~ ' is null',
                    'reason': 'invalid_date:' ~ label},
            ]) -%}
        {%- elif column.kind == 'flag' -%}
            {%- do checks.append([
                {'when': raw ~ ' is null', 'reason': 'missing_value:' ~ label},
                {'when': column.name ~ '_value is null or ' ~ column.name
                    ~ '_value not in (0, 1)', 'reason': 'invalid_flag:' ~ label},
            ]) -%}
        {%- elif column.kind == 'text' -%}
            {%- do checks.append([
                {'when': raw ~ ' is null', 'reason': 'missing_value:' ~ label},
            ]) -%}
        {%- elif column.kind == 'number' -%}
            {%- do checks.append([
                {'when': raw ~ ' is null', 'reason': 'missing_value:' ~ label},
                {'when': column.name ~ ' is null',
                    'reason': 'invalid_number:' ~ label},
            ]) -%}
        {%- else -%}
            {%- do checks.append([
                {'when': raw ~ ' is null', 'reason': 'missing_value:' ~ label},
                {'when': column.name ~ ' is null',
                    'reason': 'invalid_number:' ~ label},
                {'when': column.name ~ ' < 0', 'reason': 'negative_value:' ~ label},
            ]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in input_schema() if column.name == 'education' -%}
        {%- do checks.append([
            {'when': 'education is null',
                'reason': 'missing_value:' ~ input_column_label(column)},
            {'when': 'education_level is null', 'reason': 'unknown_education'},
        ]) -%}
    {%- endfor -%}
    {%- for column in input_schema() if column.name == 'marital_status' -%}
        {%- do checks.append([
            {'when': 'marital_status is null',
                'reason': 'missing_value:' ~ input_column_label(column)},
        ]) -%}
    {%- endfor -%}
    {%- do checks.append([
        {'when': 'customer_id is not null and customer_id_occurrence > 1',
            'reason': 'duplicate_customer_id'},
    ]) -%}
    {%- if input_has('birth_year') -%}
        {%- do checks.append([
            {'when': 'age < 0', 'reason': 'birth_year_after_reference_date'},
        ]) -%}
    {%- endif -%}
    {%- if var('max_age') is not none and input_has('age') -%}
        {%- do checks.append([
            {'when': 'age > ' ~ var('max_age'), 'reason': 'age_above_max'},
        ]) -%}
    {%- endif -%}
    {%- if not input_has('income') -%}
    {%- elif var('income_outlier_rule') == 'max' -%}
        {%- do checks.append([
            {'when': 'income > ' ~ var('income_max'), 'reason': 'income_above_max'},
        ]) -%}
    {%- elif var('income_outlier_rule') == 'iqr' -%}
        {%- do checks.append([
            {'when': 'income > income_upper_fence or income < income_lower_fence',
                'reason': 'income_outside_iqr_fences'},
        ]) -%}
    {%- elif var('income_outlier_rule') != 'none' -%}
        {{ exceptions.raise_compiler_error(
            "var income_outlier_rule must be max, iqr or none, not "
            ~ var('income_outlier_rule')) }}
    {%- endif -%}
    {%- if var('drop_duplicate_profiles') -%}
        {%- do checks.append([
            {'when': 'profile_occurrence > 1', 'reason': 'duplicate_profile'},
        ]) -%}
    {%- endif -%}
    {%- do checks.append([
        {'when': 'raw_extra_fields is not null', 'reason': 'extra_fields'},
    ]) -%}
    {{ return(checks) }}
{% endmacro %}
