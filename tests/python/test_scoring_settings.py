"""customer_personality.scoring.settings: the cleaning vars a scoring repeats, what may
override them, and the message that says where each came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from customer_personality.scoring import (
    WarehouseSettings,
    describe_scoring,
    scoring_vars,
)


def settings(**variables) -> WarehouseSettings:
    defaults = {"reference_date": "2014-06-29", "max_age": 100, "missing_income": "drop"}
    return WarehouseSettings({**defaults, **variables}, recorded=True, n_train_rows=9)


def test_scoring_vars_refuse_unknown_vars_and_bad_dates():
    with pytest.raises(ValueError, match="not a cleaning var: segment_components"):
        scoring_vars(settings(), overrides={"segment_components": 3})
    with pytest.raises(ValueError, match="YYYY-MM-DD, not '29-06-2014'"):
        scoring_vars(settings(), "29-06-2014")
    assert scoring_vars(settings(), overrides={"max_age": None})["max_age"] is None


def test_describe_scoring_warns_when_the_new_file_decides():
    """Imputed incomes and IQR fences come from the new file: the message says so."""
    variables = scoring_vars(settings(), overrides={"missing_income": "impute"})
    text = describe_scoring(Path("new.csv"), Path("w.duckdb"), settings(), variables)
    assert "missing_income=impute (set for this scoring)" in text
    assert "median income of the new file's customers" in text
    old = WarehouseSettings({"reference_date": None}, recorded=False, n_train_rows=None)
    text = describe_scoring(Path("new.csv"), Path("w.duckdb"), old, {})
    assert "the latest enrolment in new.csv (the warehouse records no date)" in text
    assert "the project's defaults (the warehouse records no build_vars)" in text
