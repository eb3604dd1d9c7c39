"""The one list of the report's sections: each chart and table id with the query that
reads its data and the pure function that draws it, and the marts each section rests
on (a section whose mart the input did not let the build make is left out, the
page's header saying why). The first part, the chosen clustering, stands in for the
named segments when the build has none."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from customer_personality.report import (
    action_charts,
    charts,
    cluster_charts,
    money,
    profile_charts,
    queries,
    tables,
)
from customer_personality.report.parts import (
    CHOSEN,
    GROUPS,
    SCIENCE,
    TO_DO,
    Part,
    Section,
)
from customer_personality.report.parts import args as _args
from customer_personality.report.text import LABELS, slug
from customer_personality.report.warehouse import Warehouse

__all__ = ["GROUPS", "REPORT_SECTIONS", "Part", "Section", "chart_ids"]

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

_economics = _args(queries.campaign_economics, queries.segment_definitions)
_readout = _args(queries.campaign_readout, queries.segment_definitions)

# The marts the named segments' sections rest on.
_SEGMENTS = ("customer_segments", "segment_profiles")
_CHOSEN = ("cluster_evaluation", "cluster_profiles")

REPORT_SECTIONS: tuple[Section, ...] = (
    Section(
        "chosen",
        "Which clustering, and its clusters",
        (
            Part(
                "chosen-clustering",
                "readings",
                _args(queries.chosen_clustering),
                cluster_charts.chosen_readings,
            ),
            Part(
                "cluster-sizes",
                "chart",
                queries.chosen_profiles,
                cluster_charts.cluster_sizes,
                420,
            ),
            Part(
                "cluster-profiles",
                "table",
                queries.chosen_profiles,
                tables.cluster_profiles,
            ),
        ),
        group=CHOSEN,
        needs=_CHOSEN,
        instead_of="customer_segments",
    ),
    Section(
        "cluster-profiles",
        "Cluster profiles",
        (
            Part(
                "cluster-means",
                "chart",
                queries.chosen_profiles,
                cluster_charts.cluster_means,
                480,
            ),
            Part(
                "cluster-product-mix",
                "chart",
                queries.chosen_product_mix,
                cluster_charts.cluster_product_mix,
                460,
            ),
            Part(
                "cluster-channel-mix",
                "chart",
                queries.chosen_channel_mix,
                cluster_charts.cluster_channel_mix,
                460,
            ),
            Part(
                "cluster-campaign-acceptance",
                "chart",
                queries.chosen_acceptance,
                cluster_charts.cluster_acceptance,
                460,
            ),
        ),
        group=CHOSEN,
        needs=_CHOSEN,
        instead_of="customer_segments",
    ),
    Section(
        "chosen-importance",
        "What drives the chosen clustering",
        (
            Part(
                "chosen-importance",
                "chart",
                queries.chosen_importance,
                charts.importance,
                420,
            ),
        ),
        group=CHOSEN,
        needs=(*_CHOSEN, "feature_importance"),
        instead_of="customer_segments",
    ),
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
        group=TO_DO,
        needs=("customer_actions",),
    ),
    Section(
        "actions",
        "What to do with each customer",
        (Part("actions", "chart", _actions, action_charts.actions_by_segment, 460),),
        group=TO_DO,
        needs=("customer_actions",),
    ),
    Section(
        "money",
        "What the campaign earns",
        (
            Part(
                "campaign-plan",
                "readings",
                queries.campaign_plan,
                money.plan_readings,
            ),
            Part("segment-roi", "table", _economics, money.segment_roi),
            Part(
                "holdout-policies",
                "table",
                _args(queries.campaign_economics),
                money.holdout_policies,
            ),
            Part(
                "uplift",
                "readings",
                _args(queries.campaign_readout),
                money.readout_readings,
            ),
            Part("uplift-segments", "table", _readout, money.readout_segments),
        ),
        group=TO_DO,
        needs=("customer_actions",),
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
        group=TO_DO,
        needs=("segment_migrations", "customer_segment_history"),
    ),
    Section(
        "response",
        "Who will respond to the next campaign",
        (
            Part("top-targets", "table", _args(queries.top_targets), tables.top_targets),
            Part("gains", "chart", queries.response_gains, action_charts.gains, 480),
        ),
        group=TO_DO,
        needs=("customer_actions", "response_model_deciles", "response_model_evaluation"),
    ),
    Section(
        "segments",
        "Customer segments (Gaussian mixture)",
        (Part("segments-3d", "chart", _sample_profiles, charts.segments_3d, 620),),
        needs=_SEGMENTS,
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
        needs=("segment_stability",),
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
        needs=("segment_profiles",),
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
        needs=_SEGMENTS,
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
        needs=_SEGMENTS,
    ),
    Section(
        "statistics",
        "Statistical tests",
        (Part("statistics", "table", queries.statistics, tables.statistics),),
        needs=("segment_statistics",),
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
        needs=("association_rules",),
    ),
    Section(
        "aha",
        "Aha moments",
        (Part("aha-moments", "table", _args(queries.aha_moments), tables.aha_moments),),
        needs=("aha_moments",),
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
        needs=("customers", "rejected_customers"),
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
        group=SCIENCE,
        needs=("customer_clusters", "customer_projection"),
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
        group=SCIENCE,
        needs=("cluster_evaluation",),
    ),
    Section(
        "importance",
        "What drives each clustering",
        (Part("importance-{clustering}", "chart", _importance, charts.importance, 420),),
        group=SCIENCE,
        needs=("feature_importance",),
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
        group=SCIENCE,
        needs=("customers",),
    ),
)


def chart_ids(algorithms: Sequence[str], clusterings: Sequence[str]) -> list[str]:
    """The div ids of every chart of a report on a full build, given the algorithms
    of `customer_clusters` and the clusterings of `feature_importance` (a full build
    has named segments: the chosen clustering's sections, standing in for them, are
    not drawn)."""
    ids = []
    for section in REPORT_SECTIONS:
        if section.instead_of is not None:
            continue
        for chart in section.charts:
            if "{algorithm}" in chart:
                ids += [chart.format(algorithm=slug(name)) for name in algorithms]
            elif "{clustering}" in chart:
                ids += [chart.format(clustering=slug(name)) for name in clusterings]
            else:
                ids.append(chart)
    return [f"chart-{chart}" for chart in ids]
