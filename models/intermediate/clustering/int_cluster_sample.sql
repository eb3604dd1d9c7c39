{#-
    The customers the clusterings are fitted and evaluated on: a seeded sample (macro
    seeded_sample) of the clustering features of max(cluster_sample_size,
    cluster_fit_sample_size) kept customers, all of them when there are fewer.
    sample_position is a row's place in the sample's hash order: the evaluation
    sample is the rows with sample_position <= cluster_sample_size, nested in the fit
    sample (every row). int_cluster_evaluation and int_cluster_stability receive
    these rows only.
-#}
{{ config(materialized='table') }}

{%- set size = [var('cluster_sample_size'), var('cluster_fit_sample_size')] | max %}

{{ seeded_sample(ref('int_clustering_features'), size, position='sample_position') }}
