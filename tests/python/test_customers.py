"""customers as built on the real file: the customers kept, the rows rejected and why,
and the derived fields of a customer checked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import query, scalar

pytestmark = pytest.mark.build


def test_real_file_counts(real_db):
    assert scalar(real_db, "select count(*) from base_raw__customers") == 2240
    assert scalar(real_db, "select count(*) from customers") == 2212
    assert scalar(real_db, "select count(*) from rejected_customers") == 28
    reasons = dict(
        query(
            real_db,
            "select reason, count(*) from (select unnest(rejection_reasons) as reason "
            "from rejected_customers) group by reason",
        )
    )
    assert reasons == {"missing_income": 24, "income_above_max": 1, "age_above_max": 3}
    assert (
        scalar(real_db, "select count(*) from customers where is_duplicate_profile") > 0
    )
    assert (
        scalar(
            real_db, "select count(*) from base_raw__customers where is_duplicate_profile"
        )
        == 182
    )


def test_real_file_customers_match_definitions(real_db):
    row = query(
        real_db,
        "select age, spending, seniority_months, marital_group, children_group, "
        "education_level, income_group from customers where customer_id = 5524",
    )[0]
    # 5524: born 1957, Single, no child, Graduation, enrolled 04-09-2012, income 58138
    assert row[0] == 2014 - 1957
    assert row[1] == 635 + 88 + 546 + 172 + 88 + 88
    days = (date(2014, 6, 29) - date(2012, 9, 4)).days
    assert row[2] == pytest.approx(days / 30)
    assert row[3:6] == ("Alone", "No child", "Graduate")
    assert row[6] == "Medium to high income"
