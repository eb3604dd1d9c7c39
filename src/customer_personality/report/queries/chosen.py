"""The chosen clustering: what the report's first part shows when the build has no
named segments (customer_segments not built). One clustering of the comparison is
chosen by CHOSEN_RULE; its row of cluster_evaluation, its cluster_profiles and its
feature_importance are read here.

CHOSEN_RULE: among the clusterings cluster_evaluation marks is_selected (one per
algorithm at most) that cluster_profiles describes, K-Means when it is one of them
(the project's reference clustering: centroids a marketer can read, chosen by the
elbow of its inertia); otherwise the one with the highest silhouette, ties broken by
algorithm name.
"""

from __future__ import annotations

import pandas as pd

from customer_personality.report.queries.findings import feature_importance
from customer_personality.report.warehouse import MissingData, Warehouse

PREFERRED = "kmeans"
CHOSEN_RULE = (
    "K-Means when it selected a k, otherwise the selected clustering with the "
    "highest silhouette"
)
# The shares of cluster_profiles, and the list of the input contract they come from.
SHARE_LISTS = {
    "spend_share_": "products",
    "purchase_share_": "channels",
    "acceptance_rate_": "campaigns",
}


def choose(selected: pd.DataFrame) -> pd.Series:
    """The chosen row of selected (cluster_evaluation's selected rows: algorithm,
    silhouette, ...) by CHOSEN_RULE."""
    if selected.empty:
        raise MissingData("cluster_evaluation marks no clustering as selected.")
    preferred = selected[selected["algorithm"] == PREFERRED]
    if not preferred.empty:
        return preferred.iloc[0]
    ranked = selected.assign(_missing=selected["silhouette"].isna()).sort_values(
        ["_missing", "silhouette", "algorithm"], ascending=[True, False, True]
    )
    return ranked.drop(columns="_missing").iloc[0]


def chosen_clustering(wh: Warehouse) -> pd.Series:
    """The chosen clustering's row of cluster_evaluation (algorithm, k, silhouette,
    selection_reason, the stability figures), with `selected`: how many clusterings
    were selected, `rule`: CHOSEN_RULE, and `no_segments`: why customer_segments was
    not built (build_info's skipped section; None when it says nothing)."""
    wh.need("cluster_evaluation", "algorithm", "k", "silhouette", "is_selected")
    wh.need("cluster_profiles", "clustering", "cluster")
    stability = [
        name
        for name in (
            "selection_reason",
            "stability_ari_median",
            "stability_ari_min",
            "stability_weakest_cluster_jaccard",
            "stability_reading",
            "stability_resamples",
            "stability_rows",
        )
        if name in wh.columns["cluster_evaluation"]
    ]
    columns = ", ".join(["algorithm", "k", "silhouette", *stability])
    selected = wh.frame(
        f"select {columns} "
        "from cluster_evaluation where is_selected and algorithm in "
        "(select clustering from cluster_profiles) order by algorithm, k"
    )
    chosen = choose(selected.drop_duplicates("algorithm")).copy()
    chosen["selected"] = selected["algorithm"].nunique()
    chosen["rule"] = CHOSEN_RULE
    chosen["no_segments"] = wh.skipped.get("customer_segments")
    return chosen


def chosen_profiles(wh: Warehouse) -> tuple[pd.DataFrame, pd.Series]:
    """cluster_profiles of the chosen clustering, one row per cluster in cluster
    order (clustering dropped), and the chosen clustering."""
    chosen = chosen_clustering(wh)
    wh.need("cluster_profiles", "clustering", "cluster", "customers", "customer_share")
    data = wh.frame(
        "select * exclude (clustering) from cluster_profiles where clustering = ? "
        "order by cluster",
        [chosen["algorithm"]],
    )
    if data.empty:
        raise MissingData(f"cluster_profiles holds no row of {chosen['algorithm']}.")
    return data, chosen


def chosen_importance(wh: Warehouse) -> tuple[pd.DataFrame, str]:
    """The chosen clustering's feature_importance (as queries.feature_importance
    gives each clustering's) and its name, the arguments of charts.importance."""
    name = str(chosen_clustering(wh)["algorithm"])
    found = feature_importance(wh)
    if name not in found:
        raise MissingData(f"feature_importance holds no row of {name}.")
    return found[name], name


def chosen_shares(wh: Warehouse, prefix: str) -> tuple[pd.DataFrame, pd.Series]:
    """chosen_profiles, when cluster_profiles has prefix* columns (spend_share_,
    purchase_share_, acceptance_rate_); else a note naming what the input lacks (the
    same note for each list the contract leaves empty, so the page shows it once)."""
    if not wh.prefixed("cluster_profiles", prefix):
        kind = SHARE_LISTS.get(prefix, prefix)
        empty = [name for name in SHARE_LISTS.values() if wh.contract_list(name) == []]
        if kind in empty:
            listed = ", ".join(empty[:-1])
            lists = f"{listed} or {empty[-1]}" if listed else empty[0]
            raise MissingData(
                f"The input contract maps no {lists}: no mix or acceptance rate of "
                "them per cluster."
            )
        raise MissingData(f"cluster_profiles has no {prefix}* column.")
    return chosen_profiles(wh)


def chosen_product_mix(wh: Warehouse) -> tuple[pd.DataFrame, pd.Series]:
    return chosen_shares(wh, "spend_share_")


def chosen_channel_mix(wh: Warehouse) -> tuple[pd.DataFrame, pd.Series]:
    return chosen_shares(wh, "purchase_share_")


def chosen_acceptance(wh: Warehouse) -> tuple[pd.DataFrame, pd.Series]:
    return chosen_shares(wh, "acceptance_rate_")
