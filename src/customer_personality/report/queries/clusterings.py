"""The clusterings and how k was chosen: the selected clusterings on the principal
components, the evaluation's figures by k and each selected clustering's bootstrap
stability."""

from __future__ import annotations

import pandas as pd

from customer_personality.clustering import STABILITY_COLUMNS as CLUSTER_STABILITY
from customer_personality.report.warehouse import MissingData, Warehouse, compact

# cluster_evaluation's bootstrap stability of each selected clustering.
STABILITY_COLUMNS = CLUSTER_STABILITY[2:]  # after algorithm, k


def selected_clusterings(wh: Warehouse) -> list[tuple[str, int]]:
    """(algorithm, k) of each clustering in customer_clusters, at its selected k."""
    wh.need("customer_clusters", "algorithm", "k", "cluster")
    pairs = wh.frame(
        "select algorithm, k from customer_clusters group by all order by all"
    )
    selected = set()
    if "cluster_evaluation" in wh.columns:
        selected = {
            (row.algorithm, row.k)
            for row in wh.frame(
                "select algorithm, k from cluster_evaluation where is_selected"
            ).itertuples()
        }
    chosen = []
    for algorithm, group in pairs.groupby("algorithm", sort=True):
        ks = [int(k) for k in group["k"]]
        best = [k for k in ks if (algorithm, k) in selected] or ks
        chosen.append((str(algorithm), best[0]))
    return chosen


def clustering_points(wh: Warehouse) -> dict[str, tuple]:
    """Per algorithm at its selected k, the arguments of charts.clustering_3d: its
    sampled customers on pc1..pc3 with their cluster, its cluster sizes over all
    customers, the algorithm, k, the axis titles, why it was selected."""
    wh.need("customer_projection", "customer_id", "pc1", "pc2", "pc3")
    clusterings = selected_clusterings(wh)
    if not clusterings:
        raise MissingData("The table customer_clusters holds no rows.")
    ratios = wh.con.execute(
        "select explained_variance_ratio_1, explained_variance_ratio_2, "
        "explained_variance_ratio_3 from customer_projection limit 1"
    ).fetchone()
    wanted = ", ".join(f"('{algorithm}', {k})" for algorithm, k in clusterings)
    data = compact(
        wh.frame(
            "with sampled as (select customer_id, pc1, pc2, pc3 from customer_projection "
            f"{wh.sample_order()}), wanted (algorithm, k) as (values {wanted}) "
            "select sampled.*, clusters.algorithm, clusters.cluster from sampled "
            "inner join customer_clusters as clusters using (customer_id) "
            "inner join wanted using (algorithm, k)"
        )
    )
    sizes = wh.frame(
        f"with wanted (algorithm, k) as (values {wanted}) "
        "select algorithm, cluster, count(*) as customers "
        "from customer_clusters inner join wanted using (algorithm, k) group by all"
    )
    reasons = {}
    if "cluster_evaluation" in wh.columns:
        reasons = dict(
            wh.con.execute(
                "select algorithm, any_value(selection_reason) "
                "from cluster_evaluation where is_selected group by algorithm"
            ).fetchall()
        )
    axes = tuple(
        f"PC{i} ({ratio:.0%} of variance)" if ratio is not None else f"PC{i}"
        for i, ratio in enumerate(ratios or (None, None, None), start=1)
    )
    return {
        algorithm: (
            data[data["algorithm"] == algorithm].drop(columns="algorithm"),
            sizes[sizes["algorithm"] == algorithm].set_index("cluster")["customers"],
            algorithm,
            k,
            axes,
            reasons.get(algorithm),
        )
        for algorithm, k in clusterings
    }


def unselected_clusterings(wh: Warehouse) -> pd.DataFrame:
    """algorithm, selection_reason of each algorithm that selected nothing (HDBSCAN
    finding no density structure)."""
    if "selection_reason" not in wh.columns.get("cluster_evaluation", []):
        return pd.DataFrame({"algorithm": [], "selection_reason": []})
    return wh.frame(
        "select algorithm, any_value(selection_reason) as selection_reason "
        "from cluster_evaluation group by algorithm having not bool_or(is_selected) "
        "order by algorithm"
    )


def evaluation(wh: Warehouse, algorithm: str, metric: str) -> pd.DataFrame:
    """k, metric, is_selected, selection_reason of one algorithm, by k."""
    wh.need("cluster_evaluation", "algorithm", "k", metric, "is_selected")
    wh.need("cluster_evaluation", "selection_reason")
    data = wh.frame(
        f"select k, {metric}, is_selected, selection_reason from cluster_evaluation "
        f"where algorithm = ? and {metric} is not null order by k",
        [algorithm],
    )
    if data.empty:
        raise MissingData(f"cluster_evaluation holds no {metric} for {algorithm}.")
    return data


def kmeans_inertia(wh: Warehouse) -> pd.DataFrame:
    return evaluation(wh, "kmeans", "inertia")


def gmm_bic(wh: Warehouse) -> pd.DataFrame:
    return evaluation(wh, "gmm", "bic")


def silhouettes(wh: Warehouse) -> pd.DataFrame:
    wh.need("cluster_evaluation", "algorithm", "k", "silhouette", "is_selected")
    data = wh.frame(
        "select algorithm, k, silhouette, is_selected, selection_reason "
        "from cluster_evaluation order by algorithm, k"
    )
    if data["silhouette"].isna().all():
        raise MissingData("cluster_evaluation holds no silhouette score.")
    return data


def clustering_stability(wh: Warehouse) -> pd.DataFrame:
    """The bootstrap stability of each algorithm's selected clustering (k and the
    figures null where it selected nothing)."""
    wh.need("cluster_evaluation", "algorithm", "k", "is_selected", "selection_reason")
    wh.need("cluster_evaluation", *STABILITY_COLUMNS)
    data = wh.frame(
        "select algorithm, case when is_selected then k end as k, "
        "stability_ari_median, stability_ari_min, stability_weakest_cluster_jaccard, "
        "case when is_selected then stability_reading "
        "else 'no clustering selected' end as stability_reading, "
        "selection_reason, stability_resamples, stability_rows "
        "from cluster_evaluation where selection_reason is not null"
    )
    if data.empty:
        raise MissingData("cluster_evaluation holds no selected clustering.")
    return data
