"""The report of a warehouse built from an input contract that lacks fields, on a
small hand-made DuckDB file (no dbt): the marts the contract did not let the build
make (build_info's skipped section) leave their sections out, the header names the
contract and says what was left out and why, and without named segments the first
part presents the chosen clustering (queries.CHOSEN_RULE)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from customer_personality.report import queries, write_report
from customer_personality.report.page import left_out_lines
from customer_personality.report.sections import REPORT_SECTIONS
from customer_personality.report.warehouse import MissingData, NotBuilt, Warehouse
from customer_personality.warehouse import connect
from helpers.report import section_html

SEGMENTS_REASON = (
    "needs income, enrolled_on, products; the input contract does not map "
    "enrolled_on, products"
)
ACTIONS_REASON = (
    "needs income, enrolled_on, products, recency_days, channels; the input "
    "contract does not map enrolled_on, products, recency_days, channels"
)
SKIPPED = {
    "customer_segments": SEGMENTS_REASON,
    "segment_stability": SEGMENTS_REASON,
    "product_consumer_rules": "needs products; the input contract does not map products",
    "segment_profiles": SEGMENTS_REASON,
    "customer_segment_history": SEGMENTS_REASON,
    "segment_migrations": SEGMENTS_REASON,
    "segment_statistics": SEGMENTS_REASON,
    "aha_moments": SEGMENTS_REASON,
    "response_model_evaluation": ACTIONS_REASON,
    "response_model_deciles": ACTIONS_REASON,
    "customer_actions": ACTIONS_REASON,
}
INPUT = {
    "name": "mall",
    "file": "contracts/mall.yml",
    "field_groups": "id, demographics, features",
    "fields": "customer_id, age, income",
    "products": "",
    "channels": "",
    "campaigns": "",
    "features": "gender, spending_score",
}
# algorithm, k, silhouette, is_selected, selection_reason, stability median ARI
EVALUATION = [
    ("kmeans", 2, 0.40, False, None, None),
    ("kmeans", 3, 0.45, True, "elbow of inertia at k=3", 0.97),
    ("gmm", 2, 0.50, True, "lowest BIC at k=2", 0.88),
    ("agglomerative", 3, 0.61, True, "highest silhouette at k=3", 0.93),
]


def _values(rows) -> str:
    def literal(value):
        if value is None:
            return "null"
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        return str(value).lower() if isinstance(value, bool) else repr(value)

    return ", ".join("(" + ", ".join(map(literal, row)) + ")" for row in rows)


def build_info_rows(skipped: dict[str, str], contract: dict[str, str] | None = None):
    sections = {
        "source": {"path": "data/mall.csv", "raw_rows": "6", "kept_rows": "6"}
        | {"rejected_rows": "0", "size_bytes": "120", "sha256": "ab" * 32},
        "build": {"started_at": "2026-01-02T03:04:05Z", "target": "dev"},
        "version": {"dbt": "1.11.0", "adapter": "duckdb", "engine": "v1.4.0"},
        "mart_rows": {"customers": "6", "rejected_customers": "0"},
        "input": contract or {},
        "skipped": skipped,
    }
    return [
        (section, name, value, order, position)
        for order, (section, facts) in enumerate(sections.items(), start=1)
        for position, (name, value) in enumerate(facts.items(), start=1)
    ]


def contract_warehouse(
    path: Path, evaluation=EVALUATION, skipped=SKIPPED, contract=INPUT
) -> Path:
    """A warehouse as a five-column export builds it: customers, the clusterings,
    their profiles and importance, rules and build_info; no segment mart."""
    ids = range(1, 7)
    income = [20.0, 22.0, 80.0, 85.0, 50.0, 52.0]
    clusters = {"kmeans": 3, "gmm": 2, "agglomerative": 3}
    statements = [
        "create table build_info (section varchar, name varchar, value varchar, "
        f"section_order int, fact_order int); insert into build_info values "
        f"{_values(build_info_rows(skipped, contract))}",
        "create table build_vars as select * from (values ('random_seed', '7')) "
        "as t(name, value)",
        "create table customers as select * from (values "
        + _values(
            (i, 20 + 5 * i, income[i - 1], 10.0 * i, "F" if i % 2 else "M", None)
            for i in ids
        )
        + ") as t(customer_id, age, income, spending_score, gender, reference_date)",
        "create table rejected_customers (customer_id int, rejection_reasons varchar[])",
        "create table customer_projection as select customer_id, income / 10 as pc1, "
        "age / 10 as pc2, spending_score / 10 as pc3, 0.5 as explained_variance_ratio_1,"
        " 0.3 as explained_variance_ratio_2, 0.2 as explained_variance_ratio_3 "
        "from customers",
        "create table customer_clusters as select * from (values "
        + _values(
            (i, name, k, (i - 1) // 2 % k) for name, k in clusters.items() for i in ids
        )
        + ") as t(customer_id, algorithm, k, cluster)",
        "create table cluster_evaluation as select *, k * 10.0 as inertia, "
        "k * 5.0 as bic, stability_ari_median - 0.1 as stability_ari_min, 0.8 as "
        "stability_weakest_cluster_jaccard, case when is_selected then 'stable' end "
        "as stability_reading, 20 as stability_resamples, 6 as stability_rows "
        f"from (values {_values(evaluation)}) as t(algorithm, k, silhouette, "
        "is_selected, selection_reason, stability_ari_median)",
        "create table cluster_profiles as select algorithm as clustering, cluster, "
        "count(*) as customers, count(*) / 6 as customer_share, avg(income) as "
        "mean_income, median(income) as median_income, avg(age) as mean_age, "
        "avg(spending_score) as mean_spending_score from customer_clusters "
        "join customers using (customer_id) group by all",
        "create table feature_importance as select * from (values "
        + _values(
            (name, k, feature, value, 0.01, 0.9)
            for name, k in clusters.items()
            for feature, value in (("income", 0.5), ("age", 0.2), ("gender", 0.0))
        )
        + ") as t(clustering, k, feature, importance_mean, importance_std, "
        "test_accuracy)",
        "create table association_rules as select * from (values "
        "('{gender=F} => {income_group=Low}', 0.3, 0.6, 1.5), "
        "('{income_group=Low} => {gender=F}', 0.3, 0.7, 1.4)) "
        "as t(rule, support, confidence, lift)",
    ]
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    return path


def over(path: Path, query):
    with connect(path) as con:
        return query(Warehouse.over(con, max_points=100, seed=1))


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("contract")
    lines: list[str] = []
    path = write_report(
        contract_warehouse(folder / "w.duckdb"), folder / "r.html", progress=lines.append
    )
    assert len(lines) == len(REPORT_SECTIONS)
    return path.read_text(encoding="utf-8")


def test_the_header_names_the_contract_and_what_was_left_out(report):
    assert (
        '<p class="contract">Input contract: mall (contracts/mall.yml): maps id, '
        "demographics, features; features gender, spending_score; no products, "
        "channels or campaigns.</p>"
    ) in report
    left_out = report.split('<div class="not-built">')[1].split("</div>")[0]
    items = re.findall(r"<li>(.*?)</li>", left_out)
    assert len(items) == 2  # one per reason
    assert items[0].startswith(
        "<b>Segments and their strategies, What to do with each customer, What the "
        "campaign earns, Who will respond to the next campaign</b> (tables "
        "customer_actions, response_model_deciles, response_model_evaluation): needs "
        "income"
    )
    assert "Aha moments</b>" in items[1]
    assert items[1].endswith(f"{SEGMENTS_REASON}.")


def test_sections_of_marts_not_built_are_left_out(report):
    anchors = re.findall(r'<section id="([^"]+)">', report)
    assert anchors == [
        "chosen",
        "cluster-profiles",
        "chosen-importance",
        "rules",
        "data-quality",
        "clusterings",
        "choosing-k",
        "importance",
        "exploration",
    ]
    groups = re.findall(r'<h2 class="group-title">([^<]+)</h2>', report)
    assert groups == ["The chosen clustering", "The evidence", "The data science"]
    # a part of a section that is drawn says in one line why its mart is missing
    assert (
        "The table product_consumer_rules was not built from this input: it needs "
        "products; the input contract does not map products."
    ) in section_html(report, "rules")
    assert "run `dbt build`" not in report
    assert "another version of the project" not in report


def test_the_first_part_presents_the_chosen_clustering(report):
    chosen = section_html(report, "chosen")
    assert "so the report starts from the chosen clustering: K-Means, k = 3." in chosen
    assert f"customer_segments was not built: it {SEGMENTS_REASON}" in chosen
    assert "3 clusterings selected a k" in chosen
    assert "K-Means selected k = 3 by elbow of inertia at k=3" in chosen
    assert "median adjusted Rand index of 0.97 (lowest 0.87" in chosen
    assert 'id="chart-cluster-sizes"' in chosen
    assert '<table id="table-cluster-profiles">' in chosen
    assert "<th>Mean spending score</th>" in chosen  # the contract's feature
    profiles = section_html(report, "cluster-profiles")
    assert 'id="chart-cluster-means"' in profiles
    # one note for the three lists the contract leaves empty, no invented shares
    assert profiles.count('<p class="note">') == 1
    assert "The input contract maps no products, channels or campaigns" in profiles
    importance = section_html(report, "chosen-importance")
    assert 'id="chart-chosen-importance"' in importance
    assert "Feature importance: K-Means, k = 3" in importance


def test_exploration_draws_the_contracts_numeric_features(report):
    exploration = section_html(report, "exploration")
    assert "; spending score median" in exploration
    assert '<p class="note">' not in exploration


def test_chosen_rule_prefers_kmeans_then_the_best_silhouette():
    selected = pd.DataFrame(
        {
            "algorithm": ["agglomerative", "gmm", "kmeans"],
            "silhouette": [0.6, 0.7, 0.1],
        }
    )
    assert queries.choose(selected)["algorithm"] == "kmeans"
    others = selected[selected["algorithm"] != "kmeans"]
    assert queries.choose(others)["algorithm"] == "gmm"
    tied = pd.DataFrame(
        {"algorithm": ["hdbscan", "gmm", "agglomerative"], "silhouette": [None, 0.5, 0.5]}
    )
    assert queries.choose(tied)["algorithm"] == "agglomerative"
    with pytest.raises(MissingData, match="no clustering as selected"):
        queries.choose(selected.iloc[:0])


def test_without_kmeans_the_best_silhouette_is_chosen(tmp_path):
    evaluation = [
        row if row[0] != "kmeans" else (*row[:3], False, None, None) for row in EVALUATION
    ]
    path = contract_warehouse(tmp_path / "w.duckdb", evaluation=evaluation)
    chosen = over(path, queries.chosen_clustering)
    assert (chosen["algorithm"], chosen["k"], chosen["selected"]) == (
        "agglomerative",
        3,
        2,
    )
    profiles, _ = over(path, queries.chosen_profiles)
    assert list(profiles["cluster"]) == [0, 1, 2]
    html = write_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "the chosen clustering: Agglomerative (Ward), k = 3." in html


def test_need_says_why_a_mart_was_not_built(tmp_path):
    path = contract_warehouse(tmp_path / "w.duckdb")
    with connect(path) as con:
        wh = Warehouse.over(con, max_points=10, seed=1)
        assert wh.skipped == SKIPPED
        assert wh.contract_list("features") == ["gender", "spending_score"]
        assert wh.contract_list("products") == []
        with pytest.raises(NotBuilt, match="aha_moments was not built from this input"):
            wh.need("aha_moments", "behaviour")
        with pytest.raises(MissingData, match="contract mall does not give the fields"):
            wh.need("customers", "spending")
        with pytest.raises(MissingData, match="run `dbt build`") as missing:
            wh.need("segment_drift")
        assert not isinstance(missing.value, NotBuilt)


def test_a_full_build_shows_no_chosen_clustering(tmp_path):
    """Nothing skipped: the chosen clustering's sections stand in for nothing, and
    the header lists nothing left out."""
    path = contract_warehouse(tmp_path / "w.duckdb", skipped={})
    html = write_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<section id="chosen">' not in html
    assert '<div class="not-built">' not in html
    assert '<p class="contract">Input contract: mall' in html


def test_a_warehouse_without_contract_has_no_contract_line(tmp_path):
    path = contract_warehouse(tmp_path / "w.duckdb", skipped={}, contract={})
    assert over(path, queries.contract_line) is None
    html = write_report(path, tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<p class="contract">' not in html


def test_left_out_lines_group_sections_by_reason():
    lines = left_out_lines(
        [
            ("A", {"m1": "needs x"}),
            ("B", {"m2": "needs y"}),
            ("C", {"m1": "needs x", "m3": "needs x"}),
        ]
    )
    assert lines == [
        {"sections": "A, C", "marts": "m1, m3", "reason": "needs x"},
        {"sections": "B", "marts": "m2", "reason": "needs y"},
    ]
