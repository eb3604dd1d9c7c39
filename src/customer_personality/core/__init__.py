"""Shared plumbing, no domain knowledge: BLAS threads, engine I/O of the dbt Python
models, the standardizer, the clusterwise bootstrap and Arrow-backed text columns.

Importing this package imports the scientific stack once, in one thread, before any
model uses it. dbt runs Python models in several threads of one process, and two of
them can start at the same moment. scipy loads submodules lazily, and two threads
importing them at once can fail on half-initialised modules (seen in a build: "cannot
import name 'PytestTester' from partially initialized module 'scipy._lib._testutils'"
and KeyError: 'scipy'). Every family of the package (segments, clustering, rules,
statistics, response) imports core first, and Python runs one module's import in one
thread while the others wait for it, so the whole stack below is loaded by a single
thread.

Modules: threads (single_threaded), frames (what a dbt Python model reads of its
engine and gives back), standardize (the one standardizer), bootstrap (the
clusterwise bootstrap stability), text (text_column).
"""

import numpy  # noqa: F401
import pandas  # noqa: F401
import pyarrow  # noqa: F401
import scipy.cluster.hierarchy  # noqa: F401
import scipy.sparse  # noqa: F401
import scipy.spatial.distance  # noqa: F401
import scipy.special  # noqa: F401
import scipy.stats  # noqa: F401
import scipy.stats.contingency  # noqa: F401
import sklearn.cluster  # noqa: F401
import sklearn.ensemble  # noqa: F401
import sklearn.metrics  # noqa: F401
import sklearn.mixture  # noqa: F401
import sklearn.neighbors  # noqa: F401
import sklearn.preprocessing  # noqa: F401
import threadpoolctl  # noqa: F401

# isort: split

from customer_personality.core.bootstrap import (
    READINGS,
    FitPredict,
    Stability,
    best_match_jaccard,
    bootstrap_resamples,
    bootstrap_stability,
    reading,
)
from customer_personality.core.frames import (
    feature_lists,
    is_spark,
    returned,
    scalar,
    to_arrow,
    to_numpy,
    to_pandas,
)
from customer_personality.core.standardize import (
    STANDARDIZER_COLUMNS,
    input_columns,
    standardized_matrix,
    standardizer,
    standardizer_frame,
)
from customer_personality.core.text import text_column
from customer_personality.core.threads import single_threaded

__all__ = [
    "READINGS",
    "STANDARDIZER_COLUMNS",
    "FitPredict",
    "Stability",
    "best_match_jaccard",
    "bootstrap_resamples",
    "bootstrap_stability",
    "feature_lists",
    "input_columns",
    "is_spark",
    "reading",
    "returned",
    "scalar",
    "single_threaded",
    "standardized_matrix",
    "standardizer",
    "standardizer_frame",
    "text_column",
    "to_arrow",
    "to_numpy",
    "to_pandas",
]
