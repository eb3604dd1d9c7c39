"""Import the scientific stack once, in one thread, before any model uses it.

dbt runs Python models in several threads of one process, and two of them can start
at the same moment. scipy loads submodules lazily, and two threads importing them at
once can fail on half-initialised modules (seen in a build: "cannot import name
'PytestTester' from partially initialized module 'scipy._lib._testutils'" and
KeyError: 'scipy'). The package modules the models call import this module first.
Python runs one module's import in one thread while the others wait for it, so the
whole stack below is loaded by a single thread.
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
