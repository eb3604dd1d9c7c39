{#-
    A customer's log densities under the selected Gaussian mixture (a DOUBLE[] in
    component order, up to a term common to all; macro list_argmin with
    largest=true gives the component of highest posterior, the estimator's own id),
    from the gmm rows of the int_cluster_parameters table, read at run time and
    inlined as double literals: constant_c - sum over axes e of
    (sum over inputs d of z_d * L_c[d, e] - shift_c[e])^2 / 2, the arithmetic of
    customer_personality.clustering.mixture._gmm_predict (L: the Cholesky factor of
    the precision). `inputs` are the macro cluster_inputs' (their z_ columns in scope);
    the mixture uses the inputs it has rows for. None when the table has no mixture.
-#}
{% macro gaussian_mixture_component(parameters_relation, inputs) %}
    {%- set rows = run_query(
        "select cluster, parameter, coalesce(axis, 0) as axis, "
        ~ "coalesce(feature || '|' || coalesce(category, ''), '') as key, "
        ~ "cast(value as " ~ dbt.type_string() ~ ") as value from " ~ parameters_relation
        ~ " where algorithm = 'gmm' order by cluster, parameter, axis, key") -%}
    {%- set components = {} -%}
    {%- for row in rows -%}
        {%- set component = components.setdefault(row['cluster'] | int,
            {'constant': none, 'shift': {}, 'factor': {}}) -%}
        {%- set literal = '%.17e' | format(row['value'] | float) -%}
        {%- if row['parameter'] == 'constant' -%}
            {%- do component.update({'constant': literal}) -%}
        {%- elif row['parameter'] == 'shift' -%}
            {%- do component['shift'].update({row['axis'] | int: literal}) -%}
        {%- else -%}
            {%- do component['factor'].setdefault(row['axis'] | int, {}).update(
                {row['key']: literal}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not components -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set densities = [] -%}
    {%- for c in components | sort -%}
        {%- set component = components[c] -%}
        {%- set squares = [] -%}
        {%- for axis in component['shift'] | sort -%}
            {%- set terms = [] -%}
            {%- for input in inputs if input['key'] in component['factor'][axis] -%}
                {%- do terms.append(input['column'] ~ ' * '
                    ~ component['factor'][axis][input['key']]) -%}
            {%- endfor -%}
            {%- set white = '(' ~ terms | join(' + ') ~ ' - '
                ~ component['shift'][axis] ~ ')' -%}
            {%- do squares.append(white ~ ' * ' ~ white) -%}
        {%- endfor -%}
        {%- do densities.append('(' ~ component['constant']
            ~ ' - cast(0.5 as double) * (' ~ squares | join('\n            + ')
            ~ '))') -%}
    {%- endfor -%}
    {{ return(list_of(densities)) }}
{% endmacro %}
