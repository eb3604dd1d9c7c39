"""The report's tables: one pure function per table, frames in, a Table out (the
rows to show, how to print each column, its one-line reading)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from customer_personality.report.charts import segment_order
from customer_personality.report.queries import MAX_TABLE_ROWS
from customer_personality.report.text import (
    ALGORITHM_LABELS,
    algorithm,
    isna,
    num,
    pct,
    pvalue,
)


@dataclass(frozen=True)
class Table:
    """A table of the page: its rows, a formatter per column (str for the others),
    the reading, an optional heading, and whether the reading comes first."""

    frame: pd.DataFrame
    formats: dict[str, Callable] = field(default_factory=dict)
    reading: str = ""
    heading: str | None = None
    reading_first: bool = False


def stability_reading(data: pd.DataFrame) -> str:
    """The one-line reading of the clusterings' stability table: how it was measured,
    the most and least stable selected clustering, and why an algorithm selected
    nothing. data: algorithm (label), k (NaN when nothing was selected),
    stability_ari_median, stability_reading, selection_reason, stability_resamples,
    stability_rows."""
    measured = data[data["k"].notna() & data["stability_ari_median"].notna()]
    parts = []
    if not measured.empty:
        first = measured.iloc[0]
        ranked = measured.sort_values("stability_ari_median", ascending=False)
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        parts.append(
            f"Each selected clustering refitted on {first['stability_resamples']:.0f} "
            f"bootstrap resamples of {first['stability_rows']:,.0f} customers: the "
            f"most stable is {best['algorithm']} (k = {best['k']:.0f}, median adjusted "
            f"Rand index {best['stability_ari_median']:.2f}, {best['stability_reading']})"
        )
        if len(ranked) > 1:
            parts.append(
                f"the least stable {worst['algorithm']} (k = {worst['k']:.0f}, "
                f"{worst['stability_ari_median']:.2f}, {worst['stability_reading']})"
            )
    for row in data[data["k"].isna()].itertuples(index=False):
        parts.append(f"{row.algorithm} selected nothing: {row.selection_reason}")
    return "; ".join(parts) + "." if parts else "No stability was measured."


def cluster_stability(data: pd.DataFrame) -> Table:
    """queries.clustering_stability: one row per algorithm, in ALGORITHM_LABELS order."""
    order = {name: position for position, name in enumerate(ALGORITHM_LABELS)}
    data = data.sort_values("algorithm", key=lambda names: names.map(order))
    data = data.assign(algorithm=data["algorithm"].map(algorithm))
    figure = "{:.2f}".format
    formats = {
        "k": "{:.0f}".format,
        "stability_ari_median": figure,
        "stability_ari_min": figure,
        "stability_weakest_cluster_jaccard": figure,
    }
    return Table(data[list(data.columns[:6])], formats, stability_reading(data))


def segment_stability(data: pd.DataFrame) -> Table:
    """segment_stability: per segment its mean and lowest Jaccard; the reading gives
    the model's agreement (ARI) and the least stable segment."""
    top = data.iloc[0]
    weakest = data.sort_values("jaccard_mean").iloc[0]
    reading = (
        f"Refitted ({top['method']}) on {top['n_resamples']} bootstrap resamples of "
        f"{top['n_customers']:,} customers, the segments agree with this build's at "
        f"a median adjusted Rand index of {top['ari_median']:.2f} (lowest "
        f"{top['ari_min']:.2f}): {top['model_reading']}. The least stable segment is "
        f"{weakest['segment']}: {weakest['jaccard_mean']:.0%} of its customers stay "
        f"together on average (Jaccard), {weakest['segment_reading']}."
    )
    shown = data[["segment", "share", "jaccard_mean", "jaccard_min", "segment_reading"]]
    formats = {
        "share": pct,
        "jaccard_mean": "{:.3f}".format,
        "jaccard_min": "{:.3f}".format,
    }
    return Table(shown, formats, reading)


