"""Do the features really differ between segments? (logic: statistics_from_tables)

Kruskal-Wallis and chi-square read every customer's ranks and counts computed in SQL
(int_statistics_rank_sums, int_statistics_category_counts); the pairwise and
correlation tests read the seeded SQL sample int_statistics_sample only. Segments
are ordered as the seed segment_definitions orders them.
"""

import pandas as pd

from customer_personality.core.frames import (
    feature_lists,
    returned,
    to_arrow,
    to_numpy,
    to_pandas,
)
from customer_personality.statistics import statistics_from_tables


def model(dbt, session):
    dbt.config(materialized="table")
    # Through Arrow, text stays Arrow-backed: a sixth of the time of .df()'s objects.
    sample = to_arrow(dbt.ref("int_statistics_sample"))
    sample = sample.to_pandas(types_mapper=pd.ArrowDtype)
    population = int(sample["population"].iloc[0]) if len(sample) else 0
    segments = to_numpy(
        dbt.ref("segment_definitions"), ["segment"], order=["segment_order"]
    )
    features = feature_lists(dbt.ref("int_feature_lists"))
    statistics = statistics_from_tables(
        sample.drop(columns="population"),
        to_pandas(dbt.ref("int_statistics_rank_sums")),
        to_pandas(dbt.ref("int_statistics_category_counts")),
        numeric=features.get("statistics_numeric_features", []),
        categorical=features.get("statistics_categorical_features", []),
        alpha=dbt.config.get("statistics_alpha"),
        sampled=population > len(sample),
        group_order=list(segments["segment"]),
    )
    return returned(session, statistics)
