"""Three principal components per customer, for 3-D plots (logic: project_pca)."""

from customer_personality.clustering import project_pca


def model(dbt, session):
    dbt.config(materialized="table")
    return project_pca(
        dbt.ref("int_clustering_features").df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        n_components=3,
        random_state=dbt.config.get("random_seed"),
    )
