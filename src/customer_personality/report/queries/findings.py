"""What the build found: association rules, the significance tests, the features
that drive each clustering and the aha moments."""

from __future__ import annotations

import pandas as pd

from customer_personality.report.warehouse import (
    MissingData,
    Warehouse,
    build_var,
    compact,
)
from customer_personality.statistics import RESULT_COLUMNS

MAX_TABLE_ROWS = 500


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
