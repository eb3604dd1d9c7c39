"""Segment test data: the seed's segment definitions and the features they name
(test_segments_naming, test_segments_fit, test_segments_stability), customers in four
groups built to match each segment name, and customers with no group structure
(test_segments_fit, test_segments_stability)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import seed_segment_definitions
from customer_personality.segments import fit_segments

FEATURES = ("income", "seniority_months", "spending")
DEFINITIONS = seed_segment_definitions()
SEGMENT_NAMES = DEFINITIONS.names

# Raw-unit centres of four well-separated groups, one per segment name.
GROUP_CENTRES = {
    "Stars": (85_000.0, 30.0, 1_800.0),
    "High potential": (80_000.0, 6.0, 1_500.0),
    "Leaky bucket": (30_000.0, 30.0, 120.0),
    "Need attention": (25_000.0, 6.0, 80.0),
}
GROUP_SPREAD = (2_500.0, 1.5, 40.0)


def make_customers(rows_per_group: int = 400, seed: int = 0) -> pd.DataFrame:
    """Four Gaussian groups in raw units with shuffled ids and the true name."""
    rng = np.random.default_rng(seed)
    blocks = []
    for name, centre in GROUP_CENTRES.items():
        values = rng.normal(centre, GROUP_SPREAD, size=(rows_per_group, 3))
        block = pd.DataFrame(values, columns=list(FEATURES))
        block["truth"] = name
        blocks.append(block)
    data = pd.concat(blocks, ignore_index=True)
    data["spending"] = data["spending"].round().astype(np.int64)
    data.insert(0, "customer_id", rng.permutation(len(data)).astype(np.int64) + 1)
    return data


def unstructured_customers(rows: int, seed: int, uniform: bool = False) -> pd.DataFrame:
    """Customers with no group structure: skewed amounts, or uniform noise."""
    rng = np.random.default_rng(seed)
    income = rng.uniform(10_000, 100_000, rows) if uniform else None
    spending = rng.uniform(0, 2_500, rows) if uniform else None
    return pd.DataFrame(
        {
            "customer_id": np.arange(rows),
            "income": rng.normal(50_000, 15_000, rows) if income is None else income,
            "seniority_months": rng.uniform(0, 24, rows),
            "spending": rng.gamma(2.0, 300.0, rows) if spending is None else spending,
        }
    )


# Fixtures of the segment model's tests (registered by conftest's pytest_plugins):
# four clear groups and the model fitted on them, once per test module.
@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return make_customers()


@pytest.fixture(scope="module")
def fitted(customers):
    return fit_segments(customers, DEFINITIONS, random_state=7)
