"""The PCA of the clustering features as a long parameter table (logic: projection)."""

from customer_personality.projection import fit_pca


def model(dbt, session):
    dbt.config(materialized="table")
    return fit_pca(
        dbt.ref("int_pca_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        n_components=3,
    )
