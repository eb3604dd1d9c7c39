"""The report's figures of segments, clusterings, rules and data quality: one pure
function per chart, frames in, (plotly figure, one-line reading) out.

No function here reads the warehouse: queries/ gives the frames, so that each
chart can be tested on a handful of hand-made rows. Segment order and colours come
from a frame of the seed segment_definitions (segment, segment_order, colour).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from customer_personality.report.text import LABELS, algorithm, isna, label, num

Chart = tuple[go.Figure, str]


def segment_order(names: Sequence[str], definitions: pd.DataFrame) -> list[str]:
    """The segments among names in the seed's order, any others after, by name."""
    present = set(names)
    ordered = definitions.sort_values("segment_order")["segment"]
    known = [name for name in ordered if name in present]
    return known + sorted(present - set(known))


def segment_colours(definitions: pd.DataFrame) -> dict[str, str]:
    return dict(zip(definitions["segment"], definitions["colour"]))


def segments_3d(
    sample: pd.DataFrame, profiles: pd.DataFrame, definitions: pd.DataFrame
) -> Chart:
    """The sampled customers by income, seniority and spending, coloured by segment;
    the reading gives each segment's share and mean spending (segment_profiles)."""
    order = segment_order(list(profiles.index), definitions)
    fig = px.scatter_3d(
        sample,
        x="income",
        y="seniority_months",
        z="spending",
        color="segment",
        color_discrete_map=segment_colours(definitions),
        category_orders={"segment": order},
        hover_data=["customer_id"],
        opacity=0.75,
        title="Segments by income, seniority and spending",
        labels={**LABELS, "segment": "Segment"},
    )
    fig.update_traces(marker={"size": 2.5})
    fig.update_layout(
        scene={
            "xaxis_title": "Income",
            "yaxis_title": "Seniority (months)",
            "zaxis_title": "Spending",
        }
    )
    total = int(profiles["customers"].sum())
    parts = [
        f"{name}: {profiles.loc[name, 'customer_share']:.0%} of customers, "
        f"mean spending {num(profiles.loc[name, 'mean_spending'])}"
        for name in order
    ]
    return fig, "; ".join(parts) + f" ({len(sample):,} of {total:,} customers drawn)."


def cluster_name(value: int) -> str:
    return "noise" if value == -1 else f"cluster {value}"


def cluster_sort_key(name: str) -> tuple[bool, int]:
    """'cluster 2' before 'cluster 10', noise last."""
    return (True, 0) if name == "noise" else (False, int(name.split()[-1]))


def clustering_3d(
    points: pd.DataFrame,
    sizes: pd.Series,
    name: str,
    k: int,
    axes: Sequence[str],
    reason: str | None,
) -> Chart:
    """One clustering's sampled customers on the first three principal components;
    sizes: customers per cluster (-1: noise) over all customers."""
    points = points.assign(cluster=points["cluster"].map(cluster_name))
    fig = px.scatter_3d(
        points,
        x="pc1",
        y="pc2",
        z="pc3",
        color="cluster",
        category_orders={
            "cluster": sorted(points["cluster"].unique(), key=cluster_sort_key)
        },
        hover_data=["customer_id"],
        opacity=0.75,
        title=f"{algorithm(name)}, k = {k}, on the principal components",
        labels={"cluster": "Cluster"},
    )
    fig.update_traces(marker={"size": 2.5})
    fig.update_layout(
        scene={"xaxis_title": axes[0], "yaxis_title": axes[1], "zaxis_title": axes[2]}
    )
    total = int(sizes.sum())
    clusters = sizes[sizes.index != -1]
    if len(clusters) == 1:
        reading = f"One cluster of {clusters.iloc[0] / total:.1%} of customers"
    else:
        reading = (
            f"{len(clusters)} clusters; the largest holds {clusters.max() / total:.0%} "
            f"of customers, the smallest {clusters.min() / total:.0%}"
        )
    if -1 in sizes.index:
        reading += f"; noise {sizes.loc[-1] / total:.1%}"
    if reason:
        reading += f". Selected by {reason}"
    return fig, reading + f" ({len(points):,} customers drawn)."


