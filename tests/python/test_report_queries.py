"""customer_personality.report.queries (and the report written from them) on small
hand-made warehouses: they read the marts' and seeds' values as stored, honour the
build's vars (build_vars) and take significance from
segment_statistics.is_significant."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from customer_personality.report import queries, write_report
from customer_personality.report.warehouse import MissingData, Warehouse
from customer_personality.warehouse import connect
from helpers.report import section_html

RULES = (
    "create table product_consumer_rules as select * from (values "
    "(1, 'wines_segment=Biggest consumer', '{a} => {wines_segment=Biggest consumer}', "
    "0.2, 0.9, 3.0), "
    "(1, 'meat_segment=Biggest consumer', '{b} => {meat_segment=Biggest consumer}', "
    "0.1, 0.8, 2.5), "
    "(2, 'meat_segment=Biggest consumer', '{c} => {meat_segment=Biggest consumer}', "
    "0.1, 0.7, 2.0)) as t(rule_rank, focus_item, rule, support, confidence, lift)"
)


def build_vars_sql(**values: str) -> str:
    rows = ", ".join(f"('{name}', '{value}')" for name, value in values.items())
    return f"create table build_vars as select * from (values {rows}) as t(name, value)"


def warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    return path


def read(path: Path, query, *args):
    with connect(path) as con:
        return query(Warehouse.over(con, max_points=3, seed=1), *args)


def test_focus_rules_honour_the_builds_focus_product(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        RULES,
        build_vars_sql(
            focus_product='"meat"', focus_consumer_segment='"Biggest consumer"'
        ),
    )
    data, product, consumer = read(path, queries.focus_rules)
    assert (product, consumer) == ("meat", "Biggest consumer")
    assert list(data["rule"]) == [
        "{b} => {meat_segment=Biggest consumer}",
        "{c} => {meat_segment=Biggest consumer}",
    ]
    assert list(data["confidence"]) == [0.8, 0.7]


def test_focus_rules_need_the_var_recorded(tmp_path):
    path = warehouse(tmp_path / "w.duckdb", RULES, build_vars_sql(random_seed="42"))
    with pytest.raises(MissingData, match="records no var focus_product"):
        read(path, queries.focus_rules)


def test_report_shows_the_rules_of_another_focus_product(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        RULES,
        build_vars_sql(
            focus_product='"meat"', focus_consumer_segment='"Biggest consumer"'
        ),
    )
    html = write_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    section = html.split('<section id="rules">')[1].split("</section>")[0]
    assert "<h3>Top 2 rules for the biggest consumers of meat</h3>" in section
    assert "{b} =&gt; {meat_segment=Biggest consumer}" in section
    assert "wines_segment" not in section
    assert (
        "Best rule: {b} =&gt; {meat_segment=Biggest consumer} (80% confidence" in section
    )


def test_statistics_count_is_significant_not_p_values(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table segment_statistics as select * from (values "
        "('kruskal_wallis', 'income', 1e-9, true), "
        "('kruskal_wallis', 'age', 0.01, false), "
        "('kruskal_wallis', 'children', 0.03, false), "
        "('kruskal_wallis', 'recency', 0.5, false)) "
        "as t(test, feature, p_value, is_significant)",
        build_vars_sql(statistics_alpha="0.005"),
    )
    data, total, significant, alpha = read(path, queries.statistics)
    assert (total, significant, alpha) == (4, 1, 0.005)
    assert list(data.columns) == ["test", "feature", "p_value"]
    assert list(data["feature"]) == ["age", "children", "income", "recency"]


def test_statistics_need_is_significant(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table segment_statistics as select 'kruskal' as test, 0.01 as p_value",
    )
    with pytest.raises(
        MissingData, match="segment_statistics has no column is_significant"
    ):
        read(path, queries.statistics)


def test_statistics_table_when_the_mart_exists(tmp_path):
    """segment_statistics is read when present, with the columns it has; the count
    of significant tests is its is_significant at the build's statistics_alpha."""
    partial = tmp_path / "statistics.duckdb"
    with duckdb.connect(str(partial)) as con:
        con.execute(
            "create table segment_statistics as select * from (values "
            "('kruskal', 'segment', 'income', null, null, 812.5, 1e-12, 0.31, "
            "'epsilon_squared', true, 'Income differs between segments'), "
            "('mann_whitney', 'segment', 'income', 'Stars', 'Leaky bucket', 1.5e5, "
            "0.2, 0.04, 'rank_biserial', false, 'No clear difference'), "
            "('mann_whitney', 'segment', 'income', 'Stars', 'Need attention', 1.2e5, "
            "0.004, 0.02, 'rank_biserial', false, 'Not after adjustment')) as t(test, "
            "grouping, feature, group_a, group_b, statistic, p_value, effect_size, "
            "effect_size_name, is_significant, interpretation)"
        )
        con.execute(
            "create table build_vars as select * from (values "
            "('statistics_alpha', '0.001')) as t(name, value)"
        )
    html = write_report(partial, tmp_path / "s.html").read_text(encoding="utf-8")
    section = section_html(html, "statistics")
    assert '<table id="table-statistics">' in section
    assert "3 tests; 1 significant at alpha = 0.001." in section
    assert section.index("kruskal") < section.index("mann whitney")
    assert "1.0e-12" in section
    assert "Stars vs Leaky bucket" in section
    assert "0.310 epsilon squared" in section
    assert "is_significant" not in section and "Is significant" not in section


