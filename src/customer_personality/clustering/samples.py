"""The build's clustering vars (SampleConfig) and the samples every clustering fits
on: the seeded SQL sample int_cluster_sample, standardized by the statistics of
every customer (int_clustering_standardizer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_personality.clustering.features import _sorted_frame
from customer_personality.core import input_columns, standardized_matrix

# The column of int_cluster_sample giving a row's place in the seeded hash order.
SAMPLE_POSITION = "sample_position"
ID_COLUMN = "customer_id"


@dataclass(frozen=True)
class PreparedSamples:
    """The sorted sample customers' feature matrix and the nested samples of it.

    X (= X_fit) is every sample row, X_eval the evaluation sample's rows (eval_index
    into X); gmm_columns are the matrix columns the GMM fits on (the numeric ones),
    min_samples HDBSCAN's, inputs the (feature, category) of each matrix column.
    """

    ids: np.ndarray
    X: np.ndarray
    eval_index: np.ndarray
    X_eval: np.ndarray
    X_fit: np.ndarray
    gmm_columns: np.ndarray
    min_samples: int
    inputs: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class SampleConfig:
    """The build's clustering vars, in one place: what evaluate_sample,
    cluster_parameters, sample_stability and label_sample_customers read (their
    Python models build it with `from_dbt`). sample_size is the evaluation sample
    (var cluster_sample_size)."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...] = ()
    sample_size: int = 10_000
    random_state: int = 42
    k_values: tuple[int, ...] = tuple(range(2, 11))
    max_noise_share: float = 0.2
    max_cluster_share: float = 0.95
    n_resamples: int = 20
    stability_sample_size: int = 5_000
    # The cap for algorithms whose refit grows with the square of the rows (Ward,
    # HDBSCAN): their bootstrap uses at most this many of the stability rows.
    quadratic_stability_size: int = 2_500

    @classmethod
    def from_dbt(cls, values: Mapping[str, object]) -> SampleConfig:
        """From the `cluster_config` dict of the clustering models' config (vars by
        name; models/intermediate/clustering/_clustering.yml declares it once for
        the four)."""
        get = values.__getitem__
        k_max = int(get("cluster_k_max"))
        return cls(
            numeric=tuple(get("cluster_numeric_features")),
            categorical=tuple(get("cluster_categorical_features")),
            sample_size=int(get("cluster_sample_size")),
            random_state=int(get("random_seed")),
            k_values=tuple(range(int(get("cluster_k_min")), k_max + 1)),
            max_noise_share=float(get("cluster_max_noise_share")),
            max_cluster_share=float(get("cluster_max_cluster_share")),
            n_resamples=int(get("stability_resamples")),
            stability_sample_size=int(get("stability_sample_size")),
            quadratic_stability_size=int(get("stability_quadratic_sample_size")),
        )

    def standardized(
        self, data: pd.DataFrame, standardizer_table: pd.DataFrame, *extra: str
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """The customers of `data` sorted by id (with the `extra` columns), and their
        model input standardized by `standardizer_table`."""
        features = [*self.numeric, *self.categorical]
        frame = _sorted_frame(data, ID_COLUMN, [*features, *extra])
        X = standardized_matrix(frame, standardizer_table, self.numeric, self.categorical)
        return frame, X

    def prepare(
        self, sample: pd.DataFrame, standardizer_table: pd.DataFrame
    ) -> PreparedSamples:
        """The nested samples of a seeded SQL sample (the build's int_cluster_sample),
        standardized by a table of every customer's statistics: every row is the fit
        sample, the rows of sample_position <= sample_size the evaluation sample, each
        sorted by id. No other customer is read. The GMM fits on the numeric columns
        (a Gaussian density on 0/1 indicators rewards splitting by category, and BIC
        then keeps choosing the largest k); HDBSCAN's min_samples is twice the number
        of matrix columns."""
        frame, X = self.standardized(sample, standardizer_table, SAMPLE_POSITION)
        eval_index = np.flatnonzero(frame[SAMPLE_POSITION].to_numpy() <= self.sample_size)
        table = input_columns(standardizer_table, self.numeric, self.categorical)
        return PreparedSamples(
            ids=frame[ID_COLUMN].to_numpy(np.int64),
            X=X,
            eval_index=eval_index,
            X_eval=X[eval_index],
            X_fit=X,
            gmm_columns=np.arange(len(self.numeric) or X.shape[1]),
            min_samples=2 * X.shape[1],
            inputs=tuple(zip(table["feature"], table["category"], strict=True)),
        )
