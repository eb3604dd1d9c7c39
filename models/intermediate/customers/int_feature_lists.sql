{#-
    The feature lists of this build (macro feature_list: a var set to a list, or the
    list the input contract gives): one row per list and feature, in the list's
    order. The Python models read their features here, since their YAML config sees
    vars but not the contract's derivation.
-#}
{%- set names = ['cluster_numeric_features', 'cluster_categorical_features',
    'statistics_numeric_features', 'statistics_categorical_features',
    'basket_item_columns', 'response_features'] -%}
{%- set rows = [] -%}
{%- for name in names -%}
    {%- for feature in feature_list(name) -%}
        {%- do rows.append("select '" ~ name ~ "' as list_name, " ~ loop.index
            ~ " as position, '" ~ feature ~ "' as feature") -%}
    {%- endfor -%}
{%- endfor -%}

with

final as (
    {{ rows | join('\n    union all\n    ') }}
)

select * from final
