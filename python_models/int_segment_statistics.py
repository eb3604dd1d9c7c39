"""Do the features really differ between segments? (logic: segment_statistics)"""

from customer_personality.statistics import segment_statistics


def model(dbt, session):
    dbt.config(materialized="table")
    numeric = list(dbt.config.get("statistics_numeric_features"))
    categorical = list(dbt.config.get("statistics_categorical_features"))
    columns = ["customer_id", "segment", *numeric, *categorical]
    return segment_statistics(
        dbt.ref("customers").project(", ".join(dict.fromkeys(columns))).df(),
        numeric=numeric,
        categorical=categorical,
        alpha=dbt.config.get("statistics_alpha"),
        max_rows=dbt.config.get("statistics_sample_size"),
        random_state=dbt.config.get("random_seed"),
    )
