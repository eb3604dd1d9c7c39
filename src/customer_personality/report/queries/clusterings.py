"""The report's data: one function per data set, read from the marts and seeds.

Every function takes a Warehouse (one read-only connection) and returns DataFrames
(or plain values); none draws. Sizes, means and medians per segment come from
segment_profiles, significance from segment_statistics.is_significant, segment names,
order and colours from the seed segment_definitions, and the vars the report honours
from build_vars. Scatter plots read a seeded sample chosen in SQL
(`order by hash(key, seed)`), so the page stays small at a million customers.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from customer_personality import cluster_stability
from customer_personality.report.text import KEY_FEATURES
from customer_personality.report.warehouse import (
    MissingData,
    Warehouse,
    build_var,
    compact,
)
from customer_personality.statistics import RESULT_COLUMNS

# The one table upstream of the marts the report reads: no mart holds the rejected
# raw rows yet (a `customers_rejected` mart would take its place).
REJECTED_ROWS = "rejected_customers"
# cluster_evaluation's bootstrap stability of each selected clustering.
STABILITY_COLUMNS = cluster_stability.STABILITY_COLUMNS[2:]  # after algorithm, k
PROFILE_PREFIXES = ("spend_share_", "purchase_share_", "acceptance_rate_")
MAX_TABLE_ROWS = 500


# ---- seeds, header ----------------------------------------------------


def segment_definitions(wh: Warehouse) -> pd.DataFrame:
    """The seed segment_definitions: segment, segment_order, colour, in order."""
    wh.need("segment_definitions", "segment", "segment_order", "colour")
    return wh.frame(
        "select segment, segment_order, colour from segment_definitions "
        "order by segment_order, segment"
    )


def build_facts(wh: Warehouse) -> dict[str, str]:
    """The source and build facts of build_info ({'source.path': ..., ...}); empty
    for a warehouse built before build_info existed."""
    if "build_info" not in wh.columns:
        return {}
    rows = wh.con.execute(
        "select section, name, value from build_info "
        "where section in ('source', 'build', 'version')"
    ).fetchall()
    return {f"{section}.{name}": value for section, name, value in rows}


def header_facts(wh: Warehouse) -> list[tuple[str, str]]:
    """(name, value) of the facts at the top of the page, of the tables present: the
    raw file, its rows and the build time (build_info) first."""
    facts = []
    built = build_facts(wh)
    if "source.path" in built:
        facts.append(("Raw file", built["source.path"]))
    if "source.raw_rows" in built:
        facts.append(("Raw rows", f"{int(built['source.raw_rows']):,}"))
    if "build.started_at" in built:
        facts.append(("Built at", built["build.started_at"].replace("T", " ")))
    if "customers" in wh.columns:
        facts.append(("Customers", f"{wh.value('select count(*) from customers'):,}"))
        if "reference_date" in wh.columns["customers"]:
            reference = wh.value("select max(reference_date) from customers")
            facts.append(("Reference date", str(reference)))
    if REJECTED_ROWS in wh.columns:
        try:
            rejected = wh.value(f"select count(*) from {REJECTED_ROWS}")
            facts.append(("Rejected rows", f"{rejected:,}"))
        except duckdb.Error:
            pass
    if "segment" in wh.columns.get("segment_profiles", []):
        segments = wh.value("select count(*) from segment_profiles")
        facts.append(("Segments", f"{segments}"))
    return facts


# ---- what to do: strategies, actions, targets, response ---------------------------


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


# ---- segments ---------------------------------------------------------------------


def segment_sample(wh: Warehouse) -> pd.DataFrame:
    """A seeded sample of customers: id, segment and the key features."""
    wh.need("customers", "customer_id", "segment", *KEY_FEATURES)
    data = wh.frame(
        f"select customer_id, segment, {', '.join(KEY_FEATURES)} "
        f"from customers {wh.sample_order()}"
    )
    if data.empty:
        raise MissingData("The table customers holds no rows.")
    return compact(data)


def segment_profiles(wh: Warehouse) -> pd.DataFrame:
    """segment_profiles of the named segments, one row per segment (the index)."""
    base = [
        "segment",
        "customers",
        "customer_share",
        "mean_income",
        "mean_spending",
        "median_spending",
        "mean_seniority_months",
        "mean_age",
        "mean_children",
    ]
    wh.need("segment_profiles", *base)
    shares = [
        name
        for prefix in PROFILE_PREFIXES
        for name in wh.prefixed("segment_profiles", prefix)
    ]
    data = wh.frame(
        f"select {', '.join(base + shares)} from segment_profiles order by segment"
    )
    if data.empty:
        raise MissingData("The table segment_profiles holds no rows.")
    return data.set_index("segment")


def segment_stability(wh: Warehouse) -> pd.DataFrame:
    wh.need("segment_stability", "segment", "jaccard_mean", "ari_median")
    data = wh.frame(
        "select segment, share, jaccard_mean, jaccard_min, segment_reading, "
        "ari_median, ari_min, model_reading, n_resamples, n_customers, method "
        "from segment_stability order by component"
    )
    if data.empty:
        raise MissingData("segment_stability holds no rows.")
    return data


# ---- clusterings and choosing k ----------------------------------------------------


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


# ---- customers: exploration ---------------------------------------------------------


def feature_histograms(wh: Warehouse, bins: int = 30) -> pd.DataFrame:
    """Per key feature and bin of `bins` equal widths over all customers: feature,
    bin centre, width, customers, and the feature's median and skewness."""
    wh.need("customers", *KEY_FEATURES)
    parts = []
    for feature in KEY_FEATURES:
        low, high, median, skew = wh.con.execute(
            f"select min({feature}), max({feature}), median({feature}), "
            f"skewness({feature}) from customers"
        ).fetchone()
        if low is None:
            continue
        width = (high - low) / bins or 1
        counts = wh.frame(
            f"select least(floor(({feature} - ?) / ?), {bins - 1})::int as bin, "
            f"count(*) as customers from customers where {feature} is not null "
            "group by bin order by bin",
            [low, width],
        )
        counts["center"] = low + (counts.pop("bin") + 0.5) * width
        parts.append(
            counts.assign(feature=feature, width=width, median=median, skew=skew)
        )
    if not parts:
        raise MissingData("The table customers holds no rows.")
    return pd.concat(parts, ignore_index=True)


