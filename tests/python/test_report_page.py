"""The HTML report on the sample build (customer_personality.report.page, write_report):
complete, self-contained, every section, chart and table there, and the figures it
shows the marts'. (Rendered in a browser: test_report_browser.)"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import duckdb
import pytest
from plotly.offline import get_plotlyjs

from conftest import query
from customer_personality.cli import main
from customer_personality.report import (
    ALGORITHM_LABELS,
    REPORT_SECTIONS,
    write_report,
)
from helpers.report import expected_charts, section_html

pytestmark = pytest.mark.build

MAX_BYTES = 8_000_000  # plotly.js alone is about 4.8 MB
MAX_FIGURE_BYTES = 3_000_000  # everything but plotly.js


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory) -> Path:
    """The report of the sample build."""
    return write_report(sample_db, tmp_path_factory.mktemp("report") / "report.html")


def test_report_is_self_contained_and_small(report):
    path = report
    html = path.read_text(encoding="utf-8")
    bundle = get_plotlyjs()
    assert html.count(bundle) == 1, "plotly.js must be embedded exactly once"
    rest = html.replace(bundle, "")
    assert "<script src" not in rest.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", rest, re.I)
    # plotly.js itself names cdn.plot.ly (topojson for maps); nothing else may
    assert "cdn.plot.ly" not in rest
    assert path.stat().st_size < MAX_BYTES
    assert len(rest.encode()) < MAX_FIGURE_BYTES


def test_report_has_every_section_chart_and_table(report, sample_db):
    html = report.read_text(encoding="utf-8")
    charts = re.findall(r'<div id="(chart-[^"]+)" class="plotly-graph-div"', html)
    assert charts == expected_charts(sample_db)
    for section in REPORT_SECTIONS:
        shown = section.instead_of is None  # nothing to stand in for on a full build
        assert (f'<section id="{section.anchor}">' in html) == shown
        assert (f'<a href="#{section.anchor}">' in html) == shown
    for table in ("wine-rules", "aha-moments", "statistics"):
        assert f'<table id="table-{table}">' in html
    assert '<p class="note">' not in html, "a full build leaves no part unread"
    # every chart has a title and a reading line under it
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', html, re.S)
    assert len(figures) == len(charts)
    for figure in figures:
        assert '"title":{"text":' in figure
        assert re.search(r'<p class="reading">[^<]{20,}</p>$', figure)
    assert '<div id="js-errors" data-count="0" hidden>' in html


def test_report_is_deterministic_and_samples(sample_db, tmp_path):
    first = write_report(sample_db, tmp_path / "a.html", max_points=300)
    second = write_report(sample_db, tmp_path / "b.html", max_points=300)
    assert first.read_bytes() == second.read_bytes()
    customers = query(sample_db, "select count(*) from customers")[0][0]
    assert f"(300 of {customers:,} customers drawn)" in first.read_text(encoding="utf-8")


def test_missing_marts_give_notes_not_errors(sample_db, tmp_path):
    """A warehouse holding only customers, segment_profiles and the seed
    segment_definitions: what they feed is drawn, every other part is a note, one
    per missing table and section."""
    partial = tmp_path / "partial.duckdb"
    with duckdb.connect(str(partial)) as con:
        con.execute(f"attach '{sample_db}' as built (read_only)")
        for table in (
            "main.customers",
            "main.segment_profiles",
            "seeds.segment_definitions",
        ):
            con.execute(f"create schema if not exists {table.split('.')[0]}")
            con.execute(f"create table {table} as select * from built.{table}")
    html = write_report(partial, tmp_path / "partial.html").read_text(encoding="utf-8")
    for chart in ("segments-3d", "histograms", "profile-radar", "feature-strips"):
        assert f'id="chart-{chart}"' in html
    for table in ("customer_projection", "cluster_evaluation", "aha_moments"):
        assert html.count(f"The table {table} is not in this warehouse") == 1
    assert "The statistical tests (table segment_statistics) are not" in html
    # the focus rules need product_consumer_rules before the build's vars
    assert "The table product_consumer_rules is not in this warehouse" in html


def test_statistics_section_counts_the_marts_significant_tests(report, sample_db):
    section = section_html(report.read_text(encoding="utf-8"), "statistics")
    total, significant, below = query(
        sample_db,
        "select count(*), count(*) filter (where is_significant), "
        "count(*) filter (where p_value < 0.05) from segment_statistics",
    )[0]
    alpha = query(
        sample_db, "select value from build_vars where name = 'statistics_alpha'"
    )
    assert alpha == [("0.05",)]
    assert significant != below, "the sample no longer tells the two counts apart"
    assert f'<p class="reading">{total:,} tests; {significant:,} significant at ' in (
        section
    )
    assert "significant at alpha = 0.05.</p>" in section
    table = section[section.index('<table id="table-statistics">') :]
    assert table.count("<tr>") == 1 + min(total, 500)  # the header, then the tests


def test_focus_rules_are_the_builds_focus_product(report, sample_db):
    section = section_html(report.read_text(encoding="utf-8"), "rules")
    focus = dict(
        query(
            sample_db,
            "select name, value from build_vars "
            "where name in ('focus_product', 'focus_consumer_segment')",
        )
    )
    assert focus == {
        "focus_product": '"wines"',
        "focus_consumer_segment": '"Biggest consumer"',
    }
    rules = query(
        sample_db,
        "select rule, confidence from product_consumer_rules "
        "where focus_item = 'wines_segment=Biggest consumer' order by rule_rank limit 10",
    )
    assert len(rules) == 10
    assert "<h3>Top 10 rules for the biggest consumers of wines</h3>" in section
    table = section[section.index('<table id="table-wine-rules">') :]
    shown = re.findall(r'<tr><td class="num">(\d+)</td><td[^>]*>([^<]*)</td>', table)
    assert [rule for _, rule in shown] == [escape(rule) for rule, _ in rules]
    assert [int(rank) for rank, _ in shown] == list(range(1, 11))
    best, confidence = rules[0]
    assert f"Best rule: {escape(best)} ({confidence:.0%} confidence" in section


def test_cli_report_prints_path_and_progress(sample_db, tmp_path, capsys):
    out = tmp_path / "cli" / "report.html"
    assert main(["report", "--db", str(sample_db), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert out.exists()
    lines = [line for line in captured.err.splitlines() if line.startswith("report: ")]
    assert len(lines) == len(REPORT_SECTIONS)
    for section, line in zip(REPORT_SECTIONS, lines, strict=True):
        if section.instead_of is None:
            assert re.search(r": \d+\.\d+ s$", line), line
        else:  # the chosen clustering stands in for the segments the build made
            assert line.endswith(f": left out (the build made {section.instead_of})")
    assert main(["report", "--db", str(tmp_path / "none.duckdb")]) == 2


def hdbscan_reason(db_path) -> str:
    """Why HDBSCAN selected nothing on this build (the sample has no dense groups)."""
    rows = query(
        db_path,
        "select selection_reason from cluster_evaluation where algorithm = 'hdbscan' "
        "and selection_reason is not null and not is_selected",
    )
    assert len(rows) == 1, "HDBSCAN selected a clustering on the sample build"
    return rows[0][0]


def test_report_says_why_hdbscan_shows_no_clustering(report, sample_db):
    html = report.read_text(encoding="utf-8")
    reason = hdbscan_reason(sample_db)
    assert reason.startswith("no density structure: ")
    clusterings = html.split('<section id="clusterings">')[1].split("</section>")[0]
    assert f"HDBSCAN: no clustering to show, {escape(reason)}.</p>" in clusterings
    assert 'id="chart-clustering-3d-hdbscan"' not in html
    choosing = html.split('<section id="choosing-k">')[1].split("</section>")[0]
    assert f"HDBSCAN: nothing selected, {escape(reason)}" in choosing


def test_clustering_stability_table_shows_the_marts_figures(report, sample_db):
    html = report.read_text(encoding="utf-8")
    section = html.split('<section id="choosing-k">')[1].split("</section>")[0]
    start = section.index('<table id="table-cluster-stability">')
    table = section[start : section.index("</table>", start)]
    selected = query(
        sample_db,
        "select algorithm, k, stability_ari_median, stability_ari_min, "
        "stability_reading from cluster_evaluation where is_selected",
    )
    assert len(selected) == 3
    for algorithm, k, median, lowest, words in selected:
        label = ALGORITHM_LABELS[algorithm]
        row = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", table)
        assert row, algorithm
        assert row.group(1).startswith(
            f'<td class="num">{k}</td><td class="num">{median:.2f}</td>'
            f'<td class="num">{lowest:.2f}</td>'
        )
        assert row.group(1).endswith(f"<td>{escape(words)}</td>")
    assert "<tr><td>HDBSCAN</td><td></td>" in table
    assert "<td>no clustering selected</td></tr>" in table
    reason = hdbscan_reason(sample_db)
    assert f"HDBSCAN selected nothing: {escape(reason)}." in section


def test_stability_section_shows_the_marts_figures(report, sample_db):
    html = report.read_text(encoding="utf-8")
    start = html.index('<table id="table-segment-stability">')
    section = html[start : html.index("</p>", start)]
    rows = query(
        sample_db,
        "select segment, jaccard_mean, ari_median, ari_min, n_customers "
        "from segment_stability order by component",
    )
    for segment, jaccard, *_ in rows:
        assert f"<td>{segment}</td>" in section
        assert f'<td class="num">{jaccard:.3f}</td>' in section
    _, _, median, lowest, customers = rows[0]
    assert f"median adjusted Rand index of {median:.2f} (lowest {lowest:.2f})" in section
    assert f"resamples of {customers:,} customers" in section


def test_report_starts_with_what_to_do_and_names_its_source(report, sample_db):
    html = report.read_text(encoding="utf-8")
    anchors = re.findall(r'<section id="([^"]+)">', html)
    assert anchors[:5] == ["strategies", "actions", "money", "migrations", "response"]
    groups = re.findall(r'<h2 class="group-title">([^<]+)</h2>', html)
    assert groups == ["What to do", "The evidence", "The data science"]
    # The header: the raw file, its rows and the build time, from build_info.
    facts = dict(
        (name, value)
        for value, name in re.findall(
            r'<div class="fact"><b>([^<]*)</b><span>([^<]*)</span></div>', html
        )
    )
    info = dict(query(sample_db, "select section || '.' || name, value from build_info"))
    assert facts["Raw file"] == info["source.path"]
    assert facts["Raw rows"] == f"{int(info['source.raw_rows']):,}"
    assert facts["Built at"] == info["build.started_at"].replace("T", " ")
    # The input contract it was read with; a full build leaves nothing out.
    contract = f"Input contract: {info['input.name']} ({info['input.file']}): maps "
    assert f'<p class="contract">{escape(contract)}' in html
    assert '<div class="not-built">' not in html
    # The marketer's figures are the marts': people per action, churn alerts, the
    # top targets in response_rank order, and the held-out AUC of both rankings.
    actions = section_html(html, "actions")
    for action, people in query(
        sample_db, "select action, count(*) from customer_actions group by action"
    ):
        assert f"{people:,} {action.lower()}" in actions
    alerts = query(
        sample_db, "select count(*) from customer_actions where is_churn_alert"
    )
    assert f"{alerts[0][0]:,} churn alerts" in actions
    response = section_html(html, "response")
    top = [
        row[0]
        for row in query(
            sample_db,
            "select customer_id from customer_actions order by response_rank limit 20",
        )
    ]
    cells = re.findall(
        r'<tr><td class="num">\d+</td><td class="num">(\d+)</td>', response
    )
    assert [int(cell) for cell in cells] == top
    for ranking, auc in query(
        sample_db, "select ranking, auc from response_model_evaluation"
    ):
        assert f"{auc:.2f}" in response, ranking
