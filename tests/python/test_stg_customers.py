"""stg_customers' cleaning rules, built by dbt: missing incomes imputed, the IQR income
fences and duplicate profiles dropped when the vars ask for them."""

from __future__ import annotations

import pytest

from conftest import query, real_file_or_skip, run_dbt, scalar

pytestmark = pytest.mark.build


def test_real_file_impute_keeps_missing_incomes(tmp_path):
    real = real_file_or_skip()
    db_path = tmp_path / "impute.duckdb"
    run_dbt(
        "build",
        db_path,
        {"raw_customers_path": str(real), "missing_income": "impute"},
        select="+customers",
        tests=False,
    )
    assert scalar(db_path, "select count(*) from stg_customers") == 2236
    assert (
        scalar(db_path, "select count(*) from stg_customers where is_income_imputed")
        == 24
    )
    # An imputed income is the median income of the customer's education.
    mismatches = scalar(
        db_path,
        "with medians as (select education, median(income) as income from "
        "stg_customers where not is_income_imputed group by education) "
        "select count(*) from stg_customers join medians using (education) "
        "where is_income_imputed and stg_customers.income != medians.income",
    )
    assert mismatches == 0


def test_iqr_rule_and_duplicate_dropping(tmp_path):
    db_path = tmp_path / "rules.duckdb"
    run_dbt(
        "build",
        db_path,
        {
            "income_outlier_rule": "iqr",
            "income_iqr_k": 1.5,
            "drop_duplicate_profiles": True,
        },
        select="+stg_customers +rejected_customers",
        tests=False,
    )
    fences = query(
        db_path,
        "select quantile_cont(income, 0.25), quantile_cont(income, 0.75) "
        "from base_raw__customers where income is not null",
    )[0]
    upper = fences[1] + 1.5 * (fences[1] - fences[0])
    outside = scalar(
        db_path,
        f"select count(*) from base_raw__customers where income > {upper}",
    )
    flagged = scalar(
        db_path,
        "select count(*) from rejected_customers "
        "where list_contains(rejection_reasons, 'income_outside_iqr_fences')",
    )
    assert flagged == outside > 0
    duplicates = scalar(
        db_path, "select count(*) from base_raw__customers where is_duplicate_profile"
    )
    dropped = scalar(
        db_path,
        "select count(*) from rejected_customers "
        "where list_contains(rejection_reasons, 'duplicate_profile')",
    )
    assert dropped == duplicates > 0
    assert (
        scalar(db_path, "select count(*) from stg_customers where is_duplicate_profile")
        == 0
    )
