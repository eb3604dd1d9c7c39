"""The clusterwise bootstrap of the segment model, one row per segment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from customer_personality.core import bootstrap_stability
from customer_personality.core import reading as stability_reading
from customer_personality.segments.fit import feature_array, fit_mixture_on
from customer_personality.segments.methods import DEFAULT_METHOD, sample_indices
from customer_personality.segments.model_table import model_arrays, score_from_model
from customer_personality.segments.naming import DEFAULT_FEATURES, SegmentDefinitions

STABILITY_COLUMNS: tuple[str, ...] = (
    "segment",
    "component",
    "share",
    "jaccard_mean",
    "jaccard_min",
    "segment_reading",
    "ari_median",
    "ari_min",
    "ari_mean",
    "model_reading",
    "n_resamples",
    "n_customers",
    "method",
)


def segment_stability(
    data: pd.DataFrame,
    model: pd.DataFrame,
    definitions: SegmentDefinitions,
    features: Sequence[str] = DEFAULT_FEATURES,
    method: str = DEFAULT_METHOD,
    n_resamples: int = 20,
    sample_size: int = 5_000,
    random_state: int = 42,
    id_column: str = "customer_id",
) -> pd.DataFrame:
    """The clusterwise bootstrap of the segment model (see customer_personality.
    core.bootstrap), one row per segment in component order.

    On a seeded sample of at most `sample_size` training customers, the reference is
    the segments `model` gives them; each of `n_resamples` bootstrap resamples of the
    sample is fitted with the same method and seed and labels the whole sample.
    """
    features = tuple(features)
    values = feature_array(data, features)
    ids = data[id_column].to_numpy(np.int64)
    values = values[np.argsort(ids, kind="stable")]
    if len(values) == 0:
        raise ValueError("segment_stability: no training customers")
    sample = values[sample_indices(len(values), sample_size, random_state)]
    reference, _ = score_from_model(model, sample)
    names = [str(name) for name in model_arrays(model).names]

    def refit(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        fitted, _ = fit_mixture_on(
            train, features, definitions, len(names), method, random_state
        )
        return fitted.predict(rows)

    result = bootstrap_stability(sample, refit, n_resamples, random_state, reference)
    clusters = result.clusters_frame().set_index("cluster")
    table = pd.DataFrame({"segment": names, "component": range(1, len(names) + 1)})
    table = table.join(clusters, on="segment")
    table["share"] = table["share"].fillna(0.0)
    table["jaccard_mean"] = table["jaccard_mean"].fillna(0.0)
    table["jaccard_min"] = table["jaccard_min"].fillna(0.0)
    table["segment_reading"] = table.pop("reading").fillna("empty in this sample")
    table["ari_median"] = result.ari_median
    table["ari_min"] = result.ari_min
    table["ari_mean"] = float(np.mean(result.ari))
    table["model_reading"] = stability_reading(result.ari_median)
    table["n_resamples"] = np.int64(n_resamples)
    table["n_customers"] = np.int64(len(sample))
    table["method"] = method
    return table[list(STABILITY_COLUMNS)]
