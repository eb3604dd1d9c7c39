"""customer-personality: the Python side of a SQL-first segmentation warehouse.

Pure functions (DataFrame or array in, DataFrame out) that the dbt Python models call,
and the tools around the built warehouse. Nothing here imports dbt but spark.

  core/        shared plumbing: the scientific stack loaded once, BLAS threads,
               engine I/O of the dbt Python models, the standardizer, the bootstrap
  segments/    the named segment model: methods, fit, naming, model table and file,
               stability
  clustering/  the clusterings compared (K-Means, GMM, Ward, HDBSCAN), their SQL
               parameters, stability, feature importance and the PCA
  rules/       market baskets: frequent itemsets and association rules
  statistics/  the significance tests behind the segment profiles
  response/    the response model (logistic regression as a parameter table)
  synthetic/   the synthetic customer generator (make sample, bench)
  warehouse/   the built warehouse: connect, summary, publish and export, the
               segment history store, the segment model to a file and back
  scoring/     new customers scored with the warehouse's SQL macros
  report/      the self-contained HTML report
  spark/       the project on Apache Spark (launcher, exports, views)
  cli.py       the command line (python -m customer_personality)
"""

__version__ = "0.1.0"
