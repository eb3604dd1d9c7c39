"""The one list of the report's sections: each chart and table id with the query that
reads its data and the pure function that draws it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from customer_personality.report import (
    action_charts,
    charts,
    profile_charts,
    queries,
    tables,
)
from customer_personality.report.text import LABELS, slug
from customer_personality.report.warehouse import Warehouse

HEIGHT = 520


@dataclass(frozen=True)
class Part:
    """One chart, table or list of readings of a section.

    query reads the warehouse and returns the arguments of draw, which returns
    (figure, reading) for a chart, a tables.Table for a table and a list of
    sentences for readings. An id holding `{algorithm}` or `{clustering}` stands for
    one chart per algorithm of `customer_clusters` or clustering of
    `feature_importance`: its query returns {name: arguments}. In the page a chart's
    div id is `chart-<id>`, a table's id `table-<id>`.
    """

    id: str
    kind: str  # chart | table | readings
    query: Callable[[Warehouse], object]
    draw: Callable[..., object]
    height: int = HEIGHT

    @property
    def each(self) -> bool:
        return "{" in self.id

    def id_of(self, name: str) -> str:
        """The id of this part's chart of one algorithm or clustering."""
        return self.id.format(algorithm=slug(name), clustering=slug(name))


# The report's three parts, in page order: what to do first, for the marketer; then
# the evidence the segments and actions rest on; then the data science behind them.
GROUPS = ("What to do", "The evidence", "The data science")


@dataclass(frozen=True)
class Section:
    """A part of the report: its anchor, its heading, its parts in page order, and the
    group (one of GROUPS) it belongs to."""

    anchor: str
    title: str
    parts: tuple[Part, ...] = ()
    group: str = GROUPS[1]

    @property
    def charts(self) -> tuple[str, ...]:
        return tuple(part.id for part in self.parts if part.kind == "chart")

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(part.id for part in self.parts if part.kind == "table")


def _args(*reads: Callable[[Warehouse], object]) -> Callable[[Warehouse], tuple]:
    """A query giving the results of reads, in order, as the arguments of a draw."""

    def read(wh: Warehouse) -> tuple:
        return tuple(one(wh) for one in reads)

    return read


_profiles = _args(queries.segment_profiles, queries.segment_definitions)


def _profile(chart_id: str, draw: Callable, height: int) -> Part:
    return Part(chart_id, "chart", _profiles, draw, height)


_spending_income = _args(
    queries.segment_sample,
    queries.income_spending_correlation,
    queries.segment_profiles,
    queries.segment_definitions,
)


def _importance(wh: Warehouse) -> dict[str, tuple]:
    found = queries.feature_importance(wh)
    return {name: (group, name) for name, group in found.items()}


def _correlations(wh: Warehouse) -> tuple:
    return (queries.correlations(wh, list(LABELS)),)


_sample_profiles = _args(
    queries.segment_sample, queries.segment_profiles, queries.segment_definitions
)

_actions = _args(
    queries.actions_by_segment, queries.segment_definitions, queries.duplicates_left_out
)

