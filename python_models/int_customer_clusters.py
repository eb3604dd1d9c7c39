"""Every customer's cluster under each algorithm at its selected k (logic:
label_sample_customers refits only the candidates int_cluster_evaluation selected,
on the same SQL sample)."""

from customer_personality.clustering import label_sample_customers


def model(dbt, session):
    dbt.config(materialized="table")
    return label_sample_customers(
        dbt.ref("int_clustering_features").df(),
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        dbt.ref("int_cluster_evaluation")
        .project("algorithm, k, parameter, is_selected, sample_labels")
        .df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        sample_size=dbt.config.get("cluster_sample_size"),
        random_state=dbt.config.get("random_seed"),
    )
