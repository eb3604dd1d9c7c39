"""The response model as a parameter table (logic: customer_personality.response)."""

from customer_personality.response import ResponseConfig, fit_response_model


def model(dbt, session):
    dbt.config(materialized="table")
    config = ResponseConfig.from_dbt(
        {
            "response_features": dbt.config.get("response_features"),
            "response_regularization": dbt.config.get("response_regularization"),
            "random_seed": dbt.config.get("random_seed"),
        }
    )
    return fit_response_model(dbt.ref("int_response_sample").df(), config)
