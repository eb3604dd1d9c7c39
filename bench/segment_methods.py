"""`make bench-segments`: the segment methods compared on the real file and at 1M.

For each method of customer_personality.segments.SEGMENT_METHODS, on the training
customers the build itself prepares (dbt builds `+int_segment_training` and
`+int_customer_features` into scratch warehouses):

- bootstrap stability on the real file's 2,212 default customers: 20 resamples drawn
  with replacement (seed 0, and the build's random_seed 42), each refit labelling
  every customer, adjusted Rand index (ARI) against the method's own default fit;
- one extreme row (income_max 1e12 keeps the 666,666 income): the share of the other
  customers keeping their default segment, with the outlier flag on (the default:
  the row is left out of the fit) and off (segment_outlier_rule none);
- the smallest segment's share: default, with the extreme row, with every row kept
  (missing_income impute, income_max 1e12, max_age 1000);
- at 1M generated customers: the fit time on the 100,000-customer sample, and the
  ARI of that fit against a fit on 400,000.

Needs ../shared/data/marketing_campaign.csv. Prints a Markdown table; JSON under
bench/results/segment_methods.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from customer_personality.core import bootstrap_stability
from customer_personality.segments import (
    SEGMENT_METHODS,
    SegmentDefinitions,
    fit_mixture_on,
    fit_segments,
    score_from_model,
)
from run import generate  # bench/run.py: the generated files make bench uses

ROOT = Path(__file__).resolve().parents[1]
REAL_FILE = ROOT.parent / "shared" / "data" / "marketing_campaign.csv"
RESULTS = ROOT / "bench" / "results"
FEATURES = ("income", "seniority_months", "spending")
DEFINITIONS = SegmentDefinitions.from_frame(
    pd.read_csv(ROOT / "seeds" / "segment_definitions.csv")
)
KEEP_EXTREME = {"income_max": 1e12}
KEEP_ALL = {"missing_income": "impute", "income_max": 1e12, "max_age": 1000}


def build(raw: Path, db: Path, variables: dict) -> None:
    """Build the customer features and the training customers of `raw` into db."""
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "--quiet",
        "build",
        "--select",
        "+int_segment_training",
        "--exclude",
        "resource_type:test",
        "resource_type:unit_test",
        "--profiles-dir",
        str(ROOT),
        "--project-dir",
        str(ROOT),
        "--target-path",
        str(db.parent / f"target_{db.stem}"),
        "--vars",
        json.dumps({"raw_customers_path": str(raw), **variables}),
    ]
    env = {
        **os.environ,
        "CUSTOMER_PERSONALITY_DB": str(db),
        "CUSTOMER_PERSONALITY_HISTORY": str(db.parent / "history"),
    }
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def read(db: Path, table: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        sql = f"select customer_id, {', '.join(FEATURES)} from {table} order by 1"
        return con.execute(sql).df()


def labels(method: str, train: pd.DataFrame, everyone: pd.DataFrame) -> pd.Series:
    fitted, _ = fit_mixture_on(
        train[list(FEATURES)].to_numpy(np.float64), FEATURES, DEFINITIONS, method=method
    )
    values = everyone[list(FEATURES)].to_numpy(np.float64)
    return pd.Series(fitted.predict(values), index=everyone["customer_id"])


def measure(method: str, data: dict[str, pd.DataFrame], scale: pd.DataFrame) -> dict:
    default = data["default"]
    X = default[list(FEATURES)].to_numpy(np.float64)

    def refit(train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return fit_mixture_on(train, FEATURES, DEFINITIONS, method=method)[0].predict(
            rows
        )

    reference = labels(method, default, default)
    row = {"method": method, "description": SEGMENT_METHODS[method].description}
    for seed in (0, 42):
        result = bootstrap_stability(X, refit, 20, seed, reference.to_numpy())
        row[f"ari_median_seed{seed}"] = result.ari_median
        row[f"ari_min_seed{seed}"] = result.ari_min
    for flag, train in (
        ("flag_on", data["extreme_training"]),
        ("flag_off", data["extreme"]),
    ):
        moved = labels(method, train, data["extreme"]).reindex(reference.index)
        row[f"extreme_kept_{flag}"] = float((moved == reference).mean())
    row["min_share_default"] = float(reference.value_counts(normalize=True).min())
    extreme = labels(method, data["extreme_training"], data["extreme"])
    row["min_share_extreme"] = float(extreme.value_counts(normalize=True).min())
    everyone = labels(method, data["all_training"], data["all"])
    row["min_share_all_rows"] = float(everyone.value_counts(normalize=True).min())
    started = time.perf_counter()
    small = fit_segments(
        scale, DEFINITIONS, method=method, sample_size=100_000, assign=False
    )
    row["fit_seconds_1m"] = time.perf_counter() - started
    large = fit_segments(
        scale, DEFINITIONS, method=method, sample_size=400_000, assign=False
    )
    first, _ = score_from_model(small.model, scale)
    second, _ = score_from_model(large.model, scale)
    row["ari_100k_vs_400k"] = adjusted_rand_score(first, second)
    return row


def main() -> None:
    if not REAL_FILE.exists():
        sys.exit(f"the real data set is not at {REAL_FILE}: nothing to compare on")
    warnings.filterwarnings("ignore", category=UserWarning)
    with tempfile.TemporaryDirectory(prefix="segment-methods-") as scratch:
        work = Path(scratch)
        builds = {"default": {}, "extreme": KEEP_EXTREME, "all": KEEP_ALL}
        data: dict[str, pd.DataFrame] = {}
        for name, variables in builds.items():
            build(REAL_FILE, work / f"{name}.duckdb", variables)
            data[name] = read(work / f"{name}.duckdb", "int_customer_features")
            data[f"{name}_training"] = read(
                work / f"{name}.duckdb", "int_segment_training"
            )
        synthetic = generate(1_000_000)  # cached in bench/data/, as make bench does
        build(synthetic, work / "1m.duckdb", {})
        scale = read(work / "1m.duckdb", "int_segment_training")
    rows = [measure(method, data, scale) for method in SEGMENT_METHODS]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "segment_methods.json").write_text(json.dumps(rows, indent=2))
    print(
        "| method | bootstrap ARI median / min (seed 0) | (seed 42) | extreme row: "
        "others "
        "kept, flag on / off | smallest segment: default / extreme / every row | "
        "fit at 1M (s) | ARI 100k vs 400k |"
    )
    print("|---|---|---|---|---|---:|---:|")
    for row in rows:
        print(
            f"| `{row['method']}` | {row['ari_median_seed0']:.3f} / "
            f"{row['ari_min_seed0']:.3f} | {row['ari_median_seed42']:.3f} / "
            f"{row['ari_min_seed42']:.3f} | {row['extreme_kept_flag_on']:.2%} / "
            f"{row['extreme_kept_flag_off']:.2%} | {row['min_share_default']:.1%} / "
            f"{row['min_share_extreme']:.1%} / {row['min_share_all_rows']:.1%} | "
            f"{row['fit_seconds_1m']:.2f} | {row['ari_100k_vs_400k']:.3f} |"
        )


if __name__ == "__main__":
    main()
