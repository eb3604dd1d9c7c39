"""The segment model as a long parameter table with its identity (logic: segments):
fitted on the training sample (var segment_model_mode fit), or read from the model
file var segment_model_path names (frozen: nothing is fitted)."""

from customer_personality.core.frames import returned, to_pandas
from customer_personality.segments import (
    SegmentDefinitions,
    SegmentModel,
    fit_segments,
    read_model_file,
)


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.config.get("segment_features")
    training = dbt.ref("int_segment_sample")
    if dbt.config.get("segment_model_mode") == "frozen":
        frozen = read_model_file(dbt.config.get("segment_model_path"), features)
        return returned(session, frozen.table())
    sample = to_pandas(training)
    fit = fit_segments(
        sample,
        SegmentDefinitions.from_frame(to_pandas(dbt.ref("segment_definitions"))),
        features=features,
        n_components=int(dbt.config.get("segment_components")),
        method=dbt.config.get("segment_method"),
        random_state=int(dbt.config.get("random_seed")),
        sample_size=int(dbt.config.get("segment_sample_size")),
        assign=False,  # customer_segments scores every customer in SQL
    )
    # fitted_on: the build's reference date, added in SQL (int_segment_parameters).
    identified = SegmentModel.identify(fit.model, features, sample, fitted_on="")
    return returned(session, identified.table())
