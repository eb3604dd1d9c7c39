"""Synthetic customers in the raw Kaggle schema (make sample, bench, `python -m
customer_personality generate`): customers.py is the calibrated model of who they
are and what they buy, generate.py draws them in seeded blocks, adds the real file's
faults and writes CSV or Parquet. The raw schema itself, raw_customer_columns.csv,
stays at the top of the package: dbt's staging reads it by path."""

from customer_personality.synthetic.customers import (
    CAMPAIGNS,
    DATES,
    EDUCATION,
    MARITAL,
    PRODUCTS,
)
from customer_personality.synthetic.generate import (
    BLOCK_ROWS,
    COLUMNS,
    FORMATS,
    RAW_COLUMNS,
    SCHEMA,
    block_rng,
    generate_block,
    generate_chunk,
    generate_table,
    write_customers,
)

__all__ = [
    "BLOCK_ROWS",
    "CAMPAIGNS",
    "COLUMNS",
    "DATES",
    "EDUCATION",
    "FORMATS",
    "MARITAL",
    "PRODUCTS",
    "RAW_COLUMNS",
    "SCHEMA",
    "block_rng",
    "generate_block",
    "generate_chunk",
    "generate_table",
    "write_customers",
]
