"""Bootstrap stability of each algorithm's selected clustering (logic:
cluster_stability.sample_stability refits only the selected candidates, on the
seeded SQL sample int_cluster_sample)."""

from customer_personality.cluster_stability import sample_stability


def model(dbt, session):
    dbt.config(materialized="table")
    return sample_stability(
        dbt.ref("int_cluster_sample").df(),
        dbt.ref("int_clustering_standardizer").df(),
        dbt.ref("int_cluster_evaluation")
        .project("algorithm, k, parameter, is_selected")
        .df(),
        numeric=list(dbt.config.get("cluster_numeric_features")),
        categorical=list(dbt.config.get("cluster_categorical_features")),
        sample_size=dbt.config.get("cluster_sample_size"),
        random_state=dbt.config.get("random_seed"),
        n_resamples=int(dbt.config.get("stability_resamples")),
        stability_sample_size=int(dbt.config.get("stability_sample_size")),
    )
