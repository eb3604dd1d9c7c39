"""The report's figures of what to do: the campaign export's actions per segment and
the response model's gains chart. One pure function per chart, frames in, (plotly
figure, one-line reading) out; queries/ reads the frames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from customer_personality.report.charts import Chart, segment_order

# The actions of customer_actions, in the order a marketer works through them.
ACTIONS = ("Retention contact", "Win back", "Segment offer")
ACTION_COLOURS = {
    "Retention contact": "#d62828",
    "Win back": "#f77f00",
    "Segment offer": "#2a9d8f",
}
RANKING_LABELS = {
    "response_model": "Response model",
    "rfm_score": "RFM score alone",
}


def actions_by_segment(
    data: pd.DataFrame, definitions: pd.DataFrame, left_out: int = 0
) -> Chart:
    """People per action in each segment, stacked (data: segment, action, people,
    churn_alerts); the reading counts each action, the churn alerts and the
    customers left out of the export as repeats of another person."""
    segments = segment_order(list(data["segment"].unique()), definitions)
    actions = [name for name in ACTIONS if name in set(data["action"])]
    actions += sorted(set(data["action"]) - set(actions))
    counts = data.pivot_table(
        index="segment", columns="action", values="people", aggfunc="sum", fill_value=0
    ).reindex(index=segments, columns=actions, fill_value=0)
    fig = go.Figure(
        [
            go.Bar(
                name=action,
                x=segments,
                y=counts[action],
                text=counts[action],
                textposition="inside",
                marker_color=ACTION_COLOURS.get(action, "#8d99ae"),
            )
            for action in actions
        ]
    )
    fig.update_layout(
        barmode="stack",
        title="People per action in each segment (the campaign export)",
        xaxis_title="Segment",
        yaxis_title="People",
        legend_title="Action",
    )
    totals = counts.sum()
    people = int(totals.sum())
    alerts = int(data["churn_alerts"].sum())
    parts = [f"{int(totals[action]):,} {action.lower()}" for action in actions]
    reading = (
        f"{people:,} people to contact: {', '.join(parts)}; {alerts:,} churn alerts "
        "(the riskiest fifth of each segment)."
    )
    if left_out:
        reading += (
            f" {left_out:,} customers repeat another's profile under a second ID and "
            "are exported once (table customer_duplicates)."
        )
    return fig, reading


def gains(deciles: pd.DataFrame, evaluation: pd.DataFrame) -> Chart:
    """The cumulative share of held-out responders reached by contacting the top
    deciles of each ranking (deciles: ranking, decile, cumulative_responder_share),
    against random contact; the reading compares AUC and top-decile lift
    (evaluation: ranking, auc, top_decile_lift, holdout_customers)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 100],
            y=[0, 100],
            mode="lines",
            name="Random contact",
            line={"dash": "dot", "color": "#8d99ae"},
        )
    )
    for ranking, group in deciles.groupby("ranking", sort=True):
        group = group.sort_values("decile")
        fig.add_trace(
            go.Scatter(
                x=[0, *(group["decile"] * 10)],
                y=[0, *(group["cumulative_responder_share"] * 100)],
                mode="lines+markers",
                name=RANKING_LABELS.get(ranking, ranking),
            )
        )
    fig.update_layout(
        title="Gains: responders reached by contacting the top of each ranking",
        xaxis_title="Held-out customers contacted, top first (%)",
        yaxis_title="Responders reached (%)",
    )
    figures = evaluation.set_index("ranking")
    model, rfm = figures.loc["response_model"], figures.loc["rfm_score"]
    top_share = deciles[
        (deciles["ranking"] == "response_model") & (deciles["decile"] == 1)
    ]
    reached = top_share["cumulative_responder_share"].iloc[0] if len(top_share) else None
    reading = (
        f"On {int(model['holdout_customers']):,} held-out customers the response model "
        f"ranks better than the RFM score alone: AUC {model['auc']:.2f} against "
        f"{rfm['auc']:.2f}; its top tenth responds {model['top_decile_lift']:.1f} times "
        f"as often as average, RFM's {rfm['top_decile_lift']:.1f} times"
    )
    if reached is not None:
        reading += f"; contacting that tenth reaches {reached:.0%} of the responders"
    return fig, reading + "."