def unselected_readings(unselected: pd.DataFrame) -> list[str]:
    """Why an algorithm has no clustering to show (algorithm, selection_reason)."""
    return [
        f"{algorithm(row.algorithm)}: no clustering to show, {row.selection_reason}."
        for row in unselected.itertuples(index=False)
    ]


def _mark_selected(fig: go.Figure, data: pd.DataFrame, metric: str) -> str:
    """A star on the selected k; why it was selected."""
    chosen = data[data["is_selected"]]
    if chosen.empty:
        return "no k marked as selected"
    row = chosen.iloc[0]
    fig.add_trace(
        go.Scatter(
            x=[row["k"]],
            y=[row[metric]],
            mode="markers",
            marker={"symbol": "star", "size": 18, "color": "#d62828"},
            name=f"selected k = {row['k']}",
        )
    )
    fig.add_annotation(
        x=row["k"], y=row[metric], text=f"selected k = {row['k']}", yshift=18
    )
    return str(row["selection_reason"] or f"k = {row['k']}")


def _metric_curve(
    data: pd.DataFrame, metric: tuple[str, str], title: str, axes: tuple[str, str]
) -> tuple[go.Figure, str]:
    """A metric (column, trace name) against k with the selected k marked: the figure
    and the selection reason."""
    column, name = metric
    fig = go.Figure(
        go.Scatter(x=data["k"], y=data[column], mode="lines+markers", name=name)
    )
    reason = _mark_selected(fig, data, column)
    fig.update_layout(title=title, xaxis_title=axes[0], yaxis_title=axes[1])
    return fig, reason


def elbow(data: pd.DataFrame) -> Chart:
    """K-Means inertia against k (k, inertia, is_selected, selection_reason)."""
    fig, reason = _metric_curve(
        data,
        ("inertia", "inertia"),
        "Elbow: K-Means inertia against k",
        ("Number of clusters k", "Inertia (within-cluster sum of squares)"),
    )
    drop = 1 - data["inertia"].iloc[-1] / data["inertia"].iloc[0]
    reading = (
        f"Inertia falls {drop:.0%} from k = {data['k'].iloc[0]} to "
        f"k = {data['k'].iloc[-1]}; K-Means selected by {reason}."
    )
    return fig, reading


def bic(data: pd.DataFrame) -> Chart:
    """Gaussian mixture BIC against k (k, bic, is_selected, selection_reason)."""
    fig, reason = _metric_curve(
        data,
        ("bic", "BIC"),
        "Gaussian mixture: BIC against k",
        ("Number of components k", "BIC (lower is better)"),
    )
    return fig, f"Gaussian mixture selected by {reason}."


def _selection(group: pd.DataFrame, name: str) -> str | None:
    """Why one algorithm selected its k, or why it selected nothing."""
    chosen = group[group["is_selected"]]
    explained = group[group["selection_reason"].notna()]
    if not chosen.empty:
        first = chosen.iloc[0]
        return (
            f"{algorithm(name)}: {first['selection_reason'] or 'k = ' + str(first['k'])}"
        )
    if not explained.empty:
        reason = explained["selection_reason"].iloc[0]
        return f"{algorithm(name)}: nothing selected, {reason}"
    return None


def silhouette(data: pd.DataFrame) -> Chart:
    """Silhouette against k of every algorithm (algorithm, k, silhouette,
    is_selected, selection_reason), a star on each selected k."""
    fig = go.Figure()
    reasons = []
    for name, group in data.groupby("algorithm", sort=True):
        reason = _selection(group, name)
        if reason:
            reasons.append(reason)
        points = group.dropna(subset=["silhouette"])
        if points.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=points["k"],
                y=points["silhouette"],
                mode="lines+markers" if points["k"].is_unique else "markers",
                name=algorithm(name),
                legendgroup=name,
            )
        )
        marked = points[points["is_selected"]]
        fig.add_trace(
            go.Scatter(
                x=marked["k"],
                y=marked["silhouette"],
                mode="markers",
                marker={"symbol": "star", "size": 16, "line": {"width": 1}},
                name=f"{algorithm(name)} selected",
                legendgroup=name,
                showlegend=not marked.empty,
            )
        )
    fig.update_layout(
        title="Silhouette against k (stars: selected k)",
        xaxis_title="Number of clusters k",
        yaxis_title="Silhouette (higher is better)",
    )
    return fig, "Selected: " + "; ".join(reasons) + "." if reasons else ""


