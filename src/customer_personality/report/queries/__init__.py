"""The report's data: one function per data set, read from the marts and seeds.

Every function takes a Warehouse (one read-only connection) and returns DataFrames
(or plain values); none draws. Sizes, means and medians per segment come from
segment_profiles, significance from segment_statistics.is_significant, segment names,
order and colours from the seed segment_definitions, and the vars the report honours
from build_vars. Scatter plots read a seeded sample chosen in SQL
(`order by hash(key, seed)`), so the page stays small at a million customers.

Modules, by the sections they feed: header (seeds, the page's header, the input
contract), chosen (the chosen clustering, for a build without named segments),
actions (what to do: strategies, actions, targets, migrations, response), money
(what to do: the campaign's expected profit, return and measured uplift), segments,
clusterings (and choosing k), customers (exploration, kept and rejected rows),
findings (rules, statistics, importance, aha moments).
"""

from customer_personality.report.queries.actions import (
    actions_by_segment,
    duplicates_left_out,
    response_gains,
    segment_migrations,
    segment_strategies,
    top_targets,
)
from customer_personality.report.queries.chosen import (
    CHOSEN_RULE,
    choose,
    chosen_acceptance,
    chosen_channel_mix,
    chosen_clustering,
    chosen_importance,
    chosen_product_mix,
    chosen_profiles,
)
from customer_personality.report.queries.clusterings import (
    STABILITY_COLUMNS,
    clustering_points,
    clustering_stability,
    evaluation,
    gmm_bic,
    kmeans_inertia,
    selected_clusterings,
    silhouettes,
    unselected_clusterings,
)
from customer_personality.report.queries.customers import (
    correlations,
    feature_histograms,
    income_spending_correlation,
    kept_rejected,
    key_features,
    rejection_reasons,
)
from customer_personality.report.queries.findings import (
    MAX_TABLE_ROWS,
    aha_moments,
    feature_importance,
    focus_rules,
    rules_sample,
    statistics,
)
from customer_personality.report.queries.header import (
    REJECTED_ROWS,
    build_facts,
    contract_line,
    header_facts,
    segment_definitions,
)
from customer_personality.report.queries.money import (
    NO_ECONOMICS,
    campaign_economics,
    campaign_plan,
    campaign_readout,
)
from customer_personality.report.queries.segments import (
    PROFILE_PREFIXES,
    segment_profiles,
    segment_sample,
    segment_stability,
)

__all__ = [
    "CHOSEN_RULE",
    "MAX_TABLE_ROWS",
    "NO_ECONOMICS",
    "PROFILE_PREFIXES",
    "REJECTED_ROWS",
    "STABILITY_COLUMNS",
    "actions_by_segment",
    "aha_moments",
    "build_facts",
    "campaign_economics",
    "campaign_plan",
    "campaign_readout",
    "choose",
    "chosen_acceptance",
    "chosen_channel_mix",
    "chosen_clustering",
    "chosen_importance",
    "chosen_product_mix",
    "chosen_profiles",
    "clustering_points",
    "clustering_stability",
    "contract_line",
    "correlations",
    "duplicates_left_out",
    "evaluation",
    "feature_histograms",
    "feature_importance",
    "focus_rules",
    "gmm_bic",
    "header_facts",
    "income_spending_correlation",
    "kept_rejected",
    "key_features",
    "kmeans_inertia",
    "response_gains",
    "rejection_reasons",
    "rules_sample",
    "segment_definitions",
    "segment_migrations",
    "segment_profiles",
    "segment_sample",
    "segment_stability",
    "segment_strategies",
    "selected_clusterings",
    "silhouettes",
    "statistics",
    "top_targets",
    "unselected_clusterings",
]
