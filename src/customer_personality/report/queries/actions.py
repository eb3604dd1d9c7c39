"""What to do: the segments' strategies, the campaign export's actions and targets,
the segments' migrations and the response model's gains."""

from __future__ import annotations

import pandas as pd

from customer_personality.report.queries.header import segment_definitions
from customer_personality.report.warehouse import MissingData, Warehouse


def _some_actions(data: pd.DataFrame) -> pd.DataFrame:
    """data, read from customer_actions, unless that table is empty."""
    if data.empty:
        raise MissingData("The table customer_actions holds no rows.")
    return data


def segment_strategies(wh: Warehouse) -> pd.DataFrame:
    """Per named segment (in the seed's order): people in the campaign export, their
    share, mean spending and share of all spending, churn alerts, and the strategy
    (goal, offer, channels, discount range) of customer_actions."""
    wh.need("customer_actions", "segment", "is_churn_alert", "goal", "offer", "channels")
    wh.need("customers", "customer_id", "spending")
    wh.need("segment_definitions", "segment", "segment_order")
    data = wh.frame(
        "select actions.segment, count(*) as people, "
        "count(*) / sum(count(*)) over () as people_share, "
        "avg(customers.spending) as mean_spending, "
        "sum(customers.spending) / sum(sum(customers.spending)) over () "
        "as spending_share, "
        "count(*) filter (where actions.is_churn_alert) as churn_alerts, "
        "any_value(actions.goal) as goal, any_value(actions.offer) as offer, "
        "any_value(actions.channels) as channels, "
        "any_value(actions.discount_range) as discount_range "
        "from customer_actions as actions "
        "inner join customers using (customer_id) "
        "left join segment_definitions as definitions "
        "on actions.segment = definitions.segment "
        "group by actions.segment "
        "order by any_value(definitions.segment_order), actions.segment"
    )
    return _some_actions(data)


def actions_by_segment(wh: Warehouse) -> pd.DataFrame:
    """segment, action, people, churn_alerts: the campaign export counted."""
    wh.need("customer_actions", "segment", "action", "is_churn_alert")
    data = wh.frame(
        "select segment, action, count(*) as people, "
        "count(*) filter (where is_churn_alert) as churn_alerts "
        "from customer_actions group by all order by all"
    )
    return _some_actions(data)


def duplicates_left_out(wh: Warehouse) -> int:
    """How many customers the export leaves out as repeats of another (0 for a
    warehouse without customer_duplicates)."""
    if "customer_duplicates" not in wh.columns:
        return 0
    return int(wh.value("select count(*) from customer_duplicates"))


def top_targets(wh: Warehouse, limit: int = 20) -> pd.DataFrame:
    """The limit people most likely to respond (customer_actions.response_rank)."""
    wanted = [
        "response_rank",
        "customer_id",
        "segment",
        "value_tier",
        "response_propensity",
        "action",
        "contact_channel",
        "recommended_action",
    ]
    wh.need("customer_actions", *wanted)
    data = wh.frame(
        f"select {', '.join(wanted)} from customer_actions "
        f"order by response_rank limit {int(limit)}"
    )
    return _some_actions(data)


def segment_migrations(wh: Warehouse) -> tuple[pd.DataFrame, str | None, pd.DataFrame]:
    """segment_migrations (from_segment, to_segment, movement, customers,
    from_snapshot_date, to_snapshot_date), the latest snapshot date of
    customer_segment_history (None when it holds none) and segment_definitions."""
    wh.need("segment_migrations", "from_segment", "to_segment", "movement", "customers")
    wh.need("customer_segment_history", "valid_from")
    data = wh.frame(
        "select from_segment, to_segment, movement, customers, "
        "from_snapshot_date::varchar as from_snapshot_date, "
        "to_snapshot_date::varchar as to_snapshot_date "
        "from segment_migrations order by all"
    )
    latest = wh.value("select max(valid_from)::varchar from customer_segment_history")
    return data, latest, segment_definitions(wh)


def response_gains(wh: Warehouse) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gains curves (response_model_deciles: ranking, decile,
    cumulative_responder_share, lift) and the held-out figures of each ranking
    (response_model_evaluation: ranking, auc, top_decile_lift, holdout_customers,
    holdout_response_rate)."""
    wh.need("response_model_deciles", "ranking", "decile", "cumulative_responder_share")
    wh.need("response_model_evaluation", "ranking", "auc", "top_decile_lift")
    deciles = wh.frame(
        "select ranking, decile, cumulative_responder_share, lift "
        "from response_model_deciles order by ranking, decile"
    )
    evaluation = wh.frame(
        "select ranking, auc, top_decile_lift, holdout_customers, holdout_response_rate "
        "from response_model_evaluation order by ranking"
    )
    if deciles.empty or evaluation.empty:
        raise MissingData("The response model was not evaluated in this build.")
    return deciles, evaluation
