"""What drives each clustering: random forest + permutation importance."""

from customer_personality.clustering import feature_importance


def model(dbt, session):
    dbt.config(materialized="table")
    memberships = dbt.ref("int_clustering_memberships").project(
        "customer_id, clustering as algorithm, k, cluster"
    )
    return feature_importance(
        dbt.ref("int_clustering_features").df(),
        memberships.df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        random_state=dbt.config.get("random_seed"),
        sample_size=dbt.config.get("importance_sample_size"),
    )
