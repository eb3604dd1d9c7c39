"""The report's figures of the chosen clustering, for a build without named segments:
one pure function per chart, frames in, (plotly figure, one-line reading) out.

profiles is cluster_profiles of the chosen clustering (cluster, customers,
customer_share, mean_/median_/min_/max_<feature> for the features the input has,
spend_share_<product>, purchase_share_<channel>, acceptance_rate_<campaign> when it
has them), one row per cluster; chosen is its row of cluster_evaluation
(queries.chosen_clustering: algorithm, k, silhouette, selection_reason, the
stability figures, selected, rule, no_segments).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from customer_personality.report import profile_charts
from customer_personality.report.charts import Chart, cluster_name
from customer_personality.report.text import algorithm, isna, label, num
from customer_personality.report.warehouse import MissingData

NOISE_ORDER = 1_000_000  # noise (cluster -1) after every cluster


def cluster_definitions(clusters: Sequence[int]) -> pd.DataFrame:
    """The clusters as profile_charts reads segments: name, order and colour."""
    names = [cluster_name(int(value)) for value in clusters]
    order = [NOISE_ORDER if value == -1 else int(value) for value in clusters]
    palette = qualitative.Plotly
    colours = [
        "#8d99ae" if value == -1 else palette[int(value) % len(palette)]
        for value in clusters
    ]
    return pd.DataFrame({"segment": names, "segment_order": order, "colour": colours})


def named(profiles: pd.DataFrame) -> pd.DataFrame:
    """profiles indexed by cluster name ('cluster 0', ..., 'noise'), in order."""
    order = profiles["cluster"].map(lambda value: NOISE_ORDER if value == -1 else value)
    ordered = profiles.assign(_order=order).sort_values("_order")
    names = ordered["cluster"].map(lambda value: cluster_name(int(value)))
    return ordered.drop(columns="_order").set_index(names.rename("segment"))


def title_of(chosen: pd.Series) -> str:
    return f"{algorithm(chosen['algorithm'])}, k = {chosen['k']}"


def chosen_readings(chosen: pd.Series) -> list[str]:
    """Why the report shows this clustering, how it was selected and how stable it
    is, from its row of cluster_evaluation."""
    name = algorithm(chosen["algorithm"])
    why = chosen.get("no_segments")
    lines = [
        "This build has no named segments"
        + (f" (customer_segments was not built: it {why})" if why else "")
        + f", so the report starts from the chosen clustering: {title_of(chosen)}."
    ]
    lines.append(
        f"Chosen by the rule: {chosen['rule']}; {int(chosen['selected'])} "
        "clusterings selected a k (compared under 'Choosing the number of clusters')."
    )
    selected = f"{name} selected k = {chosen['k']}"
    if not isna(chosen.get("selection_reason")):
        selected += f" by {chosen['selection_reason']}"
    if not isna(chosen.get("silhouette")):
        selected += f"; its silhouette is {chosen['silhouette']:.2f}"
    lines.append(selected + ".")
    if not isna(chosen.get("stability_ari_median")):
        lines.append(
            f"Stability: refitted on {chosen['stability_resamples']:.0f} bootstrap "
            f"resamples of {chosen['stability_rows']:,.0f} customers, the clusters "
            f"agree at a median adjusted Rand index of "
            f"{chosen['stability_ari_median']:.2f} (lowest "
            f"{chosen['stability_ari_min']:.2f}; weakest cluster's mean Jaccard "
            f"{chosen['stability_weakest_cluster_jaccard']:.2f}): "
            f"{chosen['stability_reading']}."
        )
    else:
        lines.append("Stability: not measured for this clustering.")
    return lines


def cluster_sizes(profiles: pd.DataFrame, chosen: pd.Series) -> Chart:
    """Customers per cluster of the chosen clustering (cluster_profiles)."""
    data = named(profiles)
    definitions = cluster_definitions(profiles["cluster"])
    colours = dict(zip(definitions["segment"], definitions["colour"], strict=True))
    fig = go.Figure(
        go.Bar(
            x=list(data.index),
            y=data["customers"],
            text=[
                f"{count:,} ({share:.0%})"
                for count, share in zip(
                    data["customers"], data["customer_share"], strict=True
                )
            ],
            textposition="outside",
            marker_color=[colours[name] for name in data.index],
        )
    )
    fig.update_layout(
        title=f"Customers per cluster: {title_of(chosen)}",
        xaxis_title="Cluster",
        yaxis_title="Customers",
    )
    clusters = data[data["cluster"] != -1]
    largest, smallest = clusters["customers"].idxmax(), clusters["customers"].idxmin()
    reading = (
        f"{len(clusters)} clusters of {int(data['customers'].sum()):,} customers; the "
        f"largest, {largest}, holds {clusters.loc[largest, 'customer_share']:.0%}, the "
        f"smallest, {smallest}, {clusters.loc[smallest, 'customer_share']:.0%}"
    )
    if (data["cluster"] == -1).any():
        reading += f"; noise {data.loc['noise', 'customer_share']:.1%}"
    return fig, reading + "."


def cluster_means(profiles: pd.DataFrame, chosen: pd.Series) -> Chart:
    """Each cluster's mean of every feature the input has (mean_<feature>), coloured
    from the lowest to the highest cluster per feature, the means written in."""
    data = named(profiles)
    columns = [name for name in data.columns if name.startswith("mean_")]
    if not columns:
        raise MissingData("cluster_profiles has no mean_* column.")
    means = data[columns].astype(float).T
    spread = (means.max(axis=1) - means.min(axis=1)).replace(0, 1)
    scaled = means.sub(means.min(axis=1), axis=0).div(spread, axis=0)
    features = [label(name.removeprefix("mean_")) for name in columns]
    fig = go.Figure(
        go.Heatmap(
            z=scaled.to_numpy(),
            x=list(data.index),
            y=features,
            zmin=0,
            zmax=1,
            colorscale="Blues",
            text=[[num(value) for value in row] for row in means.to_numpy()],
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: mean %{text}<extra></extra>",
            colorbar={"title": {"text": "low to high"}, "tickvals": []},
        )
    )
    fig.update_layout(
        title=f"Cluster profiles: mean of each feature, {title_of(chosen)}",
        xaxis_title="Cluster",
        yaxis_title="Feature",
        yaxis_autorange="reversed",
    )
    leaders = [
        f"{feature.lower()} {means.loc[column].idxmax()} ({num(means.loc[column].max())})"
        for feature, column in zip(features, columns, strict=True)
    ]
    return fig, "Highest mean: " + ", ".join(leaders) + "."


def cluster_product_mix(profiles: pd.DataFrame, chosen: pd.Series) -> Chart:
    return profile_charts.mix(
        named(profiles),
        cluster_definitions(profiles["cluster"]),
        "spend_share_",
        f"Product mix per cluster: share of spending, {title_of(chosen)}",
        "Share of spending",
        True,
        unit="Cluster",
    )


def cluster_channel_mix(profiles: pd.DataFrame, chosen: pd.Series) -> Chart:
    return profile_charts.mix(
        named(profiles),
        cluster_definitions(profiles["cluster"]),
        "purchase_share_",
        f"Channel mix per cluster: share of purchases, {title_of(chosen)}",
        "Share of purchases",
        False,
        unit="Cluster",
    )


def cluster_acceptance(profiles: pd.DataFrame, chosen: pd.Series) -> Chart:
    return profile_charts.campaign_acceptance(
        named(profiles), cluster_definitions(profiles["cluster"]), unit="Cluster"
    )
