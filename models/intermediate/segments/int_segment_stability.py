"""The segment model's bootstrap stability, per segment (logic: segment_stability);
refits are named by the seed segment_definitions, as the model was."""

from customer_personality.core.frames import returned, to_pandas
from customer_personality.segments import SegmentDefinitions, segment_stability


def model(dbt, session):
    dbt.config(materialized="table")
    stability = segment_stability(
        to_pandas(dbt.ref("int_segment_stability_sample")),
        to_pandas(dbt.ref("int_segment_model")),
        SegmentDefinitions.from_frame(to_pandas(dbt.ref("segment_definitions"))),
        features=dbt.config.get("segment_features"),
        method=dbt.config.get("segment_method"),
        n_resamples=int(dbt.config.get("stability_resamples")),
        sample_size=int(dbt.config.get("stability_sample_size")),
        random_state=int(dbt.config.get("random_seed")),
    )
    return returned(session, stability)
