"""The fitted segment model as a long parameter table (logic: segments), its
components named by the seed segment_definitions."""

from customer_personality.segments import SegmentDefinitions, fit_segments


def model(dbt, session):
    dbt.config(materialized="table")
    fit = fit_segments(
        dbt.ref("int_segment_sample").df(),
        SegmentDefinitions.from_frame(dbt.ref("segment_definitions").df()),
        features=dbt.config.get("segment_features"),
        n_components=int(dbt.config.get("segment_components")),
        method=dbt.config.get("segment_method"),
        random_state=int(dbt.config.get("random_seed")),
        sample_size=int(dbt.config.get("segment_sample_size")),
        assign=False,  # customer_segments scores every customer in SQL
    )
    return fit.model
