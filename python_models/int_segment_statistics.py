"""Do the features really differ between segments? (logic: segment_statistics)"""

import pandas as pd

from customer_personality.statistics import segment_statistics


def model(dbt, session):
    dbt.config(materialized="table")
    numeric = list(dbt.config.get("statistics_numeric_features"))
    categorical = list(dbt.config.get("statistics_categorical_features"))
    columns = ["customer_id", "segment", *numeric, *categorical]
    # Through Arrow, text stays Arrow-backed: a sixth of the time of .df()'s objects.
    data = dbt.ref("customers").project(", ".join(dict.fromkeys(columns)))
    return segment_statistics(
        data.to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype),
        numeric=numeric,
        categorical=categorical,
        alpha=dbt.config.get("statistics_alpha"),
        max_rows=dbt.config.get("statistics_sample_size"),
        random_state=dbt.config.get("random_seed"),
    )
