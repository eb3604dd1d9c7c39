"""segment_profiles and cluster_profiles as built: the profiles add up to every
customer and equal the means taken directly, and the same data gives the same table,
to the last bit."""

from __future__ import annotations

import pytest

from conftest import query, scalar

pytestmark = pytest.mark.build


def _bits(db_path) -> dict[tuple, dict[str, object]]:
    """Every profile of the named segments and the clusterings (the table both
    segment_profiles and cluster_profiles read) by (segmentation, segment), each
    double as its exact hex form."""
    with_names = query(
        db_path,
        "select column_name from information_schema.columns "
        "where table_name = 'int_membership_profiles' order by ordinal_position",
    )
    columns = [name for (name,) in with_names]
    rows = query(db_path, "select * from int_membership_profiles order by all")
    return {
        row[:2]: {
            column: value.hex() if isinstance(value, float) else value
            for column, value in zip(columns, row)
        }
        for row in rows
    }


def test_two_builds_give_bit_identical_profiles(sample_db, sample_db_again):
    """A parallel avg() of doubles sums in a varying order; the means must not."""
    first, second = _bits(sample_db), _bits(sample_db_again)
    assert first and first.keys() == second.keys()
    differing = sorted(
        {
            column
            for key, profile in first.items()
            for column, value in profile.items()
            if second[key][column] != value
        }
    )
    assert differing == [], f"columns that differ between two builds: {differing}"


def test_segment_profiles_add_up(sample_db):
    total = scalar(sample_db, "select count(*) from customers")
    for segmentation, customers, share in query(
        sample_db,
        "select 'segments', sum(customers), sum(customer_share) from segment_profiles "
        "union all select clustering, sum(customers), sum(customer_share) "
        "from cluster_profiles group by 1",
    ):
        assert customers == total, segmentation
        assert abs(share - 1) < 1e-9
    mismatch = scalar(
        sample_db,
        "with direct as (select segment, avg(spending) as spending, "
        "avg(accepted_campaign_3) as campaign_3 from customers group by 1) "
        "select count(*) from segment_profiles join direct using (segment) "
        "where (abs(mean_spending - direct.spending) "
        "> 1e-9 or abs(acceptance_rate_campaign_3 - direct.campaign_3) > 1e-9)",
    )
    assert mismatch == 0
