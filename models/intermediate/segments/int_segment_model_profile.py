"""The profile of the segment model's training data (logic:
segments.model_file): this build's int_segment_training_profile when the model is
fitted here, the model file's when it is frozen (var segment_model_mode)."""

from customer_personality.core.frames import returned, to_pandas
from customer_personality.segments import read_model_file


def model(dbt, session):
    dbt.config(materialized="table")
    if dbt.config.get("segment_model_mode") == "frozen":
        frozen = read_model_file(
            dbt.config.get("segment_model_path"), dbt.config.get("segment_features")
        )
        return returned(session, frozen.profile)
    return returned(session, to_pandas(dbt.ref("int_segment_training_profile")))
