"""Synthetic customers in the raw Kaggle "Customer Personality Analysis" schema.

The project ships a generated sample instead of the real file, and benchmarks need
files of any size, so this module draws believable customers with numpy: education
shifts income, income drives spending, children lower it, purchase counts follow
spending, web visits fall with income, campaign acceptance rises with spending.
It also sprinkles in the real file's faults at about its rates: missing incomes, an
extreme income (666666), impossible birth years, odd marital statuses and rows that
repeat an earlier customer in every column but ``ID``. The constants were calibrated
against the marginals and correlations of the real file; no real row is used.

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
import datetime as dt
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

EDUCATION = ("Graduation", "PhD", "Master", "2n Cycle", "Basic")
EDUCATION_P = (0.503, 0.217, 0.165, 0.091, 0.024)
# income shift against Graduation, from a regression on the real file
EDUCATION_INCOME = (0.0, 2_900.0, 800.0, -3_600.0, -27_900.0)
EDUCATION_RESPONSE = (0.0, 0.55, 0.15, -0.2, -1.2)  # logit shift of Response

MARITAL = (
    "Married",
    "Together",
    "Single",
    "Divorced",
    "Widow",
    "Alone",
    "Absurd",
    "YOLO",
)
MARITAL_P = (0.387, 0.260, 0.215, 0.104, 0.034)  # the five real statuses
MARITAL_RESPONSE = (0.0, -0.1, 0.75, 0.7, 0.75)  # singles answer more often

FIRST_DAY = dt.date(2012, 7, 30)
DAYS = (dt.date(2014, 6, 29) - FIRST_DAY).days + 1
DATES = tuple(
    (FIRST_DAY + dt.timedelta(days=d)).strftime("%d-%m-%Y") for d in range(DAYS)
)

PRODUCTS = (
    "MntWines",
    "MntFruits",
    "MntMeatProducts",
    "MntFishProducts",
    "MntSweetProducts",
    "MntGoldProds",
)
PRODUCT_MAX = np.array([1_493, 199, 1_725, 259, 263, 362])
# mean product shares at three spending levels (total 30, 400, 1,800)
SHARE_KNOTS = np.log([30.0, 400.0, 1_800.0])
SHARES = np.array(
    [
        [0.37, 0.06, 0.25, 0.09, 0.06, 0.17],
        [0.54, 0.04, 0.21, 0.056, 0.04, 0.114],
        [0.50, 0.04, 0.30, 0.06, 0.04, 0.06],
    ]
)
# two-level Dirichlet: wines / meat / the rest vary a lot, the rest splits steadily
MAIN_CONCENTRATION, REST_CONCENTRATION = 8.0, 25.0
# share of non-buyers of each product: base + low * exp(-spending / ABSTAIN_SCALE)
ABSTAIN_BASE = np.array([0.0, 0.10, 0.0, 0.09, 0.10, 0.022])
ABSTAIN_LOW = np.array([0.01, 0.32, 0.0, 0.30, 0.32, 0.03])
ABSTAIN_SCALE = 70.0
DEALS_BASE, DEALS_KID, DEALS_TEEN, DEALS_BARGAIN = 0.8, 2.0, 2.4, 0.3
WEB_BARGAIN, VISITS_BARGAIN, VISITS_NOISE = 0.2, 0.9, 1.5

# purchase counts: mean by log total spending (knots at real spending deciles)
SPEND_KNOTS = np.log([20.0, 45, 70, 140, 300, 510, 780, 1_050, 1_350, 1_850])
WEB_MEAN = np.array([0.9, 1.6, 2.05, 2.6, 4.5, 6.0, 6.4, 5.6, 5.9, 5.3])
CATALOG_MEAN = np.array([0.1, 0.18, 0.47, 0.83, 1.47, 2.37, 3.96, 5.14, 5.74, 6.49])
STORE_MEAN = np.array([2.4, 2.95, 3.05, 3.45, 5.0, 6.8, 8.8, 8.9, 8.6, 8.1])
DEALS_SPEND = np.array([0.3, 0.45, 0.55, 0.65, 0.9, 1.1, 1.0, 0.85, 0.8, 0.65])

# campaigns, in the order AcceptedCmp1..5, Response: logit = a + b*spend_z + c*taste
CAMPAIGNS = (
    "AcceptedCmp1",
    "AcceptedCmp2",
    "AcceptedCmp3",
    "AcceptedCmp4",
    "AcceptedCmp5",
)
CAMPAIGN_A = np.array([-5.17, -6.31, -2.86, -3.70, -5.26, -3.03])
CAMPAIGN_B = np.array([2.3, 1.2, 0.0, 1.1, 2.6, 0.75])
CAMPAIGN_C = np.array([1.8, 1.8, 0.9, 1.5, 1.8, 1.4])

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
COMPLAIN_P = 0.0094


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _counts(
    rng: np.random.Generator, mean: np.ndarray, floor: int, cap: int
) -> np.ndarray:
    """Counts of at least `floor` (real customers buy at least that): floor + Poisson."""
    return np.minimum(floor + rng.poisson(np.maximum(mean - floor, 0.0)), cap)


def _children(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """0, 1 or 2 children with the given mean; about 5% of parents have two."""
    anyone = rng.random(mean.size) < np.clip(mean / 1.05, 0.0, 0.95)
    two = rng.random(mean.size) < 0.05
    return anyone.astype(np.int64) + (anyone & two)


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


def generate_table(rng: np.random.Generator, start_id: int, rows: int) -> pa.Table:
    """Draw `rows` customers as a pyarrow Table in the raw schema (see COLUMNS).

    Fully vectorized. IDs are unique within [start_id, start_id + 5*rows). Duplicate
    rows copy an earlier row of this same table, so chunks are independent.
    """
    _check_positive("rows", rows)
    _check_positive("start_id", start_id)
    n = rows

    # demographics
    year = np.rint(rng.normal(1968.9, 11.6, n)).astype(np.int64)
    out_of_range = (year < 1940) | (year > 1996)
    year = np.where(out_of_range, rng.integers(1945, 1991, n), year)
    education = rng.choice(len(EDUCATION), n, p=EDUCATION_P)
    marital = rng.choice(len(MARITAL_P), n, p=np.array(MARITAL_P) / sum(MARITAL_P))
    kid_mean = np.interp(
        year, [1940, 1950, 1960, 1970, 1980, 1996], [0.1, 0.2, 0.3, 0.5, 0.6, 0.5]
    )
    teen_mean = np.interp(
        year,
        [1940, 1952, 1958, 1970, 1976, 1982, 1996],
        [0.4, 0.6, 0.8, 0.68, 0.45, 0.05, 0.0],
    )
    kidhome = _children(rng, kid_mean)
    teenhome = _children(rng, teen_mean * np.where(education == 4, 0.2, 1.0))
    teenhome = np.minimum(teenhome, 2 - kidhome // 2)  # no 2 + 2, as in the real file

    # income: Graduation, born 1970, no children earns 62.5k on average
    edu_income = np.asarray(EDUCATION_INCOME)[education]
    income_mean = 62_500 + edu_income - 115.0 * (year - 1970) - 21_000 * kidhome
    income_mean -= 3_000 * teenhome
    income_sd = np.where(education == 4, 9_000.0, 17_800.0)
    income = income_mean + income_sd * rng.normal(size=n)
    too_low = income < 1_730
    income = np.where(too_low, rng.uniform(1_730, 15_000, n), income)
    income = np.rint(np.minimum(income, 162_000)).astype(np.int64)

    # total spending: an S-curve of income (children shift it right), softly capped
    position = (income / 1e4 - 3.8 - 1.1 * kidhome - 0.75 * teenhome) / 1.08
    position += 0.8 * rng.normal(size=n)
    level = 1 / (1 + np.exp(-position))
    raw = np.exp(3.52 + 3.85 * level + (0.35 + 0.45 * (1 - level)) * rng.normal(size=n))
    spend = np.maximum(raw / (1 + (raw / 2_600) ** 3) ** (1 / 3), 5.0)
    spend_log = np.log(spend)

    # product split: Dirichlet around spending-dependent mean shares
    base = np.column_stack(
        [np.interp(spend_log, SHARE_KNOTS, SHARES[:, j]) for j in range(6)]
    )
    others = [1, 3, 4, 5]  # fruits, fish, sweets, gold
    rest = base[:, others].sum(axis=1)
    main = np.column_stack([base[:, 0], base[:, 2], rest])
    main = rng.gamma(MAIN_CONCENTRATION * main)
    main /= main.sum(axis=1, keepdims=True)
    shares = rng.gamma(REST_CONCENTRATION * base / rest[:, None])
    shares[:, others] *= (main[:, 2] / shares[:, others].sum(axis=1))[:, None]
    shares[:, [0, 2]] = main[:, :2]
    none_p = ABSTAIN_BASE + np.outer(np.exp(-spend / ABSTAIN_SCALE), ABSTAIN_LOW)
    shares[rng.random((n, 6)) < none_p] = 0.0
    shares /= shares.sum(axis=1, keepdims=True)
    amounts = np.minimum(np.rint(shares * spend[:, None]).astype(np.int64), PRODUCT_MAX)
    spend_log = np.log(np.maximum(amounts.sum(axis=1), 1))

    # purchase channels follow spending; deals and web visits follow children and a
    # shared appetite for bargains
    bargain = rng.normal(size=n)
    web_mean = np.interp(spend_log, SPEND_KNOTS, WEB_MEAN)
    web_mean *= np.exp(WEB_BARGAIN * bargain)
    web = _counts(rng, web_mean, 1, 11)
    catalog = _counts(rng, np.interp(spend_log, SPEND_KNOTS, CATALOG_MEAN), 0, 11)
    store = _counts(rng, np.interp(spend_log, SPEND_KNOTS, STORE_MEAN), 2, 13)
    deals_mean = DEALS_BASE + (DEALS_KID * kidhome + DEALS_TEEN * teenhome) * np.interp(
        spend_log, SPEND_KNOTS, DEALS_SPEND
    )
    deals = _counts(rng, deals_mean * np.exp(DEALS_BARGAIN * bargain), 1, 15)
    rare_zero = rng.random((n, 3)) < np.array([0.02, 0.003, 0.006])
    web[rare_zero[:, 0]] = 0
    deals[rare_zero[:, 0] & (income > 70_000)] = 0
    store[rare_zero[:, 1]] = 0
    store[rare_zero[:, 2]] = 1
    visits_mean = 8.0 - 0.647e-4 * income + 0.71 * kidhome + 0.7 * teenhome
    visits = np.rint(
        visits_mean + VISITS_BARGAIN * bargain + VISITS_NOISE * rng.normal(size=n)
    )
    visits = np.clip(visits, 0, 10).astype(np.int64)

    # campaigns: shared taste for offers plus spending
    day = rng.integers(0, DAYS, n)
    recency = rng.integers(0, 100, n)
    taste = rng.normal(size=n)
    spend_z = (spend_log - 5.75) / 1.25
    logits = CAMPAIGN_A + np.outer(spend_z, CAMPAIGN_B) + np.outer(taste, CAMPAIGN_C)
    logits[:, 5] += (
        -0.028 * (recency - 49.5)
        - 1.7 * (day / DAYS - 0.5)
        + np.asarray(EDUCATION_RESPONSE)[education]
        + np.asarray(MARITAL_RESPONSE)[marital]
    )
    accepted = (rng.random((n, 6)) < 1 / (1 + np.exp(-logits))).astype(np.int64)
    complain = (rng.random(n) < COMPLAIN_P).astype(np.int64)

    # faults: missing incomes, then rare faults on rows that are not duplicates
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
            income[pos] = EXTREME_INCOME
            missing[pos] = False
        elif fault == "impossible_year":
            year[pos] = IMPOSSIBLE_YEARS[rng.integers(0, 3, pos.size)]
        else:
            marital[pos] = MARITAL.index(fault)

    # duplicates copy every column but ID from an earlier ordinary row
    source_pool = np.flatnonzero(~duplicate & ~rare)
    before = np.searchsorted(source_pool, np.arange(n))
    pick = rng.random(n)
    duplicate &= before > 0
    dup_rows = np.flatnonzero(duplicate)
    src = source_pool[(pick[dup_rows] * before[dup_rows]).astype(np.int64)]
    per_row = [year, education, marital, income, missing, kidhome, teenhome]
    per_row += [day, recency, web, catalog, store, deals, visits, complain]
    for arr in per_row:
        arr[dup_rows] = arr[src]
    amounts[dup_rows] = amounts[src]
    accepted[dup_rows] = accepted[src]

    ids = _ids(rng, start_id, n)
    columns = {
        "ID": ids,
        "Year_Birth": year,
        "Education": pa.array(EDUCATION).take(education),
        "Marital_Status": pa.array(MARITAL).take(marital),
        "Income": pa.array(income, mask=missing),
        "Kidhome": kidhome,
        "Teenhome": teenhome,
        "Dt_Customer": pa.array(DATES).take(day),
        "Recency": recency,
        **{name: amounts[:, j] for j, name in enumerate(PRODUCTS)},
        "NumDealsPurchases": deals,
        "NumWebPurchases": web,
        "NumCatalogPurchases": catalog,
        "NumStorePurchases": store,
        "NumWebVisitsMonth": visits,
        **{name: accepted[:, j] for j, name in enumerate(CAMPAIGNS)},
        "Complain": complain,
        "Z_CostContact": np.full(n, 3, dtype=np.int64),
        "Z_Revenue": np.full(n, 11, dtype=np.int64),
        "Response": accepted[:, 5],
    }
    return pa.table({name: columns[name] for name in COLUMNS}, schema=SCHEMA)


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
    blocks = -(-rows // BLOCK_ROWS)
    per_chunk = max(1, round(chunk_rows / BLOCK_ROWS))
    started = time.perf_counter()
    written = 0
    if fmt == "csv":
        options = pacsv.WriteOptions(
            delimiter="\t",
            quoting_style="none",
            quoting_header="none",
            eol="\n",
            null_string="",
            batch_size=BLOCK_ROWS,
        )
        writer: pacsv.CSVWriter | pq.ParquetWriter = pacsv.CSVWriter(
            str(tmp), SCHEMA, write_options=options
        )
    else:
        writer = pq.ParquetWriter(str(tmp), SCHEMA)
    try:
        with writer:
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
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written
