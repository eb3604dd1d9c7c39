"""Scoring a file of new customers with the built warehouse's own SQL macros.

The new file (raw Kaggle format, any dialect the build reads) goes through the same
dbt staging and derivation as the warehouse's data, into a scratch DuckDB file; then
score_segment() and segment_probabilities(), the macros the build created from
segment_model, assign each kept customer a segment. Rejected rows are written beside
the output with their reasons, so nothing is lost.

The staging runs with the warehouse's own cleaning vars and reference date (its
build_vars table), so a customer scored here gets the segment and probabilities the
warehouse gave the same customer; arguments override them one by one. The segment
names (probability columns, in segment_order) come from the warehouse's seed table
segment_definitions, and the staging from the dbt project at project_dir (a checkout
or copy of this project), so an installed package scores from any directory.

Modules: settings (the warehouse's cleaning vars and the vars a file is staged
with), sql (the scoring queries), batch (staging a file with dbt and writing its
scores: score_file).
"""

from customer_personality.scoring.batch import check_project_dir, score_file
from customer_personality.scoring.settings import (
    CLEANING_VARS,
    WarehouseSettings,
    describe_scoring,
    read_warehouse_settings,
    scoring_vars,
)
from customer_personality.scoring.sql import (
    FEATURE_COLUMNS,
    FROZEN_SCORES,
    scores_query,
    segment_names,
)

__all__ = [
    "CLEANING_VARS",
    "FEATURE_COLUMNS",
    "FROZEN_SCORES",
    "WarehouseSettings",
    "check_project_dir",
    "describe_scoring",
    "read_warehouse_settings",
    "score_file",
    "scores_query",
    "scoring_vars",
    "segment_names",
]
