"""How the report names and prints things: labels of columns and algorithms, numbers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ALGORITHM_LABELS = {
    "kmeans": "K-Means",
    "gmm": "Gaussian mixture",
    "agglomerative": "Agglomerative (Ward)",
    "hdbscan": "HDBSCAN",
    "segments": "Named segments (Gaussian mixture)",
}
LABELS = {
    "income": "Income",
    "spending": "Spending",
    "seniority_months": "Seniority (months)",
    "age": "Age (years)",
    "children": "Children",
    "recency_days": "Recency (days)",
    "total_purchases": "Purchases",
    "web_visits_month": "Web visits / month",
    "deal_share": "Deal share",
    "total_campaigns_accepted": "Campaigns accepted",
    "stability_ari_median": "Median ARI of refits",
    "stability_ari_min": "Lowest ARI",
    "stability_weakest_cluster_jaccard": "Weakest cluster (mean Jaccard)",
    "stability_reading": "Reading",
    "roi": "ROI",
    "uplift": "Uplift (points)",
    "uplift_interval": "95% interval (points)",
}
KEY_FEATURES = ("income", "spending", "seniority_months", "age")


def slug(name: str) -> str:
    """The part of an HTML id a name gives: lowercase, dashes for the rest."""
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def num(value: float | None) -> str:
    """A number as a reader wants it: thousands separated, decimals only when small."""
    if value is None or pd.isna(value):
        return "n/a"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def pct(value: float) -> str:
    return f"{value:.0%}" if not isna(value) else ""


def pvalue(value: float) -> str:
    return f"{value:.2g}" if value >= 0.001 else f"{value:.1e}"


def label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " ").capitalize())


def algorithm(name: str) -> str:
    return ALGORITHM_LABELS.get(name, name)


def is_number(value) -> bool:
    """A cell to right-align: a number, but not a boolean."""
    return isinstance(value, int | float | np.number) and not isinstance(
        value, bool | np.bool_
    )
