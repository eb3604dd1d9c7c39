{#-
    The customers the PCA is fitted on: a seeded sample (macro seeded_sample) of at
    most pca_sample_size kept customers' clustering features, all of them when there
    are fewer. int_pca_model receives these rows only.
-#}
{{ config(materialized='view') }}

{{ seeded_sample(ref('int_clustering_features'), var('pca_sample_size')) }}
