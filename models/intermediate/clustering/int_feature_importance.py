"""What drives each clustering: random forest + permutation importance (logic:
clustering.feature_importance, on the customers int_importance_sample drew)."""

from customer_personality.clustering import feature_importance
from customer_personality.core.frames import feature_lists, returned, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    features = feature_lists(dbt.ref("int_feature_lists"))
    numeric = features.get("cluster_numeric_features", [])
    categorical = features.get("cluster_categorical_features", [])
    sample = to_pandas(dbt.ref("int_importance_sample"))
    labels = sample[["customer_id", "clustering", "k", "cluster"]]
    importance = feature_importance(
        sample[["customer_id", *numeric, *categorical]].drop_duplicates("customer_id"),
        labels.rename(columns={"clustering": "algorithm"}),
        numeric=numeric,
        categorical=categorical,
        random_state=dbt.config.get("random_seed"),
        sample_size=dbt.config.get("importance_sample_size"),
    )
    return returned(session, importance)
