{#-
    Scoring a customer's segment in SQL alone, from the segment_model table.

    segment_scoring(model_relation) reads the fitted parameters once (at run time) and
    returns a dict of SQL expressions over the feature columns (var segment_features):
      log_densities: a DOUBLE[] of ln(weight_k * N(u | mean_k, precision_k)), one per
                     segment in component order,
      names:         the segment names in the same order (a VARCHAR[] literal).
    The preparation rows are applied in order, as customer_personality.segments does:
    x' = ln(1 + max(x, 0)) for 'log1p' features; x' clipped to [clip_lower,
    clip_upper]; z = (x' - feature_mean) / feature_scale; u_axis = sum of projection
    weight * z (u = z without projection rows); u / |u| under 'normalize'. Then
    d = u - mean_k; ln p_k = ln(weight_k) + log_det_precision_k / 2 - D/2 ln(2 pi)
    - d' P_k d / 2 over the D axes. The posterior is the softmax of the log densities;
    the segment is the first argmax. The parameters are inlined as literals, so the
    expression is pure arithmetic: fast on millions of rows and usable in a read-only
    session.
-#}
{% macro segment_scoring(model_relation, arguments=none) %}
    {%- set features = var('segment_features') -%}
    {%- set arguments = arguments or features -%}
    {%- set rows = run_query(
        "select coalesce(component, 0) as component, segment, parameter, "
        ~ "coalesce(feature, '') as feature, coalesce(feature_2, '') as feature_2, "
        ~ "cast(value as " ~ dbt.type_string() ~ ") as value from " ~ model_relation
        ~ " order by component nulls first, parameter, feature, feature_2") -%}
    {%- set prepare = {'log1p': {}, 'clip_lower': {}, 'clip_upper': {},
        'feature_mean': {}, 'feature_scale': {}} -%}
    {%- set projection = {} -%}
    {%- set axes = [] -%}
    {%- set normalize = [] -%}
    {%- set components = {} -%}
    {%- for row in rows -%}
        {%- if row['component'] | int == 0 -%}
            {%- if row['parameter'] in prepare -%}
                {%- do prepare[row['parameter']].update(
                    {row['feature']: double_literal(row['value'])}) -%}
            {%- elif row['parameter'] == 'projection' -%}
                {%- if row['feature'] not in projection -%}
                    {%- do projection.update({row['feature']: {}}) -%}
                {%- endif -%}
                {%- do projection[row['feature']].update(
                    {row['feature_2']: double_literal(row['value'])}) -%}
            {%- elif row['parameter'] == 'normalize' -%}
                {%- do normalize.append(true) -%}
            {%- endif -%}
        {%- else -%}
            {%- set key = row['component'] | int -%}
            {%- if key not in components -%}
                {%- do components.update({key: {'name': row['segment'], 'mean': {},
                    'precision': {}}}) -%}
            {%- endif -%}
            {%- if row['parameter'] in ['weight', 'log_det_precision'] -%}
                {%- do components[key].update(
                    {row['parameter']: double_literal(row['value'])}) -%}
            {%- elif row['parameter'] == 'mean' -%}
                {%- do components[key]['mean'].update(
                    {row['feature']: double_literal(row['value'])}) -%}
                {%- if row['feature'] not in axes -%}
                    {%- do axes.append(row['feature']) -%}
                {%- endif -%}
            {%- elif row['parameter'] == 'precision' -%}
                {%- do components[key]['precision'].update(
                    {row['feature'] ~ '|' ~ row['feature_2']: row['value']}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not components -%}
        {{ exceptions.raise_compiler_error(
            "segment_scoring: no fitted components in " ~ model_relation) }}
    {%- endif -%}
    {#- z per feature: log, clip, standardize. -#}
    {%- set standardized = {} -%}
    {%- for feature in features -%}
        {%- set value = '(' ~ arguments[loop.index0] ~ ')::double' -%}
        {%- if feature in prepare['log1p'] -%}
            {%- set value = 'ln(1 + greatest(' ~ value ~ ', 0))' -%}
        {%- endif -%}
        {%- if feature in prepare['clip_lower'] -%}
            {%- set value = 'least(greatest(' ~ value ~ ', '
                ~ prepare['clip_lower'][feature] ~ '), '
                ~ prepare['clip_upper'][feature] ~ ')' -%}
        {%- endif -%}
        {%- do standardized.update({feature: '((' ~ value ~ ' - '
            ~ prepare['feature_mean'][feature] ~ ') / '
            ~ prepare['feature_scale'][feature] ~ ')'}) -%}
    {%- endfor -%}
    {#- u per axis: the projection (identity without projection rows). -#}
    {%- set projected = {} -%}
    {%- for axis in axes -%}
        {%- if projection -%}
            {%- set terms = [] -%}
            {%- for feature in features if feature in projection[axis] -%}
                {%- do terms.append(projection[axis][feature] ~ ' * '
                    ~ standardized[feature]) -%}
            {%- endfor -%}
            {%- do projected.update({axis: '(' ~ terms | join(' + ') ~ ')'}) -%}
        {%- else -%}
            {%- do projected.update({axis: standardized[axis]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if normalize -%}
        {%- set squares = [] -%}
        {%- for axis in axes -%}
            {%- do squares.append(projected[axis] ~ ' * ' ~ projected[axis]) -%}
        {%- endfor -%}
        {#- The same floor as the package's MIN_NORM: the centre itself stays put. -#}
        {%- set norm = 'greatest(sqrt(' ~ squares | join(' + ') ~ '), 1e-12)' -%}
        {%- for axis in axes -%}
            {%- do projected.update(
                {axis: '(' ~ projected[axis] ~ ' / ' ~ norm ~ ')'}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set log_two_pi = (axes | length) * 0.9189385332046727 -%}
    {%- set densities = [] -%}
    {%- set names = [] -%}
    {%- for key in components | sort -%}
        {%- set component = components[key] -%}
        {%- set differences = {} -%}
        {%- for axis in axes -%}
            {%- do differences.update({axis: "(" ~ projected[axis] ~ " - "
                ~ component['mean'][axis] ~ ")"}) -%}
        {%- endfor -%}
        {%- set terms = [] -%}
        {%- for first in axes -%}
            {%- for second in axes -%}
                {%- set weight = component['precision'][first ~ '|' ~ second] -%}
                {%- if weight | float != 0.0 -%}
                    {%- do terms.append(double_literal(weight) ~ " * "
                        ~ differences[first] ~ " * " ~ differences[second]) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- do densities.append(
            "(ln(" ~ component['weight'] ~ ") + " ~ component['log_det_precision']
            ~ " / 2 - " ~ log_two_pi ~ " - (" ~ terms | join(' + ') ~ ") / 2)") -%}
        {%- do names.append("'" ~ component['name'] | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {{ return({
        'log_densities': list_of(densities),
        'names': list_of(names),
        'segment_names': names,
    }) }}
{% endmacro %}
