"""Synthetic customers in the raw Kaggle "Customer Personality Analysis" schema.

The project ships a generated sample instead of the real file, and benchmarks need
files of any size, so this module draws believable customers with numpy: education
shifts income, income drives spending, children lower it, purchase counts follow
spending, web visits fall with income, campaign acceptance rises with spending.
It also sprinkles in the real file's faults at about its rates: missing incomes, an
extreme income (666666), impossible birth years, odd marital statuses and rows that
repeat an earlier customer in every column but ``ID``. The calibrated model of the
customers themselves is customer_personality.synthetic.customers; no real row is
used.

Reproducibility: rows are drawn in fixed blocks of ``BLOCK_ROWS`` and block ``b`` uses
its own generator seeded from ``SeedSequence(seed, spawn_key=(b,))`` (the ``b``-th
child of ``SeedSequence(seed).spawn``). The last block is drawn in full and cut. So
the data depend only on ``seed`` and ``rows``, not on ``chunk_rows`` or the format,
and the first ``n`` rows of any file equal the ``n``-row file of the same seed.
Same numpy version, same bytes (numpy does not promise identical streams across
versions).
"""

from __future__ import annotations

import csv
import os
import sys
import time
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from customer_personality.synthetic.customers import (
    CAMPAIGNS,
    DATES,
    EDUCATION,
    MARITAL,
    PRODUCTS,
    draw_amounts,
    draw_campaigns,
    draw_demographics,
    draw_income,
    draw_purchases,
    draw_spending,
)

# The raw schema: one row per column of the export, in file order (raw name, staging
# name, type, kind). dbt's staging reads the same file (macro raw_customer_schema).
with (files("customer_personality") / "raw_customer_columns.csv").open(
    newline="", encoding="utf-8"
) as _schema_file:
    RAW_COLUMNS: tuple[dict[str, str], ...] = tuple(csv.DictReader(_schema_file))
COLUMNS: tuple[str, ...] = tuple(column["raw"] for column in RAW_COLUMNS)
# Written as text: the text columns and the dates; every other column is an integer.
STRING_COLUMNS = frozenset(
    column["raw"] for column in RAW_COLUMNS if column["kind"] in ("text", "date")
)
SCHEMA = pa.schema(
    [(name, pa.string() if name in STRING_COLUMNS else pa.int64()) for name in COLUMNS]
)
FORMATS = ("csv", "parquet")

WINDOW_ROWS = 2_240  # rows of the real file; rare faults are placed per window
BLOCK_ROWS = 16 * WINDOW_ROWS  # fixed unit of generation (35,840 rows)
ID_SPREAD = 5  # IDs are sparse like the real ones: 2,240 IDs spread over ~11,200