def focus_rules(data: pd.DataFrame, product: str, consumer: str) -> Table:
    """The strongest rules leading to <consumer> of <product> (vars focus_product,
    focus_consumer_segment)."""
    top = data.iloc[0]
    reading = (
        f"Best rule: {top['rule']} ({top['confidence']:.0%} confidence, "
        f"lift {top['lift']:.2f})."
    )
    heading = f"Top {len(data)} rules for the {consumer.lower()}s of {product}"
    formats = {"support": pct, "confidence": pct, "lift": "{:.2f}".format}
    return Table(data, formats, reading, heading=heading)


def readable_tests(data: pd.DataFrame) -> pd.DataFrame:
    """Statistical tests as a reader scans them: pairs and effect sizes in one cell
    each, columns that are empty everywhere left out."""
    data = data.copy()
    for first, second, separator in (
        ("feature", "feature_2", " & "),
        ("group_a", "group_b", " vs "),
    ):
        if first in data and second in data:
            both = data[first].notna() & data[second].notna()
            pair = data[first].astype(str) + separator + data[second].astype(str)
            data[first] = data[first].where(~both, pair)
            data = data.drop(columns=second)
    data = data.rename(columns={"group_a": "groups"})
    if "test" in data:
        data["test"] = data["test"].astype(str).str.replace("_", " ")
    if "effect_size" in data:
        size = data["effect_size"].map(
            lambda value: "" if isna(value) else f"{value:.3f}"
        )
        if "effect_size_name" in data:
            name = data.pop("effect_size_name").fillna("").astype(str)
            size = (size + " " + name.str.replace("_", " ")).str.strip()
        data["effect_size"] = size
    return data.dropna(axis="columns", how="all")


def statistics(data: pd.DataFrame, total: int, significant: int, alpha: float) -> Table:
    """The tests of segment_statistics; significant: its is_significant count, at the
    build's statistics_alpha."""
    reading = f"{total:,} tests; {significant:,} significant at alpha = {alpha:g}"
    if total > MAX_TABLE_ROWS:
        reading += f"; the first {MAX_TABLE_ROWS} shown"
    formats = {"statistic": num, "p_value": pvalue, "p_value_adjusted": pvalue}
    return Table(readable_tests(data), formats, reading + ".", reading_first=True)


def aha_moments(data: pd.DataFrame) -> Table:
    """aha_moments: the behaviours tested, and the strongest aha moment."""
    shares = (
        "customer_share_above",
        "high_value_share_above",
        "high_value_share_at_or_below",
    )
    formats = {
        **dict.fromkeys(shares, pct),
        "threshold": num,
        "customers_above": "{:,.0f}".format,
        "lift": "{:.2f}".format,
        "is_aha_moment": lambda value: "yes" if value else "no",
    }
    reading = f"{len(data)} behaviours tested"
    if "is_aha_moment" in data:
        found = data[data["is_aha_moment"].astype(bool)]
        reading += f", {len(found)} aha moments"
        if not found.empty and "high_value_share_above" in data:
            top = found.iloc[0]
            reading += (
                f"; above {num(top['threshold'])} {top['behaviour']}, "
                f"{top['high_value_share_above']:.0%} of customers are high value "
                f"against {top['high_value_share_at_or_below']:.0%} at or below"
            )
    return Table(data, formats, reading + ".")


def segment_strategies(data: pd.DataFrame) -> Table:
    """queries.segment_strategies: one row per segment, its size, value and strategy;
    the reading names the segment with the largest share of spending."""
    top = data.sort_values("spending_share", ascending=False).iloc[0]
    formats = {
        "people": "{:,.0f}".format,
        "people_share": pct,
        "mean_spending": num,
        "spending_share": pct,
        "churn_alerts": "{:,.0f}".format,
    }
    reading = (
        f"{top['segment']} are {top['people_share']:.0%} of the people and bring "
        f"{top['spending_share']:.0%} of the spending; each segment's strategy is the "
        "seed segment_strategies, its channels the seed strategy_channels."
    )
    return Table(data, formats, reading, reading_first=True)


