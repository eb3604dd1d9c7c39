"""customer-personality: the Python side of a SQL-first segmentation warehouse.

Pure functions (DataFrame or array in, DataFrame out) that the dbt Python models call:
sample generation, segment models, clusterings, association rules, statistics and the
report. Nothing here imports dbt.
"""

__version__ = "0.1.0"
