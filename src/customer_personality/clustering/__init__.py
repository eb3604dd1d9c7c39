"""Compare clusterings of customers, and explain and check them.

One class per algorithm, in scikit-learn's shape (base.ClusteringAlgorithm): K-Means
(kmeans.py), a Gaussian mixture (mixture.py), Ward agglomerative clustering
(ward.py) and HDBSCAN (hdbscan.py, with density.py) fit over a grid of k (HDBSCAN: of
min_cluster_size) on the build's seeded SQL sample (samples.py), are scored on its
evaluation sample (metrics.py) and select a candidate by their own rule; the
registry ESTIMATORS names them (evaluation.py). K-Means, the GMM and Ward give SQL a
parameter table to label every customer (parameters.py); HDBSCAN labels in Python.
stability.py measures each selected clustering by the clusterwise bootstrap,
importance.py explains them with a forest, projection.py fits the PCA the clusterings
are drawn on. Every function sorts by customer_id first: re-runs give identical
tables.
"""

# First: core loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import core  # noqa: F401

# isort: split

from customer_personality.clustering.base import (
    PARAMETER_COLUMNS,
    Candidate,
    ClusteringAlgorithm,
)
from customer_personality.clustering.evaluation import (
    ALGORITHMS,
    ESTIMATORS,
    EVALUATION_COLUMNS,
    LABEL_COLUMNS,
    LABEL_SCHEMA,
    SELECTION_COLUMNS,
    evaluate_sample,
    fit_estimators,
    label_sample_customers,
    selected_estimators,
)
from customer_personality.clustering.features import (
    FeatureMatrix,
    build_feature_matrix,
)
from customer_personality.clustering.hdbscan import HDBSCANClustering
from customer_personality.clustering.importance import (
    IMPORTANCE_COLUMNS,
    feature_importance,
)
from customer_personality.clustering.kmeans import KMeansClustering
from customer_personality.clustering.metrics import find_elbow, silhouette_scores
from customer_personality.clustering.mixture import GaussianMixtureClustering
from customer_personality.clustering.parameters import SQL_SCORED, cluster_parameters
from customer_personality.clustering.projection import fit_pca, project
from customer_personality.clustering.samples import PreparedSamples, SampleConfig
from customer_personality.clustering.stability import (
    STABILITY_COLUMNS,
    sample_stability,
)
from customer_personality.clustering.ward import WardClustering, cut_linkage

__all__ = [
    "ALGORITHMS",
    "ESTIMATORS",
    "EVALUATION_COLUMNS",
    "IMPORTANCE_COLUMNS",
    "LABEL_COLUMNS",
    "LABEL_SCHEMA",
    "PARAMETER_COLUMNS",
    "SELECTION_COLUMNS",
    "SQL_SCORED",
    "STABILITY_COLUMNS",
    "Candidate",
    "ClusteringAlgorithm",
    "FeatureMatrix",
    "GaussianMixtureClustering",
    "HDBSCANClustering",
    "KMeansClustering",
    "PreparedSamples",
    "SampleConfig",
    "WardClustering",
    "build_feature_matrix",
    "cluster_parameters",
    "cut_linkage",
    "evaluate_sample",
    "feature_importance",
    "find_elbow",
    "fit_estimators",
    "fit_pca",
    "label_sample_customers",
    "project",
    "sample_stability",
    "selected_estimators",
    "silhouette_scores",
]
