"""The PCA of the clustering features as a long parameter table (logic:
clustering.projection)."""

from customer_personality.clustering import fit_pca
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    features = feature_lists(dbt.ref("int_feature_lists"))
    pca = fit_pca(
        to_pandas(dbt.ref("int_pca_sample")),
        to_pandas(dbt.ref("int_clustering_standardizer")),
        numeric=features.get("cluster_numeric_features", []),
        categorical=features.get("cluster_categorical_features", []),
        n_components=3,
    )
    return returned(session, pca)