def test_segment_profiles_and_definitions_as_the_mart_and_seed_hold_them(tmp_path):
    columns = (
        "segment, customers, customer_share, mean_income, mean_spending, "
        "median_spending, mean_seniority_months, mean_age, mean_children, "
        "spend_share_wines, acceptance_rate_campaign_1"
    )
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table segment_profiles as select * from (values "
        "('Stars', 3, 0.6, 90000.0, 1500.0, 1400.0, 20.0, 50.0, 0.5, "
        "0.6, 0.2), ('Need attention', 2, 0.4, 20000.0, 80.0, 60.0, 8.0, "
        "40.0, 1.5, 0.5, 0.0)) "
        f"as t({columns})",
        "create table segment_definitions as select * from (values "
        "('Need attention', 4, '#577590'), ('Stars', 1, '#e9a800')) "
        "as t(segment, segment_order, colour)",
    )
    profiles = read(path, queries.segment_profiles)
    assert list(profiles.index) == ["Need attention", "Stars"]
    assert profiles.loc["Stars", "customer_share"] == 0.6
    assert profiles.loc["Stars", "median_spending"] == 1400.0
    assert list(profiles.columns)[-2:] == [
        "spend_share_wines",
        "acceptance_rate_campaign_1",
    ]
    definitions = read(path, queries.segment_definitions)
    assert list(definitions["segment"]) == ["Stars", "Need attention"]
    facts = read(path, queries.header_facts)
    assert facts == [("Segments", "2")]


def test_segment_sample_is_seeded_and_bounded(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table customers as select range as customer_id, 'Stars' as segment, "
        "range::double as income, 2.0 * range::double as spending, "
        "3.0::double as seniority_months, "
        "40 as age from range(20)",
    )
    first = read(path, queries.segment_sample)
    assert len(first) == 3
    assert list(read(path, queries.segment_sample)["customer_id"]) == list(
        first["customer_id"]
    )
    with connect(path) as con:
        other = queries.segment_sample(Warehouse.over(con, max_points=3, seed=2))
    assert list(other["customer_id"]) != list(first["customer_id"])


def test_report_samples_with_the_builds_random_seed(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table customers as select range as customer_id, 'Stars' as segment, "
        "range::double as income, 2.0 * range::double as spending, "
        "3.0::double as seniority_months, "
        "40 as age from range(50)",
        "create table segment_profiles as select "
        "'Stars' as segment, 50 as customers, 1.0 as customer_share, "
        + ", ".join(
            f"1.0::double as {name}"
            for name in (
                "mean_income",
                "mean_spending",
                "median_spending",
                "mean_seniority_months",
                "mean_age",
                "mean_children",
            )
        ),
        "create table segment_definitions as select 'Stars' as segment, "
        "1 as segment_order, '#e9a800' as colour",
        build_vars_sql(random_seed="7"),
    )
    default = write_report(path, tmp_path / "a.html", max_points=5).read_bytes()
    seven = write_report(path, tmp_path / "b.html", max_points=5, random_state=7)
    other = write_report(path, tmp_path / "c.html", max_points=5, random_state=42)
    assert default == seven.read_bytes()
    assert default != other.read_bytes()
    assert b"(5 of 50 customers drawn)" in default