def rules_scatter(data: pd.DataFrame, summary: tuple) -> Chart:
    """Sampled rules (rule, support, confidence, lift); summary: (count, min lift,
    max lift, strongest rule, its lift) over all rules."""
    total, low, high, best, best_lift = summary
    fig = px.scatter(
        data,
        x="support",
        y="confidence",
        color="lift",
        color_continuous_scale="Viridis",
        hover_data={"rule": True},
        opacity=0.7,
        title="Association rules: support against confidence, coloured by lift",
        labels={"support": "Support", "confidence": "Confidence", "lift": "Lift"},
    )
    fig.update_layout(xaxis_tickformat=".0%", yaxis_tickformat=".0%")
    reading = (
        f"{total:,} rules ({len(data):,} drawn), lift {low:.2f} to {high:.2f}; "
        f"strongest: {best} (lift {best_lift:.2f})."
    )
    return fig, reading


def rejections(data: pd.DataFrame) -> Chart:
    """Rejected rows per reason (reason, rows_), most common first."""
    fig = go.Figure(
        go.Bar(
            x=data["rows_"],
            y=data["reason"],
            orientation="h",
            text=data["rows_"],
            textposition="outside",
            marker_color="#e76f51",
        )
    )
    fig.update_layout(
        title="Rejected rows by reason",
        xaxis_title="Rejected rows (a row counts once per reason)",
        yaxis_title="Reason",
        yaxis_autorange="reversed",
    )
    top = data.iloc[0]
    reading = (
        f"Most common reason: {top['reason']} ({top['rows_']:,} rows); "
        f"{len(data)} reasons in all."
    )
    return fig, reading


def kept_rejected(kept: int, rejected: int) -> Chart:
    fig = go.Figure(
        go.Bar(
            x=["Kept (customers)", "Rejected"],
            y=[kept, rejected],
            text=[f"{kept:,}", f"{rejected:,}"],
            textposition="outside",
            marker_color=["#2a9d8f", "#e76f51"],
        )
    )
    fig.update_layout(
        title="Kept against rejected rows", xaxis_title="", yaxis_title="Rows"
    )
    raw = kept + rejected
    share = rejected / raw if raw else 0
    return fig, f"{rejected:,} of {raw:,} rows rejected ({share:.1%}), {kept:,} kept."


def importance(group: pd.DataFrame, clustering: str) -> Chart:
    """One clustering's permutation importance per feature (feature, importance_mean,
    and k, importance_std, test_accuracy when present)."""
    group = group.sort_values("importance_mean")
    error = None
    if "importance_std" in group:
        error = {"type": "data", "array": group["importance_std"]}
    fig = go.Figure(
        go.Bar(
            x=group["importance_mean"],
            y=group["feature"].map(label),
            orientation="h",
            error_x=error,
            marker_color="#457b9d",
        )
    )
    k = f", k = {group['k'].iloc[0]}" if "k" in group else ""
    fig.update_layout(
        title=f"Feature importance: {algorithm(clustering)}{k}",
        xaxis_title="Permutation importance (drop in accuracy)",
        yaxis_title="Feature",
    )
    top = group.sort_values("importance_mean", ascending=False)
    if top["importance_mean"].abs().max() == 0:
        return fig, "Every importance is zero: one cluster leaves nothing to split."
    reading = "Top drivers: " + ", ".join(
        f"{label(row.feature).lower()} ({row.importance_mean:.3f})"
        for row in top.head(3).itertuples()
    )
    if "test_accuracy" in group and not isna(group["test_accuracy"].iloc[0]):
        reading += (
            f"; the forest predicts the clusters with "
            f"{group['test_accuracy'].iloc[0]:.0%} test accuracy"
        )
    return fig, reading + "."
