"""The fitted GMM segment model as a long parameter table (logic: segments)."""

from customer_personality.segments import fit_segments


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.config.get("segment_features")
    data = dbt.ref("int_customer_features").project(", ".join(["customer_id", *features]))
    fit = fit_segments(
        data.df(),
        features=features,
        n_components=int(dbt.config.get("segment_components")),
        covariance_type=dbt.config.get("segment_covariance_type"),
        random_state=int(dbt.config.get("random_seed")),
        sample_size=int(dbt.config.get("segment_sample_size")),
        assign=False,  # customer_segments scores every customer in SQL
    )
    return fit.model
