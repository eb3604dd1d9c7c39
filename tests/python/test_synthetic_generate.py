"""Tests of the synthetic customer generator (customer_personality.synthetic.generate)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from customer_personality.synthetic.generate import (
    BLOCK_ROWS,
    generate_chunk,
    write_customers,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "marketing_campaign.csv"

# the raw Kaggle header, written out here so that a change in the module shows up
HEADER = [
    "ID", "Year_Birth", "Education", "Marital_Status", "Income", "Kidhome", "Teenhome",
    "Dt_Customer", "Recency", "MntWines", "MntFruits", "MntMeatProducts",
    "MntFishProducts", "MntSweetProducts", "MntGoldProds", "NumDealsPurchases",
    "NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases", "NumWebVisitsMonth",
    "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5", "AcceptedCmp1", "AcceptedCmp2",
    "Complain", "Z_CostContact", "Z_Revenue", "Response",
]  # fmt: skip
PRODUCTS = [c for c in HEADER if c.startswith("Mnt")]
CAMPAIGNS = ["AcceptedCmp1", "AcceptedCmp2", "AcceptedCmp3", "AcceptedCmp4"]
CAMPAIGNS += ["AcceptedCmp5", "Response"]


def read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t")


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    """20,000 customers drawn directly (8 full windows of 2,240 and a short one)."""
    return generate_chunk(np.random.default_rng(2024), 1, 20_000)


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "customers.csv"
    assert write_customers(3_000, out, seed=7) == 3_000
    return out


def test_csv_format_header_and_tabs(small_csv: Path) -> None:
    raw = small_csv.read_bytes()
    assert b"\r" not in raw and b'"' not in raw and b"NaN" not in raw
    lines = raw.decode().split("\n")
    assert lines[-1] == ""  # ends with a newline
    lines = lines[:-1]
    assert lines[0].split("\t") == HEADER
    assert len(lines) == 3_001
    assert all(line.count("\t") == 28 for line in lines)
    # integers are written as integers; a missing income is an empty field
    assert not re.search(r"\d\.\d", raw.decode())
    incomes = [line.split("\t")[4] for line in lines[1:]]
    assert all(re.fullmatch(r"\d+", value) or value == "" for value in incomes)
    assert "" in incomes


def test_row_count_ids_and_constants(small_csv: Path) -> None:
    frame = read_raw(small_csv)
    assert frame.shape == (3_000, 29)
    assert list(frame.columns) == HEADER
    assert frame["ID"].is_unique and (frame["ID"] > 0).all()
    assert (frame["Z_CostContact"] == 3).all() and (frame["Z_Revenue"] == 11).all()
    education = {"Graduation", "PhD", "Master", "2n Cycle", "Basic"}
    assert set(frame["Education"]) <= education
    marital = {"Married", "Together", "Single", "Divorced", "Widow"}
    assert set(frame["Marital_Status"]) <= marital | {"Alone", "Absurd", "YOLO"}
    assert frame["Recency"].between(0, 99).all()


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    write_customers(1_500, first, seed=3)
    write_customers(1_500, again, seed=3)
    write_customers(1_500, other, seed=4)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_independent_of_chunk_rows_and_prefix_stable(tmp_path: Path) -> None:
    rows = BLOCK_ROWS + 1_000  # two blocks: the second one is cut
    big, small, prefix = tmp_path / "big.csv", tmp_path / "small.csv", tmp_path / "p.csv"
    write_customers(rows, big, seed=11, chunk_rows=250_000)
    write_customers(rows, small, seed=11, chunk_rows=1)
    assert big.read_bytes() == small.read_bytes()
    write_customers(2_240, prefix, seed=11)
    head = big.read_bytes().split(b"\n")[:2_241]
    assert prefix.read_bytes() == b"\n".join(head) + b"\n"


def test_csv_and_parquet_hold_the_same_data(tmp_path: Path) -> None:
    csv, parquet = tmp_path / "c.csv", tmp_path / "c.parquet"
    write_customers(5_000, csv, fmt="csv", seed=5)
    write_customers(5_000, parquet, fmt="parquet", seed=5)
    from_csv = read_raw(csv)
    from_parquet = pd.read_parquet(parquet)
    assert list(from_parquet.columns) == HEADER
    assert from_parquet["Income"].isna().sum() == from_csv["Income"].isna().sum() > 0
    pd.testing.assert_frame_equal(from_csv, from_parquet, check_dtype=False)


def test_generate_chunk_returns_raw_schema(customers: pd.DataFrame) -> None:
    assert list(customers.columns) == HEADER
    assert len(customers) == 20_000
    assert customers["ID"].is_unique
    assert customers["ID"].between(1, 5 * 20_000).all()
    assert str(customers["Income"].dtype) == "Int64"


def test_faults_at_about_the_real_rates(customers: pd.DataFrame) -> None:
    rows = len(customers)
    windows = rows / 2_240  # the real file has 2,240 rows
    missing = customers["Income"].isna().mean()
    assert 0.006 < missing < 0.017  # real: 24 of 2,240 (1.1%)
    extreme = (customers["Income"] == 666_666).sum()
    assert 0.6 * windows < extreme < 1.5 * windows  # real: 1
    years = customers.loc[customers["Year_Birth"] < 1901, "Year_Birth"]
    assert 2 * windows < len(years) < 4 * windows  # real: 3
    assert set(years) <= {1893, 1899, 1900}
    normal = customers.loc[customers["Year_Birth"] > 1901, "Year_Birth"]
    assert normal.min() >= 1940 and normal.max() <= 1996
    counts = customers["Marital_Status"].value_counts()
    for status, real in {"Alone": 3, "Absurd": 2, "YOLO": 2}.items():
        assert 0.5 * real * windows <= counts.get(status, 0) <= 1.6 * real * windows
    duplicated = customers.drop(columns="ID").duplicated().mean()
    assert 0.065 < duplicated < 0.098  # real: 182 of 2,240 (8.1%)
    assert 0.004 < customers["Complain"].mean() < 0.016  # real: 0.9%


def test_joint_structure(customers: pd.DataFrame) -> None:
    data = customers[customers["Income"].notna() & (customers["Income"] < 200_000)]
    data = data.assign(
        Income=data["Income"].astype(float),
        Spend=data[PRODUCTS].sum(axis=1),
        Children=data["Kidhome"] + data["Teenhome"],
    )
    corr = data[["Income", "Spend", "Children", "NumWebVisitsMonth"]].corr("spearman")
    assert corr.loc["Income", "Spend"] > 0.7  # real: 0.85
    assert corr.loc["Children", "Spend"] < -0.3  # real: -0.48
    assert corr.loc["Income", "NumWebVisitsMonth"] < -0.4  # real: -0.64
    purchases = data[["NumWebPurchases", "NumCatalogPurchases", "NumStorePurchases"]]
    assert purchases.sum(axis=1).corr(data["Spend"], method="spearman") > 0.7
    # education shifts income
    by_education = data.groupby("Education")["Income"].median()
    assert by_education["Basic"] < by_education["2n Cycle"] < by_education["PhD"]
    # wines and meat are the biggest products; every product has non-buyers
    totals = data[PRODUCTS].sum()
    assert set(totals.nlargest(2).index) == {"MntWines", "MntMeatProducts"}
    zeros = (customers[PRODUCTS] == 0).mean()
    assert (zeros > 0).all()
    for product in ("MntFruits", "MntFishProducts", "MntSweetProducts"):
        assert 0.08 < zeros[product] < 0.30  # real: 17-19%
    # campaign acceptance near the real rates and higher among big spenders
    rates = customers[CAMPAIGNS].mean()
    real = [0.064, 0.013, 0.073, 0.075, 0.073, 0.149]
    assert np.allclose(rates, real, atol=0.02)
    top = data["Spend"] >= data["Spend"].quantile(0.75)
    accepted = data[CAMPAIGNS].sum(axis=1)
    assert accepted[top].mean() > 2 * accepted[~top].mean()


def test_dates_day_first_in_range(customers: pd.DataFrame) -> None:
    text = customers["Dt_Customer"]
    assert text.str.fullmatch(r"\d{2}-\d{2}-\d{4}").all()
    dates = pd.to_datetime(text, format="%d-%m-%Y")
    assert dates.min() >= pd.Timestamp("2012-07-30")
    assert dates.max() <= pd.Timestamp("2014-06-29")
    assert dates.dt.day.max() > 12  # day first, not month first
    assert dates.dt.year.nunique() == 3


def test_committed_sample_is_generated(tmp_path: Path) -> None:
    assert SAMPLE.exists(), "data/sample/marketing_campaign.csv is missing"
    fresh = tmp_path / "sample.csv"
    write_customers(2_240, fresh, seed=42)
    assert SAMPLE.read_bytes() == fresh.read_bytes(), (
        "the committed sample differs from write_customers(2240, seed=42): regenerate"
        " it with `python -m customer_personality generate --rows 2240"
        " --out data/sample/marketing_campaign.csv --seed 42`"
    )


def test_bad_arguments_and_new_parent_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rows must be a positive integer"):
        write_customers(0, tmp_path / "x.csv")
    with pytest.raises(ValueError, match="unknown format 'json'"):
        write_customers(10, tmp_path / "x.json", fmt="json")
    with pytest.raises(ValueError, match="rows"):
        generate_chunk(np.random.default_rng(0), 1, 0)
    assert not list(tmp_path.iterdir())
    nested = tmp_path / "new" / "folder" / "c.csv"
    assert write_customers(10, nested) == 10
    assert len(nested.read_text().splitlines()) == 11


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "customer_personality", "generate", *args]
    return subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=60
    )


def test_cli_generate(tmp_path: Path) -> None:
    out = tmp_path / "cli" / "customers.csv"
    done = run_cli("--rows", "300", "--out", str(out), "--seed", "1")
    assert done.returncode == 0, done.stderr
    assert "wrote 300 customers" in done.stdout
    assert re.search(r"300/300 rows .*\d s", done.stderr)  # progress with elapsed time
    assert read_raw(out).shape == (300, 29)


def test_progress_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write_customers(BLOCK_ROWS + 10, tmp_path / "q.csv", chunk_rows=1)
    assert capsys.readouterr() == ("", "")
    write_customers(BLOCK_ROWS + 10, tmp_path / "p.csv", chunk_rows=1, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2  # one line per chunk
    assert re.fullmatch(r"generate: 35,840/35,850 rows \(100%\), \d+\.\d s", lines[0])
    assert lines[-1].startswith("generate: 35,850/35,850 rows (100%)")


def test_cli_rejects_zero_rows(tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    done = run_cli("--rows", "0", "--out", str(out))
    assert done.returncode != 0
    assert "error: rows must be a positive integer, got 0" in done.stderr
    assert not out.exists()