def correlations(wh: Warehouse, features: Sequence[str]) -> pd.DataFrame:
    """Pearson correlation of each pair of the features present in customers, over
    all customers: a symmetric matrix with ones on the diagonal."""
    wh.need("customers", *KEY_FEATURES)
    present = [name for name in features if name in wh.columns["customers"]]
    pairs = [(a, b) for i, a in enumerate(present) for b in present[i + 1 :]]
    values = wh.con.execute(
        "select " + ", ".join(f"corr({a}, {b})" for a, b in pairs) + " from customers"
    ).fetchone()
    matrix = pd.DataFrame(np.eye(len(present)), index=present, columns=present)
    for (a, b), value in zip(pairs, values, strict=True):
        matrix.loc[a, b] = matrix.loc[b, a] = np.nan if value is None else value
    return matrix


def income_spending_correlation(wh: Warehouse) -> float:
    wh.need("customers", "income", "spending")
    return wh.value("select corr(income, spending) from customers")


# ---- rules, statistics ----------------------------------------------------------------


def rules_sample(wh: Warehouse) -> tuple[pd.DataFrame, tuple]:
    """A seeded sample of association_rules, and (count, min lift, max lift, rule of
    the highest lift, its lift) over all of them."""
    wh.need("association_rules", "rule", "support", "confidence", "lift")
    data = compact(
        wh.frame(
            "select rule, support, confidence, lift from association_rules "
            f"{wh.sample_order('rule')}"
        )
    )
    if data.empty:
        raise MissingData("association_rules holds no rule (min_support too high?).")
    summary = wh.con.execute(
        "select count(*), min(lift), max(lift) from association_rules"
    ).fetchone()
    best = wh.con.execute(
        "select rule, lift from association_rules order by lift desc, rule limit 1"
    ).fetchone()
    return data, (*summary, *best)