def top_targets(data: pd.DataFrame) -> Table:
    """queries.top_targets: the people most likely to respond, with what to do."""
    formats = {"response_propensity": "{:.1%}".format}
    reading = (
        f"The {len(data)} people most likely to respond to the next campaign "
        "(customer_actions.response_rank; the whole list is in exports/customer_actions)."
    )
    return Table(data, formats, reading, heading="Top targets by response propensity")


NEW_LABEL, LOST_LABEL = "(new customers)", "(lost)"


def segment_migrations(
    data: pd.DataFrame, latest: str | None, definitions: pd.DataFrame
) -> Table:
    """queries.segment_migrations as a transition table: a row per segment of the
    earlier snapshot (and one for new customers), a column per segment of the later
    one (and one for the lost), customers in the cells. With one snapshot, says so."""
    if data.empty:
        frame = pd.DataFrame({"snapshots": [1], "latest_snapshot": [latest]})
        reading = (
            f"The history holds one snapshot ({latest}): build next month's export "
            "(make run RAW=... SEGMENT_MODEL=published) to see who moved."
        )
        return Table(frame, {}, reading)
    data = data.assign(
        from_segment=data["from_segment"].fillna(NEW_LABEL),
        to_segment=data["to_segment"].fillna(LOST_LABEL),
    )
    names = set(data["from_segment"]) | set(data["to_segment"])
    rows = segment_order(sorted(names - {NEW_LABEL, LOST_LABEL}), definitions)
    matrix = data.pivot_table(
        index="from_segment",
        columns="to_segment",
        values="customers",
        aggfunc="sum",
        fill_value=0,
    )
    matrix = matrix.reindex(
        index=[*rows, NEW_LABEL] if NEW_LABEL in matrix.index else rows,
        columns=[*rows, LOST_LABEL] if LOST_LABEL in matrix.columns else rows,
        fill_value=0,
    )
    frame = matrix.reset_index().rename(columns={"from_segment": "from / to"})
    frame.columns = [str(column) for column in frame.columns]
    moved = data[data["movement"] == "moved"]
    totals = data.groupby("movement")["customers"].sum()

    def total(movement: str) -> int:
        return int(totals.get(movement, 0))

    first = data.iloc[0]
    reading = (
        f"From {first['from_snapshot_date']} to {first['to_snapshot_date']}: "
        f"{total('moved'):,} customers changed segment, {total('stayed'):,} stayed, "
        f"{total('new'):,} are new and {total('lost'):,} were lost"
    )
    if not moved.empty:
        top = moved.sort_values(
            ["customers", "from_segment"], ascending=[False, True]
        ).iloc[0]
        reading += (
            f"; the largest move is {top['from_segment']} to {top['to_segment']} "
            f"({int(top['customers']):,})"
        )
    formats = {column: "{:,.0f}".format for column in frame.columns[1:]}
    return Table(frame, formats, reading + ".")


def cluster_profiles(profiles: pd.DataFrame, chosen: pd.Series) -> Table:
    """The chosen clustering's clusters (cluster_profiles): size, share and the mean
    of every feature the input has; its minima, medians and maxima stay in the mart."""
    means = [name for name in profiles.columns if name.startswith("mean_")]
    data = profiles[["cluster", "customers", "customer_share", *means]].copy()
    data = data.sort_values("cluster", key=lambda values: values.replace(-1, 2**31))
    data["cluster"] = data["cluster"].map(
        lambda value: "noise" if value == -1 else f"cluster {value}"
    )
    formats = {
        "customers": "{:,.0f}".format,
        "customer_share": pct,
        **dict.fromkeys(means, num),
    }
    noise = " and its noise" if (profiles["cluster"] == -1).any() else ""
    clusters = int((profiles["cluster"] != -1).sum())
    reading = (
        f"The {clusters} clusters{noise} of {algorithm(chosen['algorithm'])} (k = "
        f"{chosen['k']}), their sizes and the mean of each feature (table "
        "cluster_profiles, which also holds their medians, minima and maxima)."
    )
    return Table(data.reset_index(drop=True), formats, reading)
