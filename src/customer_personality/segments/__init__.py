"""Named customer segments from a Gaussian mixture, with a model table SQL can re-apply.

A segment method (SEGMENT_METHODS, var segment_method) prepares income, seniority and
spending (winsorize, log, standardize, project, normalize) and fits a Gaussian mixture
on the prepared rows of the training customers (a seeded sample when they are many).
Segments are named by rule (docs/architecture.md), never by component index, with the
names, order and value tiers of the seed segment_definitions (SegmentDefinitions), and
every parameter, of the preparation and of the mixture, goes into one long table from
which a SQL macro scores every customer.

Modules: naming (definitions and the naming rule), methods (preparation and mixture),
model_table (the long table and its numpy scorer), fit, model_file (the model to a
file and back), stability (the bootstrap, on core.bootstrap).
"""

# First: core loads the scientific stack in one thread (dbt runs models in parallel).
from customer_personality import core  # noqa: F401

# isort: split

from customer_personality.segments.fit import (
    SCORE_CHUNK_ROWS,
    FittedSegments,
    SegmentFit,
    fit_mixture_on,
    fit_segments,
)
from customer_personality.segments.methods import (
    DEFAULT_METHOD,
    SEGMENT_METHODS,
    Preparation,
    SegmentMethod,
    fit_preparation,
    segment_method,
)
from customer_personality.segments.model_file import (
    PROFILE_COLUMNS,
    ModelFileError,
    SegmentModel,
    read_model_file,
    write_model_file,
)
from customer_personality.segments.model_table import (
    MODEL_COLUMNS,
    model_table,
    score_from_model,
)
from customer_personality.segments.naming import (
    DEFAULT_FEATURES,
    DEFINITION_COLUMNS,
    SENIORITY_FEATURE,
    VALUE_FEATURES,
    SegmentDefinitions,
    name_components,
    probability_column,
)
from customer_personality.segments.stability import (
    STABILITY_COLUMNS,
    segment_stability,
)

__all__ = [
    "DEFAULT_FEATURES",
    "DEFAULT_METHOD",
    "DEFINITION_COLUMNS",
    "MODEL_COLUMNS",
    "PROFILE_COLUMNS",
    "SCORE_CHUNK_ROWS",
    "SEGMENT_METHODS",
    "SENIORITY_FEATURE",
    "STABILITY_COLUMNS",
    "VALUE_FEATURES",
    "FittedSegments",
    "ModelFileError",
    "Preparation",
    "SegmentDefinitions",
    "SegmentFit",
    "SegmentMethod",
    "SegmentModel",
    "fit_mixture_on",
    "fit_preparation",
    "fit_segments",
    "model_table",
    "name_components",
    "probability_column",
    "read_model_file",
    "score_from_model",
    "segment_method",
    "segment_stability",
    "write_model_file",
]