def focus_rules(wh: Warehouse, limit: int = 10) -> tuple[pd.DataFrame, str, str]:
    """The strongest rules of product_consumer_rules leading to the build's focus
    item (vars focus_product, focus_consumer_segment), and those two vars."""
    wh.need("product_consumer_rules", "focus_item", "rule_rank", "rule")
    wh.need("product_consumer_rules", "support", "confidence", "lift")
    product = str(build_var(wh, "focus_product"))
    consumer = str(build_var(wh, "focus_consumer_segment"))
    item = f"{product}_segment={consumer}"
    data = wh.frame(
        "select rule_rank, rule, support, confidence, lift from product_consumer_rules "
        f"where focus_item = ? order by rule_rank limit {int(limit)}",
        [item],
    )
    if data.empty:
        raise MissingData(f"No rule leads to {item}.")
    return data, product, consumer


def statistics(wh: Warehouse) -> tuple[pd.DataFrame, int, int, float]:
    """The first MAX_TABLE_ROWS tests of segment_statistics (across all groups first,
    then pairwise, per feature), the number of tests, of significant ones (its
    is_significant) and the build's statistics_alpha."""
    if "segment_statistics" not in wh.columns:
        raise MissingData(
            "The statistical tests (table segment_statistics) are not in this "
            "warehouse yet."
        )
    wh.need("segment_statistics", "is_significant")
    present = wh.columns["segment_statistics"]
    not_shown = ("degrees_of_freedom", "n", "sampled", "is_significant")
    columns = [
        name for name in RESULT_COLUMNS if name not in not_shown and name in present
    ]
    if not columns:
        raise MissingData("segment_statistics has none of the expected columns.")
    order = [name for name in ("grouping", "feature") if name in columns]
    if "group_a" in columns:
        order.append("group_a is not null")
    order += [name for name in columns if name not in order]
    data = wh.frame(
        f"select {', '.join(columns)} from segment_statistics "
        f"order by {', '.join(order)} limit {MAX_TABLE_ROWS}"
    )
    total, significant = wh.con.execute(
        "select count(*), count(*) filter (where is_significant) from segment_statistics"
    ).fetchone()
    return data, total, significant, float(build_var(wh, "statistics_alpha"))


# ---- data quality, importance, aha moments ----------------------------------------


def rejection_reasons(wh: Warehouse) -> pd.DataFrame:
    """reason, rows_: how many rejected rows give each reason, most first."""
    wh.need(REJECTED_ROWS, "rejection_reasons")
    data = wh.frame(
        "select reason, count(*) as rows_ from "
        f"(select unnest(rejection_reasons) as reason from {REJECTED_ROWS}) "
        "group by reason order by rows_ desc, reason"
    )
    if data.empty:
        raise MissingData("No row was rejected: every raw row passed the checks.")
    return data


def kept_rejected(wh: Warehouse) -> tuple[int, int]:
    """(kept customers, rejected raw rows)."""
    wh.need("customers")
    wh.need(REJECTED_ROWS)
    kept = wh.value("select count(*) from customers")
    return kept, wh.value(f"select count(*) from {REJECTED_ROWS}")


def feature_importance(wh: Warehouse) -> dict[str, pd.DataFrame]:
    """Per clustering: feature, importance_mean (and k, importance_std, test_accuracy
    when present), most important first."""
    wh.need("feature_importance", "clustering", "feature", "importance_mean")
    extra = [
        name
        for name in ("k", "importance_std", "test_accuracy")
        if name in wh.columns["feature_importance"]
    ]
    columns = ", ".join(["clustering", "feature", "importance_mean", *extra])
    data = wh.frame(
        f"select {columns} from feature_importance "
        "order by clustering, importance_mean desc"
    )
    if data.empty:
        raise MissingData("feature_importance holds no rows.")
    return {
        str(name): group.drop(columns="clustering").reset_index(drop=True)
        for name, group in data.groupby("clustering", sort=True)
    }


def aha_moments(wh: Warehouse) -> pd.DataFrame:
    """aha_moments, the aha moments first, then by lift."""
    wh.need("aha_moments", "behaviour", "threshold")
    wanted = [
        "behaviour",
        "threshold",
        "customers_above",
        "customer_share_above",
        "high_value_share_above",
        "high_value_share_at_or_below",
        "lift",
        "is_aha_moment",
    ]
    columns = [name for name in wanted if name in wh.columns["aha_moments"]]
    order = "is_aha_moment desc, " if "is_aha_moment" in columns else ""
    order += "lift desc, " if "lift" in columns else ""
    data = wh.frame(
        f"select {', '.join(columns)} from aha_moments order by {order}behaviour"
    )
    if data.empty:
        raise MissingData("aha_moments holds no rows.")
    return data