REPORT_SECTIONS: tuple[Section, ...] = (
    Section(
        "strategies",
        "Segments and their strategies",
        (
            Part(
                "segment-strategies",
                "table",
                _args(queries.segment_strategies),
                tables.segment_strategies,
            ),
        ),
        group=GROUPS[0],
    ),
    Section(
        "actions",
        "What to do with each customer",
        (Part("actions", "chart", _actions, action_charts.actions_by_segment, 460),),
        group=GROUPS[0],
    ),
    Section(
        "migrations",
        "Who moved since the last snapshot",
        (
            Part(
                "segment-migrations",
                "table",
                queries.segment_migrations,
                tables.segment_migrations,
            ),
        ),
        group=GROUPS[0],
    ),
    Section(
        "response",
        "Who will respond to the next campaign",
        (
            Part("top-targets", "table", _args(queries.top_targets), tables.top_targets),
            Part("gains", "chart", queries.response_gains, action_charts.gains, 480),
        ),
        group=GROUPS[0],
    ),
    Section(
        "segments",
        "Customer segments (Gaussian mixture)",
        (Part("segments-3d", "chart", _sample_profiles, charts.segments_3d, 620),),
        group=GROUPS[1],
    ),
    Section(
        "stability",
        "How well the segments hold",
        (
            Part(
                "segment-stability",
                "table",
                _args(queries.segment_stability),
                tables.segment_stability,
            ),
        ),
        group=GROUPS[1],
    ),
    Section(
        "profiles",
        "Segment profiles",
        (
            _profile("profile-radar", profile_charts.profile_radar, 560),
            _profile("profile-income", profile_charts.profile_income, 440),
            _profile("profile-spending", profile_charts.profile_spending, 440),
            _profile("product-mix", profile_charts.product_mix, 460),
            _profile("channel-mix", profile_charts.channel_mix, 460),
            _profile("campaign-acceptance", profile_charts.campaign_acceptance, 460),
        ),
        group=GROUPS[1],
    ),
    Section(
        "features",
        "Key features per segment",
        (
            Part(
                "feature-strips",
                "chart",
                _sample_profiles,
                profile_charts.feature_strips,
                760,
            ),
        ),
        group=GROUPS[1],
    ),
    Section(
        "spending-income",
        "Spending against income",
        (
            Part(
                "spending-income",
                "chart",
                _spending_income,
                profile_charts.spending_income,
            ),
        ),
        group=GROUPS[1],
    ),
    Section(
        "statistics",
        "Statistical tests",
        (Part("statistics", "table", queries.statistics, tables.statistics),),
        group=GROUPS[1],
    ),
    Section(
        "rules",
        "Association rules",
        (
            Part(
                "rules-scatter", "chart", queries.rules_sample, charts.rules_scatter, 560
            ),
            Part("wine-rules", "table", queries.focus_rules, tables.focus_rules),
        ),
        group=GROUPS[1],
    ),
    Section(
        "aha",
        "Aha moments",
        (Part("aha-moments", "table", _args(queries.aha_moments), tables.aha_moments),),
        group=GROUPS[1],
    ),
    Section(
        "data-quality",
        "Rejected rows",
        (
            Part(
                "rejections",
                "chart",
                _args(queries.rejection_reasons),
                charts.rejections,
                360,
            ),
            Part(
                "kept-rejected", "chart", queries.kept_rejected, charts.kept_rejected, 360
            ),
        ),
        group=GROUPS[1],
    ),
    Section(
        "clusterings",
        "Alternative clusterings on principal components",
        (
            Part(
                "clustering-3d-{algorithm}",
                "chart",
                queries.clustering_points,
                charts.clustering_3d,
                600,
            ),
            Part(
                "unselected",
                "readings",
                _args(queries.unselected_clusterings),
                charts.unselected_readings,
            ),
        ),
        group=GROUPS[2],
    ),
    Section(
        "choosing-k",
        "Choosing the number of clusters",
        (
            Part("elbow", "chart", _args(queries.kmeans_inertia), charts.elbow),
            Part("silhouette", "chart", _args(queries.silhouettes), charts.silhouette),
            Part("bic", "chart", _args(queries.gmm_bic), charts.bic),
            Part(
                "cluster-stability",
                "table",
                _args(queries.clustering_stability),
                tables.cluster_stability,
            ),
        ),
        group=GROUPS[2],
    ),
    Section(
        "importance",
        "What drives each clustering",
        (Part("importance-{clustering}", "chart", _importance, charts.importance, 420),),
        group=GROUPS[2],
    ),
    Section(
        "exploration",
        "Exploratory view",
        (
            Part(
                "histograms",
                "chart",
                _args(queries.feature_histograms),
                profile_charts.histograms,
                680,
            ),
            Part(
                "correlations", "chart", _correlations, profile_charts.correlations, 620
            ),
        ),
        group=GROUPS[2],
    ),
)


def chart_ids(algorithms: Sequence[str], clusterings: Sequence[str]) -> list[str]:
    """The div ids of every chart of a report on a full build, given the algorithms
    of `customer_clusters` and the clusterings of `feature_importance`."""
    ids = []
    for section in REPORT_SECTIONS:
        for chart in section.charts:
            if "{algorithm}" in chart:
                ids += [chart.format(algorithm=slug(name)) for name in algorithms]
            elif "{clustering}" in chart:
                ids += [chart.format(clustering=slug(name)) for name in clusterings]
            else:
                ids.append(chart)
    return [f"chart-{chart}" for chart in ids]