# rare faults per window of 2,240 rows: exactly the real file's counts
RARE_FAULTS = (
    ("extreme_income", 1),
    ("impossible_year", 3),
    ("Alone", 3),
    ("Absurd", 2),
    ("YOLO", 2),
)
EXTREME_INCOME = 666_666
IMPOSSIBLE_YEARS = np.array([1893, 1899, 1900])
MISSING_INCOME_P = 24 / 2_240
DUPLICATE_P = 182 / 2_240


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _window_order(rng: np.random.Generator, rows: int, skip: np.ndarray) -> np.ndarray:
    """Row positions of each window of WINDOW_ROWS rows in a random order.

    Rows with `skip` > 0 sort after the others, so rare faults avoid duplicate rows.
    Rows past `rows` (the padding of a short last window) get keys too, so a short
    window gets proportionally fewer rare faults. Returns a (windows, WINDOW_ROWS)
    array of chunk row positions (padding positions are >= rows).
    """
    windows = -(-rows // WINDOW_ROWS)
    keys = rng.random(windows * WINDOW_ROWS)
    keys[:rows] += skip
    order = np.argsort(keys.reshape(windows, WINDOW_ROWS), axis=1, kind="stable")
    return order + (np.arange(windows) * WINDOW_ROWS)[:, None]


def _ids(rng: np.random.Generator, start_id: int, rows: int) -> np.ndarray:
    """Unique IDs in [start_id, start_id + ID_SPREAD*rows), shuffled per window."""
    windows = -(-rows // WINDOW_ROWS)
    keys = rng.random(windows * WINDOW_ROWS)
    keys[rows:] = np.inf  # padding sorts last: a short window permutes its own rows
    order = np.argsort(keys.reshape(windows, WINDOW_ROWS), axis=1, kind="stable")
    slots = (order + (np.arange(windows) * WINDOW_ROWS)[:, None]).ravel()[:rows]
    return start_id + ID_SPREAD * slots + rng.integers(0, ID_SPREAD, rows)


def _faults(rng: np.random.Generator, draw: dict[str, np.ndarray]) -> np.ndarray:
    """Missing incomes (draw['missing']), then the rare faults on rows that are not
    duplicates, in place; returns which rows will be duplicates (draw['rare'] marks
    the rows with a rare fault)."""
    n = draw["income"].size
    missing = rng.random(n) < MISSING_INCOME_P
    duplicate = rng.random(n) < DUPLICATE_P
    duplicate[0] = False
    order = _window_order(rng, n, np.where(duplicate, 2.0, 0.0))
    first = 0
    rare = np.zeros(n, dtype=bool)
    for fault, count in RARE_FAULTS:
        pos = order[:, first : first + count].ravel()
        first += count
        pos = pos[pos < n]
        pos = pos[~duplicate[pos]]
        rare[pos] = True
        if fault == "extreme_income":
            draw["income"][pos] = EXTREME_INCOME
            missing[pos] = False
        elif fault == "impossible_year":
            draw["year"][pos] = IMPOSSIBLE_YEARS[rng.integers(0, 3, pos.size)]
        else:
            draw["marital"][pos] = MARITAL.index(fault)
    draw["missing"], draw["rare"] = missing, rare
    return duplicate


# The drawn arrays a duplicate row copies (every column but ID).
DRAWN_COLUMNS: tuple[str, ...] = (
    "year",
    "education",
    "marital",
    "income",
    "missing",
    "kidhome",
    "teenhome",
    "day",
    "recency",
    "web",
    "catalog",
    "store",
    "deals",
    "visits",
    "complain",
    "amounts",
    "accepted",
)


def _copy_duplicates(
    rng: np.random.Generator, draw: dict[str, np.ndarray], duplicate: np.ndarray
) -> None:
    """Duplicates copy every column but ID from an earlier ordinary row, in place."""
    n = duplicate.size
    source_pool = np.flatnonzero(~duplicate & ~draw["rare"])
    before = np.searchsorted(source_pool, np.arange(n))
    pick = rng.random(n)
    duplicate &= before > 0
    dup_rows = np.flatnonzero(duplicate)
    src = source_pool[(pick[dup_rows] * before[dup_rows]).astype(np.int64)]
    for name in DRAWN_COLUMNS:
        draw[name][dup_rows] = draw[name][src]


def _raw_table(ids: np.ndarray, draw: dict[str, np.ndarray]) -> pa.Table:
    """The drawn arrays as a table of the raw schema (see COLUMNS)."""
    n, amounts, accepted = ids.size, draw["amounts"], draw["accepted"]
    columns = {
        "ID": ids,
        "Year_Birth": draw["year"],
        "Education": pa.array(EDUCATION).take(draw["education"]),
        "Marital_Status": pa.array(MARITAL).take(draw["marital"]),
        "Income": pa.array(draw["income"], mask=draw["missing"]),
        "Kidhome": draw["kidhome"],
        "Teenhome": draw["teenhome"],
        "Dt_Customer": pa.array(DATES).take(draw["day"]),
        "Recency": draw["recency"],
        **{name: amounts[:, j] for j, name in enumerate(PRODUCTS)},
        "NumDealsPurchases": draw["deals"],
        "NumWebPurchases": draw["web"],
        "NumCatalogPurchases": draw["catalog"],
        "NumStorePurchases": draw["store"],
        "NumWebVisitsMonth": draw["visits"],
        **{name: accepted[:, j] for j, name in enumerate(CAMPAIGNS)},
        "Complain": draw["complain"],
        "Z_CostContact": np.full(n, 3, dtype=np.int64),
        "Z_Revenue": np.full(n, 11, dtype=np.int64),
        "Response": accepted[:, 5],
    }
    return pa.table({name: columns[name] for name in COLUMNS}, schema=SCHEMA)


def generate_table(rng: np.random.Generator, start_id: int, rows: int) -> pa.Table:
    """Draw `rows` customers as a pyarrow Table in the raw schema (see COLUMNS).

    Fully vectorized, in stages that draw from `rng` in a fixed order: demographics,
    income, spending, product amounts, purchases, campaigns, faults, duplicates, IDs.
    IDs are unique within [start_id, start_id + 5*rows). Duplicate rows copy an
    earlier row of this same table, so chunks are independent.
    """
    _check_positive("rows", rows)
    _check_positive("start_id", start_id)
    draw = draw_demographics(rng, rows)
    draw["income"] = draw_income(rng, draw)
    spend = draw_spending(rng, draw["income"], draw)
    draw["amounts"] = draw_amounts(rng, spend)
    spend_log = np.log(np.maximum(draw["amounts"].sum(axis=1), 1))
    draw.update(draw_purchases(rng, spend_log, draw["income"], draw))
    draw.update(draw_campaigns(rng, spend_log, draw))
    duplicate = _faults(rng, draw)
    _copy_duplicates(rng, draw, duplicate)
    return _raw_table(_ids(rng, start_id, rows), draw)


def generate_chunk(rng: np.random.Generator, start_id: int, rows: int) -> pd.DataFrame:
    """Draw `rows` customers as a DataFrame (Income is nullable Int64, dates text)."""
    frame = generate_table(rng, start_id, rows).to_pandas()
    frame["Income"] = frame["Income"].astype("Int64")
    return frame


def block_rng(seed: int, block: int) -> np.random.Generator:
    """The generator of block `block`: child `block` of SeedSequence(seed).spawn."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def generate_block(seed: int, block: int) -> pa.Table:
    """Block `block` (BLOCK_ROWS rows) of every file made with `seed`."""
    start_id = 1 + ID_SPREAD * BLOCK_ROWS * block
    return generate_table(block_rng(seed, block), start_id, BLOCK_ROWS)


def write_customers(
    rows: int,
    out: Path,
    fmt: str = "csv",
    seed: int = 42,
    chunk_rows: int = 250_000,
    progress: bool = False,
) -> int:
    """Write `rows` synthetic customers in the raw Kaggle schema to `out`.

    Returns the number of rows written.

    CSV is tab-separated with a header, LF line endings, no quoting and an empty field
    for a missing income, like the real file. Parquet has the same columns (Income a
    nullable int64, Dt_Customer dd-mm-yyyy text), one row group per chunk. Chunks of
    about `chunk_rows` rows (whole blocks of 35,840 rows) bound the memory; the data
    depend only on (seed, rows), not on chunk_rows. The file is written to a
    temporary name next to `out` and renamed when complete.
    """
    _check_positive("rows", rows)
    _check_positive("chunk_rows", chunk_rows)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with _writer(tmp, fmt) as writer:
            written = _write_blocks(writer, fmt, rows, seed, chunk_rows, progress)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written


def _writer(path: Path, fmt: str) -> pacsv.CSVWriter | pq.ParquetWriter:
    """A CSV (the real file's dialect) or Parquet writer of SCHEMA at path."""
    if fmt == "csv":
        options = pacsv.WriteOptions(
            delimiter="\t",
            quoting_style="none",
            quoting_header="none",
            eol="\n",
            null_string="",
            batch_size=BLOCK_ROWS,
        )
        return pacsv.CSVWriter(str(path), SCHEMA, write_options=options)
    return pq.ParquetWriter(str(path), SCHEMA)


def _write_blocks(
    writer: pacsv.CSVWriter | pq.ParquetWriter,
    fmt: str,
    rows: int,
    seed: int,
    chunk_rows: int,
    progress: bool,
) -> int:
    """Write the first `rows` rows of seed's blocks, whole blocks of about
    `chunk_rows` rows at a time; returns the rows written."""
    blocks = -(-rows // BLOCK_ROWS)
    per_chunk = max(1, round(chunk_rows / BLOCK_ROWS))
    started = time.perf_counter()
    written = 0
    for first in range(0, blocks, per_chunk):
        last = min(first + per_chunk, blocks)
        tables = [generate_block(seed, b) for b in range(first, last)]
        chunk = pa.concat_tables(tables).slice(0, rows - written)
        if fmt == "csv":
            writer.write_table(chunk)
        else:
            writer.write_table(chunk, row_group_size=chunk.num_rows)
        written += chunk.num_rows
        del tables, chunk  # free this chunk before drawing the next one
        if progress:
            elapsed = time.perf_counter() - started
            print(
                f"generate: {written:,}/{rows:,} rows ({written / rows:.0%}), "
                f"{elapsed:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return written
