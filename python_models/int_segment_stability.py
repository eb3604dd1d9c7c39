"""The segment model's bootstrap stability, per segment (logic: segment_stability);
refits are named by the seed segment_definitions, as the model was."""

from customer_personality.segments import SegmentDefinitions, segment_stability


def model(dbt, session):
    dbt.config(materialized="table")
    return segment_stability(
        dbt.ref("int_segment_stability_sample").df(),
        dbt.ref("int_segment_model").df(),
        SegmentDefinitions.from_frame(dbt.ref("segment_definitions").df()),
        features=dbt.config.get("segment_features"),
        method=dbt.config.get("segment_method"),
        n_resamples=int(dbt.config.get("stability_resamples")),
        sample_size=int(dbt.config.get("stability_sample_size")),
        random_state=int(dbt.config.get("random_seed")),
    )
