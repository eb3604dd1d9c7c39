"""The named segments: a seeded sample of customers, the segment profiles and the
segment model's bootstrap stability."""

from __future__ import annotations

import pandas as pd

from customer_personality.report.text import KEY_FEATURES
from customer_personality.report.warehouse import MissingData, Warehouse, compact

PROFILE_PREFIXES = ("spend_share_", "purchase_share_", "acceptance_rate_")


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
    """segment_profiles of the named segments, one row per segment (the index): size,
    every mean_<feature> the mart has, median_spending, and the shares and rates
    (PROFILE_PREFIXES) of the products, channels and campaigns the input has."""
    base = ["segment", "customers", "customer_share"]
    wh.need("segment_profiles", *base)
    means = wh.prefixed("segment_profiles", "mean_")
    medians = [
        name for name in ("median_spending",) if name in wh.columns["segment_profiles"]
    ]
    shares = [
        name
        for prefix in PROFILE_PREFIXES
        for name in wh.prefixed("segment_profiles", prefix)
    ]
    columns = ", ".join(base + means + medians + shares)
    data = wh.frame(f"select {columns} from segment_profiles order by segment")
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
