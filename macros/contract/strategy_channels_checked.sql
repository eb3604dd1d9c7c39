{#-
    The purchase channels of seed strategy_channels checked against the input
    contract's channels (by name, case aside): returns those the contract lacks (an
    empty list when every one is a channel of the contract). One the contract lacks
    stops the build with a message naming the seed, the rows and the contract's
    channels, unless var unmatched_strategy_channels is skip (the contact channel
    is then chosen among the others; a segment left with none has no contact
    channel). Runs when dbt executes the model that reads the seed, not in its unit
    tests.
-#}
{% macro strategy_channels_checked(seed) %}
    {#- A unit test gives the seed as fixture rows: nothing to read. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set channels = input_list('channels') -%}
    {%- set rows = run_query("select distinct segment, purchase_channel from " ~ seed
        ~ " order by purchase_channel, segment").rows -%}
    {%- set missing = [] -%}
    {%- set shown = [] -%}
    {%- for row in rows if (row[1] | lower) not in channels -%}
        {%- if row[1] not in missing -%}
            {%- do missing.append(row[1]) -%}
        {%- endif -%}
        {%- do shown.append(row[0] ~ ': ' ~ row[1]) -%}
    {%- endfor -%}
    {%- if missing and var('unmatched_strategy_channels') != 'skip' -%}
        {{ exceptions.raise_compiler_error("Seed strategy_channels names purchase "
            ~ "channels the input contract (" ~ input_contract().label ~ ") does not "
            ~ "declare: " ~ shown | join('; ') ~ ". The contract's channels: "
            ~ (channels | join(', ') or 'none') ~ ". Edit seeds/strategy_channels.csv, "
            ~ "or set var unmatched_strategy_channels: skip to leave those rows out") }}
    {%- endif -%}
    {{ return(missing) }}
{% endmacro %}
