"""segment_profiles as built: the same data gives the same table, to the last bit."""

from __future__ import annotations

from conftest import query, run_dbt


def _bits(db_path) -> dict[tuple, dict[str, object]]:
    """Every profile by (segmentation, segment), each double as its exact hex form."""
    with_names = query(
        db_path,
        "select column_name from information_schema.columns "
        "where table_name = 'segment_profiles' order by ordinal_position",
    )
    columns = [name for (name,) in with_names]
    rows = query(db_path, "select * from segment_profiles order by all")
    return {
        row[:2]: {
            column: value.hex() if isinstance(value, float) else value
            for column, value in zip(columns, row)
        }
        for row in rows
    }


def test_two_builds_give_bit_identical_profiles(tmp_path):
    """A parallel avg() of doubles sums in a varying order; the means must not."""
    builds = []
    for name in ("first", "second"):
        db_path = tmp_path / f"{name}.duckdb"
        run_dbt("build", db_path, select="+segment_profiles", tests=False)
        builds.append(_bits(db_path))
    first, second = builds
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
