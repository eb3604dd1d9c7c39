"""The response model as a parameter table (logic: customer_personality.response)."""

from customer_personality.core.frames import feature_lists, returned, to_pandas
from customer_personality.response import ResponseConfig, fit_response_model


def model(dbt, session):
    dbt.config(materialized="table")
    config = ResponseConfig.from_dbt(
        {
            "response_features": feature_lists(dbt.ref("int_feature_lists")).get(
                "response_features", []
            ),
            "response_regularization": dbt.config.get("response_regularization"),
            "random_seed": dbt.config.get("random_seed"),
            "response_calibration": dbt.config.get("response_calibration"),
        }
    )
    fitted = fit_response_model(to_pandas(dbt.ref("int_response_sample")), config)
    return returned(session, fitted)
