"""The HTML report: one self-contained page of charts read from the warehouse marts.

Every chart reads only the columns it needs from the DuckDB file (opened read-only);
scatter plots draw a seeded sample chosen in SQL (`order by hash(customer_id, seed)`),
so the page stays a few MB and takes seconds at a million customers. plotly.js is
embedded once, so the file opens without a network. A mart that is missing (or a
build that failed half-way) gives a note in the page instead of an error.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from customer_personality import cluster_stability
from customer_personality.statistics import RESULT_COLUMNS


@dataclass(frozen=True)
class Section:
    """A part of the report: its anchor, its heading, the ids of its charts and tables.

    A chart id holding `{algorithm}` stands for one chart per algorithm of
    `customer_clusters`, `{clustering}` for one per clustering of
    `feature_importance`. In the page a chart's div id is `chart-<id>` and a
    table's id is `table-<id>`.
    """

    anchor: str
    title: str
    charts: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()


REPORT_SECTIONS: tuple[Section, ...] = (
    Section("segments", "Customer segments (Gaussian mixture)", ("segments-3d",)),
    Section("stability", "How well the segments hold", (), ("segment-stability",)),
    Section(
        "clusterings",
        "Alternative clusterings on principal components",
        ("clustering-3d-{algorithm}",),
    ),
    Section(
        "choosing-k",
        "Choosing the number of clusters",
        ("elbow", "silhouette", "bic"),
        ("cluster-stability",),
    ),
    Section(
        "profiles",
        "Segment profiles",
        (
            "profile-radar",
            "profile-income",
            "profile-spending",
            "product-mix",
            "channel-mix",
            "campaign-acceptance",
        ),
    ),
    Section("features", "Key features per segment", ("feature-strips",)),
    Section("exploration", "Exploratory view", ("histograms", "correlations")),
    Section("spending-income", "Spending against income", ("spending-income",)),
    Section("rules", "Association rules", ("rules-scatter",), ("wine-rules",)),
    Section("statistics", "Statistical tests", (), ("statistics",)),
    Section("data-quality", "Rejected rows", ("rejections", "kept-rejected")),
    Section("importance", "What drives each clustering", ("importance-{clustering}",)),
    Section("aha", "Aha moments", (), ("aha-moments",)),
)


def chart_ids(algorithms: Sequence[str], clusterings: Sequence[str]) -> list[str]:
    """The div ids of every chart of a report on a full build, given the algorithms
    of `customer_clusters` and the clusterings of `feature_importance`."""
    ids = []
    for section in REPORT_SECTIONS:
        for chart in section.charts:
            if "{algorithm}" in chart:
                ids += [chart.format(algorithm=_slug(name)) for name in algorithms]
            elif "{clustering}" in chart:
                ids += [chart.format(clustering=_slug(name)) for name in clusterings]
            else:
                ids.append(chart)
    return [f"chart-{chart}" for chart in ids]


SEGMENT_ORDER = ("Stars", "High potential", "Leaky bucket", "Need attention")
SEGMENT_COLORS = {
    "Stars": "#e9a800",
    "High potential": "#2a9d8f",
    "Leaky bucket": "#e76f51",
    "Need attention": "#577590",
}
ALGORITHM_LABELS = {
    "kmeans": "K-Means",
    "gmm": "Gaussian mixture",
    "agglomerative": "Agglomerative (Ward)",
    "hdbscan": "HDBSCAN",
    "segments": "Named segments (Gaussian mixture)",
}
LABELS = {
    "income": "Income",
    "spending": "Spending",
    "seniority_months": "Seniority (months)",
    "age": "Age (years)",
    "children": "Children",
    "recency_days": "Recency (days)",
    "total_purchases": "Purchases",
    "web_visits_month": "Web visits / month",
    "deal_share": "Deal share",
    "total_campaigns_accepted": "Campaigns accepted",
    "stability_ari_median": "Median ARI of refits",
    "stability_ari_min": "Lowest ARI",
    "stability_weakest_cluster_jaccard": "Weakest cluster (mean Jaccard)",
    "stability_reading": "Reading",
}
# cluster_evaluation's bootstrap stability of each selected clustering.
STABILITY_COLUMNS = cluster_stability.STABILITY_COLUMNS[2:]  # after algorithm, k
KEY_FEATURES = ("income", "spending", "seniority_months", "age")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
HEIGHT = 520
MAX_TABLE_ROWS = 500


class _MissingData(Exception):
    """A mart or column a chart needs is not in the warehouse, or holds no rows."""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")


def _num(value: float | None) -> str:
    """A number as a reader wants it: thousands separated, decimals only when small."""
    if value is None or pd.isna(value):
        return "n/a"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " ").capitalize())


def _algorithm(name: str) -> str:
    return ALGORITHM_LABELS.get(name, name)


def _segment_order(segments: Sequence[str]) -> list[str]:
    known = [name for name in SEGMENT_ORDER if name in set(segments)]
    return known + sorted(set(segments) - set(known))


def _cluster_sort_key(name: str) -> tuple[bool, int]:
    """'cluster 2' before 'cluster 10', noise last."""
    return (True, 0) if name == "noise" else (False, int(name.split()[-1]))


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Single-precision floats and 32-bit integers: half the bytes in the page."""
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values):
            frame[column] = values.astype("float32")
        elif pd.api.types.is_integer_dtype(values) and not values.empty:
            if np.iinfo("int32").min <= values.min() <= values.max() < 2**31:
                frame[column] = values.astype("int32")
    return frame


def _note(message: str) -> str:
    return f'<p class="note">{escape(message)}</p>'


def _chart(fig: go.Figure, chart_id: str, reading: str, height: int = HEIGHT) -> str:
    """A figure as an HTML fragment (no plotly.js) with its one-line reading under it."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        title={"x": 0.01, "xanchor": "left", "font": {"size": 17}},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
        legend={"itemsizing": "constant"},
    )
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{chart_id}",
        config=PLOTLY_CONFIG,
        default_width="100%",
        default_height=f"{height}px",
    )
    return f'<figure class="chart">{div}<p class="reading">{escape(reading)}</p></figure>'


def _table(table_id: str, frame: pd.DataFrame, formats: dict[str, Callable]) -> str:
    """A DataFrame as an escaped HTML table; formats maps a column to a formatter."""
    head = "".join(f"<th>{escape(_label(column))}</th>" for column in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            text = formats.get(column, str)(value) if not _isna(value) else ""
            numeric = isinstance(value, int | float | np.number) and not isinstance(
                value, bool | np.bool_
            )
            css = ' class="num"' if numeric else ""
            if isinstance(value, str) and len(value) > 60:
                css = ' class="long"'
            cells.append(f"<td{css}>{escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap"><table id="table-{table_id}"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _pct(value: float) -> str:
    return f"{value:.0%}" if not _isna(value) else ""


def _pvalue(value: float) -> str:
    return f"{value:.2g}" if value >= 0.001 else f"{value:.1e}"


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


def _readable_tests(data: pd.DataFrame) -> pd.DataFrame:
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
            lambda value: "" if _isna(value) else f"{value:.3f}"
        )
        if "effect_size_name" in data:
            name = data.pop("effect_size_name").fillna("").astype(str)
            size = (size + " " + name.str.replace("_", " ")).str.strip()
        data["effect_size"] = size
    return data.dropna(axis="columns", how="all")


class _Report:
    """The queries and charts of one report, over one read-only connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, max_points: int, seed: int):
        self.con = con
        self.max_points = int(max_points)
        self.seed = int(seed)
        self.columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'main' order by table_name, ordinal_position"
        ).fetchall():
            self.columns.setdefault(table, []).append(column)
        self._clusterings: list[tuple[str, int]] | None = None

    # ---- data access -------------------------------------------------------------

    def need(self, table: str, *columns: str) -> None:
        if table not in self.columns:
            raise _MissingData(
                f"The table {table} is not in this warehouse: run `dbt build` to make it."
            )
        missing = [column for column in columns if column not in self.columns[table]]
        if missing:
            raise _MissingData(
                f"The table {table} has no column {', '.join(missing)}: "
                "it was built by another version of the project."
            )

    def frame(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def value(self, sql: str, params: Sequence | None = None):
        return self.con.execute(sql, params or []).fetchone()[0]

    def sample_order(self, key: str = "customer_id") -> str:
        """SQL that keeps a seeded, repeatable sample of at most max_points rows."""
        return f"order by hash({key}, {self.seed}) limit {self.max_points}"

    def prefixed(self, table: str, prefix: str) -> list[str]:
        return [name for name in self.columns.get(table, []) if name.startswith(prefix)]

    def clusterings(self) -> list[tuple[str, int]]:
        """(algorithm, k) of each clustering in customer_clusters, at its selected k."""
        if self._clusterings is None:
            self.need("customer_clusters", "algorithm", "k", "cluster")
            pairs = self.frame(
                "select algorithm, k from customer_clusters group by all order by all"
            )
            selected = set()
            if "cluster_evaluation" in self.columns:
                selected = {
                    (row.algorithm, row.k)
                    for row in self.frame(
                        "select algorithm, k from cluster_evaluation where is_selected"
                    ).itertuples()
                }
            chosen = []
            for algorithm, group in pairs.groupby("algorithm", sort=True):
                ks = [int(k) for k in group["k"]]
                best = [k for k in ks if (algorithm, k) in selected] or ks
                chosen.append((str(algorithm), best[0]))
            self._clusterings = chosen
        return self._clusterings

    # ---- header ------------------------------------------------------------------

    def header_facts(self) -> list[tuple[str, str]]:
        facts = []
        if "customers" in self.columns:
            facts.append(
                ("Customers", f"{self.value('select count(*) from customers'):,}")
            )
            if "reference_date" in self.columns["customers"]:
                reference = self.value("select max(reference_date) from customers")
                facts.append(("Reference date", str(reference)))
        if "stg_customers_rejected" in self.columns:
            try:
                rejected = self.value("select count(*) from stg_customers_rejected")
                facts.append(("Rejected rows", f"{rejected:,}"))
            except duckdb.Error:
                pass
        if "customers" in self.columns and "segment" in self.columns["customers"]:
            segments = self.value("select count(distinct segment) from customers")
            facts.append(("Segments", f"{segments}"))
        return facts

    # ---- segments ----------------------------------------------------------------

    def segment_sample(self) -> pd.DataFrame:
        self.need("customers", "customer_id", "segment", *KEY_FEATURES)
        data = self.frame(
            "select customer_id, segment, income, spending, seniority_months, age "
            f"from customers {self.sample_order()}"
        )
        if data.empty:
            raise _MissingData("The table customers holds no rows.")
        return _compact(data)

    def segments_3d(self) -> str:
        data = self.segment_sample()
        sizes = self.frame(
            "select segment, count(*) as customers, avg(spending) as mean_spending "
            "from customers group by segment"
        ).set_index("segment")
        total = int(sizes["customers"].sum())
        order = _segment_order(list(sizes.index))
        fig = px.scatter_3d(
            data,
            x="income",
            y="seniority_months",
            z="spending",
            color="segment",
            color_discrete_map=SEGMENT_COLORS,
            category_orders={"segment": order},
            hover_data=["customer_id"],
            opacity=0.75,
            title="Segments by income, seniority and spending",
            labels={**LABELS, "segment": "Segment"},
        )
        fig.update_traces(marker={"size": 2.5})
        fig.update_layout(
            scene={
                "xaxis_title": "Income",
                "yaxis_title": "Seniority (months)",
                "zaxis_title": "Spending",
            }
        )
        parts = [
            f"{name}: {sizes.loc[name, 'customers'] / total:.0%} of customers, "
            f"mean spending {_num(sizes.loc[name, 'mean_spending'])}"
            for name in order
        ]
        reading = "; ".join(parts) + f" ({len(data):,} of {total:,} customers drawn)."
        return _chart(fig, "segments-3d", reading, height=620)

    def clusterings_3d(self) -> str:
        self.need("customer_projection", "customer_id", "pc1", "pc2", "pc3")
        clusterings = self.clusterings()
        if not clusterings:
            raise _MissingData("The table customer_clusters holds no rows.")
        ratios = self.con.execute(
            "select explained_variance_ratio_1, explained_variance_ratio_2, "
            "explained_variance_ratio_3 from customer_projection limit 1"
        ).fetchone()
        wanted = ", ".join(f"('{algorithm}', {k})" for algorithm, k in clusterings)
        data = self.frame(
            "with sampled as (select customer_id, pc1, pc2, pc3 from customer_projection "
            f"{self.sample_order()}), "
            f"wanted (algorithm, k) as (values {wanted}) "
            "select sampled.*, clusters.algorithm, clusters.cluster "
            "from sampled "
            "inner join customer_clusters as clusters using (customer_id) "
            "inner join wanted using (algorithm, k)"
        )
        data = _compact(data)
        sizes = self.frame(
            f"with wanted (algorithm, k) as (values {wanted}) "
            "select algorithm, cluster, count(*) as customers "
            "from customer_clusters inner join wanted using (algorithm, k) "
            "group by all"
        )
        reasons = {}
        if "cluster_evaluation" in self.columns:
            reasons = dict(
                self.con.execute(
                    "select algorithm, any_value(selection_reason) "
                    "from cluster_evaluation where is_selected group by algorithm"
                ).fetchall()
            )
        axes = [
            f"PC{i} ({ratio:.0%} of variance)" if ratio is not None else f"PC{i}"
            for i, ratio in enumerate(ratios or (None, None, None), start=1)
        ]
        html = []
        for algorithm, k in clusterings:
            subset = data[data["algorithm"] == algorithm].copy()
            counts = sizes[sizes["algorithm"] == algorithm].set_index("cluster")
            counts = counts["customers"]
            subset["cluster"] = subset["cluster"].map(
                lambda value: "noise" if value == -1 else f"cluster {value}"
            )
            order = sorted(subset["cluster"].unique(), key=_cluster_sort_key)
            fig = px.scatter_3d(
                subset,
                x="pc1",
                y="pc2",
                z="pc3",
                color="cluster",
                category_orders={"cluster": order},
                hover_data=["customer_id"],
                opacity=0.75,
                title=f"{_algorithm(algorithm)}, k = {k}, on the principal components",
                labels={"cluster": "Cluster"},
            )
            fig.update_traces(marker={"size": 2.5})
            fig.update_layout(
                scene={
                    "xaxis_title": axes[0],
                    "yaxis_title": axes[1],
                    "zaxis_title": axes[2],
                }
            )
            total = int(counts.sum())
            clusters = counts[counts.index != -1]
            if len(clusters) == 1:
                reading = f"One cluster of {clusters.iloc[0] / total:.1%} of customers"
            else:
                reading = (
                    f"{len(clusters)} clusters; the largest holds "
                    f"{clusters.max() / total:.0%} of customers, the smallest "
                    f"{clusters.min() / total:.0%}"
                )
            if -1 in counts.index:
                reading += f"; noise {counts.loc[-1] / total:.1%}"
            if reasons.get(algorithm):
                reading += f". Selected by {reasons[algorithm]}"
            reading += f" ({len(subset):,} customers drawn)."
            chart_id = f"clustering-3d-{_slug(algorithm)}"
            html.append(_chart(fig, chart_id, reading, height=600))
        html += [
            f'<p class="reading">{escape(_algorithm(name))}: no clustering to show, '
            f"{escape(reason)}.</p>"
            for name, reason in self.unselected()
        ]
        return "".join(html)

    def unselected(self) -> list[tuple[str, str]]:
        """(algorithm, why) of each algorithm of cluster_evaluation that selected
        nothing (HDBSCAN finding no density structure)."""
        if "selection_reason" not in self.columns.get("cluster_evaluation", []):
            return []
        return self.con.execute(
            "select algorithm, any_value(selection_reason) from cluster_evaluation "
            "group by algorithm having not bool_or(is_selected) order by algorithm"
        ).fetchall()

    # ---- choosing k --------------------------------------------------------------

    def evaluation(self, algorithm: str, metric: str) -> pd.DataFrame:
        self.need(
            "cluster_evaluation",
            "algorithm",
            "k",
            metric,
            "is_selected",
            "selection_reason",
        )
        data = self.frame(
            f"select k, {metric}, is_selected, selection_reason from cluster_evaluation "
            f"where algorithm = ? and {metric} is not null order by k",
            [algorithm],
        )
        if data.empty:
            raise _MissingData(f"cluster_evaluation holds no {metric} for {algorithm}.")
        return data

    @staticmethod
    def _mark_selected(fig: go.Figure, data: pd.DataFrame, metric: str) -> str:
        chosen = data[data["is_selected"]]
        if chosen.empty:
            return "no k marked as selected"
        row = chosen.iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["k"]],
                y=[row[metric]],
                mode="markers",
                marker={"symbol": "star", "size": 18, "color": "#d62828"},
                name=f"selected k = {row['k']}",
            )
        )
        fig.add_annotation(
            x=row["k"], y=row[metric], text=f"selected k = {row['k']}", yshift=18
        )
        return str(row["selection_reason"] or f"k = {row['k']}")

    def elbow(self) -> str:
        data = self.evaluation("kmeans", "inertia")
        fig = go.Figure(
            go.Scatter(
                x=data["k"], y=data["inertia"], mode="lines+markers", name="inertia"
            )
        )
        reason = self._mark_selected(fig, data, "inertia")
        fig.update_layout(
            title="Elbow: K-Means inertia against k",
            xaxis_title="Number of clusters k",
            yaxis_title="Inertia (within-cluster sum of squares)",
        )
        drop = 1 - data["inertia"].iloc[-1] / data["inertia"].iloc[0]
        reading = (
            f"Inertia falls {drop:.0%} from k = {data['k'].iloc[0]} to "
            f"k = {data['k'].iloc[-1]}; K-Means selected by {reason}."
        )
        return _chart(fig, "elbow", reading)

    def silhouette(self) -> str:
        self.need("cluster_evaluation", "algorithm", "k", "silhouette", "is_selected")
        data = self.frame(
            "select algorithm, k, silhouette, is_selected, selection_reason "
            "from cluster_evaluation order by algorithm, k"
        )
        fig = go.Figure()
        reasons = []
        for algorithm, group in data.groupby("algorithm", sort=True):
            points = group.dropna(subset=["silhouette"])
            chosen = group[group["is_selected"]]
            explained = group[group["selection_reason"].notna()]
            if not chosen.empty:
                first = chosen.iloc[0]
                reason = first["selection_reason"] or f"k = {first['k']}"
                reasons.append(f"{_algorithm(algorithm)}: {reason}")
            elif not explained.empty:
                reason = explained["selection_reason"].iloc[0]
                reasons.append(f"{_algorithm(algorithm)}: nothing selected, {reason}")
            if points.empty:
                continue
            line = points["k"].is_unique
            fig.add_trace(
                go.Scatter(
                    x=points["k"],
                    y=points["silhouette"],
                    mode="lines+markers" if line else "markers",
                    name=_algorithm(algorithm),
                    legendgroup=algorithm,
                )
            )
            marked = points[points["is_selected"]]
            fig.add_trace(
                go.Scatter(
                    x=marked["k"],
                    y=marked["silhouette"],
                    mode="markers",
                    marker={"symbol": "star", "size": 16, "line": {"width": 1}},
                    name=f"{_algorithm(algorithm)} selected",
                    legendgroup=algorithm,
                    showlegend=not marked.empty,
                )
            )
        if not fig.data:
            raise _MissingData("cluster_evaluation holds no silhouette score.")
        fig.update_layout(
            title="Silhouette against k (stars: selected k)",
            xaxis_title="Number of clusters k",
            yaxis_title="Silhouette (higher is better)",
        )
        reading = "Selected: " + "; ".join(reasons) + "." if reasons else ""
        return _chart(fig, "silhouette", reading)

    def bic(self) -> str:
        data = self.evaluation("gmm", "bic")
        fig = go.Figure(
            go.Scatter(x=data["k"], y=data["bic"], mode="lines+markers", name="BIC")
        )
        reason = self._mark_selected(fig, data, "bic")
        fig.update_layout(
            title="Gaussian mixture: BIC against k",
            xaxis_title="Number of components k",
            yaxis_title="BIC (lower is better)",
        )
        reading = f"Gaussian mixture selected by {reason}."
        return _chart(fig, "bic", reading)

    def cluster_stability(self) -> str:
        self.need(
            "cluster_evaluation",
            "algorithm",
            "k",
            "is_selected",
            "selection_reason",
            *STABILITY_COLUMNS,
        )
        data = self.frame(
            "select algorithm, case when is_selected then k end as k, "
            "stability_ari_median, stability_ari_min, "
            "stability_weakest_cluster_jaccard, "
            "case when is_selected then stability_reading "
            "else 'no clustering selected' end as stability_reading, "
            "selection_reason, stability_resamples, stability_rows "
            "from cluster_evaluation where selection_reason is not null"
        )
        if data.empty:
            raise _MissingData("cluster_evaluation holds no selected clustering.")
        order = {name: position for position, name in enumerate(ALGORITHM_LABELS)}
        data = data.sort_values("algorithm", key=lambda names: names.map(order))
        data["algorithm"] = data["algorithm"].map(_algorithm)
        figure = "{:.2f}".format
        table = _table(
            "cluster-stability",
            data[list(data.columns[:6])],
            {
                "k": "{:.0f}".format,
                "stability_ari_median": figure,
                "stability_ari_min": figure,
                "stability_weakest_cluster_jaccard": figure,
            },
        )
        return f'{table}<p class="reading">{escape(stability_reading(data))}</p>'

    # ---- segment profiles --------------------------------------------------------

    def profiles(self) -> pd.DataFrame:
        base = [
            "segment",
            "customers",
            "customer_share",
            "mean_income",
            "mean_spending",
            "mean_seniority_months",
            "mean_age",
            "mean_children",
        ]
        self.need("segment_profiles", "segmentation", *base)
        shares = [
            *self.prefixed("segment_profiles", "spend_share_"),
            *self.prefixed("segment_profiles", "purchase_share_"),
            *self.prefixed("segment_profiles", "acceptance_rate_"),
        ]
        data = self.frame(
            f"select {', '.join(base + shares)} from segment_profiles "
            "where segmentation = 'segments'"
        )
        if data.empty:
            raise _MissingData(
                "segment_profiles holds no row for segmentation 'segments'."
            )
        order = _segment_order(list(data["segment"]))
        return data.set_index("segment").loc[order]

    def profile_radar(self) -> str:
        data = self.profiles()
        acceptance = self.prefixed("segment_profiles", "acceptance_rate_")
        axes = {
            "Income": data["mean_income"],
            "Spending": data["mean_spending"],
            "Seniority": data["mean_seniority_months"],
            "Age": data["mean_age"],
            "Children": data["mean_children"],
        }
        if acceptance:
            axes["Campaign acceptance"] = data[acceptance].mean(axis=1)
        if "purchase_share_deal" in data:
            axes["Deal purchases"] = data["purchase_share_deal"]
        raw = pd.DataFrame(axes)
        spread = (raw.max() - raw.min()).replace(0, 1)
        scaled = 0.1 + 0.9 * (raw - raw.min()) / spread
        fig = go.Figure()
        names = list(raw.columns)
        for segment in raw.index:
            fig.add_trace(
                go.Scatterpolar(
                    r=[*scaled.loc[segment], scaled.loc[segment].iloc[0]],
                    theta=[*names, names[0]],
                    customdata=[*raw.loc[segment], raw.loc[segment].iloc[0]],
                    hovertemplate="%{theta}: %{customdata:,.2f}<extra>"
                    + escape(segment)
                    + "</extra>",
                    fill="toself",
                    opacity=0.55,
                    name=segment,
                    line={"color": SEGMENT_COLORS.get(segment)},
                )
            )
        fig.update_layout(
            title="Segment profiles (each axis runs from the lowest to the highest "
            "segment mean; hover for values)",
            polar={"radialaxis": {"range": [0, 1], "showticklabels": False}},
        )
        leaders = [f"{axis.lower()} {raw[axis].idxmax()}" for axis in names]
        reading = "Highest mean per axis: " + ", ".join(leaders) + "."
        return _chart(fig, "profile-radar", reading, height=560)

    def _profile_bar(self, column: str, chart_id: str, title: str, axis: str) -> str:
        data = self.profiles()
        values = data[column]
        fig = go.Figure(
            go.Bar(
                x=list(values.index),
                y=values,
                marker_color=[SEGMENT_COLORS.get(name, "#888") for name in values.index],
                text=[_num(value) for value in values],
                textposition="outside",
            )
        )
        fig.update_layout(title=title, xaxis_title="Segment", yaxis_title=axis)
        reading = (
            f"{values.idxmax()} have the highest {axis.lower()} ({_num(values.max())}), "
            f"{values.idxmin()} the lowest ({_num(values.min())})."
        )
        return _chart(fig, chart_id, reading, height=440)

    def profile_income(self) -> str:
        return self._profile_bar(
            "mean_income", "profile-income", "Mean income per segment", "Mean income"
        )

    def profile_spending(self) -> str:
        return self._profile_bar(
            "mean_spending",
            "profile-spending",
            "Mean spending per segment",
            "Mean spending",
        )

    def _mix(
        self, prefix: str, chart_id: str, title: str, axis: str, stacked: bool
    ) -> str:
        data = self.profiles()
        columns = self.prefixed("segment_profiles", prefix)
        if not columns:
            raise _MissingData(f"segment_profiles has no {prefix}* column.")
        fig = go.Figure()
        for column in columns:
            fig.add_trace(
                go.Bar(
                    x=list(data.index),
                    y=data[column],
                    name=column.removeprefix(prefix).replace("_", " "),
                    text=[f"{value:.0%}" for value in data[column]],
                    textposition="inside" if stacked else "outside",
                )
            )
        fig.update_layout(
            title=title,
            barmode="stack" if stacked else "group",
            xaxis_title="Segment",
            yaxis_title=axis,
            yaxis_tickformat=".0%",
            uniformtext={"minsize": 10, "mode": "hide"},
        )
        top = data[columns].idxmax(axis=1).str.removeprefix(prefix).str.replace("_", " ")
        if top.nunique() == 1:
            share = data[columns].max(axis=1)
            reading = (
                f"{top.iloc[0].capitalize()} has the largest share in every segment "
                f"({share.min():.0%} to {share.max():.0%})"
            )
        else:
            reading = "Largest: " + ", ".join(
                f"{segment} {top[segment]} ({data.loc[segment, columns].max():.0%})"
                for segment in data.index
            )
        return _chart(fig, chart_id, reading + ".", height=460)

    def product_mix(self) -> str:
        return self._mix(
            "spend_share_",
            "product-mix",
            "Product mix: share of spending per product",
            "Share of spending",
            stacked=True,
        )

    def channel_mix(self) -> str:
        html = self._mix(
            "purchase_share_",
            "channel-mix",
            "Channel mix: share of purchases per channel (deals overlap the channels)",
            "Share of purchases",
            stacked=False,
        )
        return html

    def campaign_acceptance(self) -> str:
        data = self.profiles()
        columns = self.prefixed("segment_profiles", "acceptance_rate_")
        if not columns:
            raise _MissingData("segment_profiles has no acceptance_rate_* column.")
        campaigns = [
            name.removeprefix("acceptance_rate_").replace("_", " ") for name in columns
        ]
        fig = go.Figure()
        for segment in data.index:
            fig.add_trace(
                go.Bar(
                    x=campaigns,
                    y=data.loc[segment, columns],
                    name=segment,
                    marker_color=SEGMENT_COLORS.get(segment),
                )
            )
        fig.update_layout(
            title="Campaign acceptance rate per segment",
            barmode="group",
            xaxis_title="Campaign",
            yaxis_title="Acceptance rate",
            yaxis_tickformat=".0%",
        )
        mean = data[columns].mean(axis=1)
        best = mean.idxmax()
        best_campaign = data.loc[best, columns].astype(float).idxmax()
        reading = (
            f"{best} accept most often (mean {mean.max():.0%} per campaign, "
            f"{data.loc[best, best_campaign]:.0%} on "
            f"{best_campaign.removeprefix('acceptance_rate_').replace('_', ' ')}); "
            f"{mean.idxmin()} least ({mean.min():.0%})."
        )
        return _chart(fig, "campaign-acceptance", reading, height=460)

    # ---- features per segment ------------------------------------------------------

    def feature_strips(self) -> str:
        data = self.segment_sample()
        long = data.melt(
            id_vars=["customer_id", "segment"],
            value_vars=list(KEY_FEATURES),
            var_name="feature",
        )
        long["feature"] = long["feature"].map(_label)
        order = _segment_order(list(data["segment"].unique()))
        fig = px.strip(
            long,
            x="segment",
            y="value",
            color="segment",
            facet_col="feature",
            facet_col_wrap=2,
            facet_row_spacing=0.12,
            category_orders={
                "segment": order,
                "feature": [_label(name) for name in KEY_FEATURES],
            },
            color_discrete_map=SEGMENT_COLORS,
            hover_data=["customer_id"],
            title="Key features per segment (one dot per customer)",
            labels={"segment": "Segment", "value": "Value"},
        )
        fig.update_traces(marker={"size": 3, "opacity": 0.5}, jitter=0.8)
        fig.update_yaxes(matches=None, showticklabels=True, title_text="")
        fig.update_xaxes(title_text="")
        fig.for_each_annotation(lambda note: note.update(text=note.text.split("=")[-1]))
        medians = self.frame(
            "select segment, median(spending) as spending from customers group by segment"
        ).set_index("segment")["spending"]
        medians = medians.reindex(_segment_order(list(medians.index)))
        reading = (
            "Median spending: "
            + ", ".join(f"{name} {_num(medians[name])}" for name in medians.index)
            + f" ({len(data):,} customers drawn)."
        )
        return _chart(fig, "feature-strips", reading, height=760)

    # ---- exploration -------------------------------------------------------------

    def histograms(self) -> str:
        self.need("customers", *KEY_FEATURES)
        fig = make_subplots(
            rows=2,
            cols=2,
            subplot_titles=[_label(name) for name in KEY_FEATURES],
            vertical_spacing=0.15,
        )
        readings = []
        bins = 30
        for index, feature in enumerate(KEY_FEATURES):
            low, high, median, skew = self.con.execute(
                f"select min({feature}), max({feature}), median({feature}), "
                f"skewness({feature}) from customers"
            ).fetchone()
            if low is None:
                continue
            width = (high - low) / bins or 1
            counts = self.frame(
                f"select least(floor(({feature} - ?) / ?), {bins - 1})::int as bin, "
                f"count(*) as customers from customers where {feature} is not null "
                "group by bin order by bin",
                [low, width],
            )
            fig.add_trace(
                go.Bar(
                    x=low + (counts["bin"] + 0.5) * width,
                    y=counts["customers"],
                    width=width * 0.95,
                    name=_label(feature),
                    showlegend=False,
                    marker_color="#457b9d",
                ),
                row=index // 2 + 1,
                col=index % 2 + 1,
            )
            row, col = index // 2 + 1, index % 2 + 1
            fig.update_xaxes(title_text=_label(feature), row=row, col=col)
            fig.update_yaxes(title_text="Customers", row=row, col=col)
            shape = ""
            if skew is not None and abs(skew) >= 0.5:
                shape = ", right-skewed" if skew > 0 else ", left-skewed"
            readings.append(f"{_label(feature).lower()} median {_num(median)}{shape}")
        if not readings:
            raise _MissingData("The table customers holds no rows.")
        fig.update_layout(title="Distributions of the key features (all customers)")
        reading = "; ".join(readings).capitalize() + "."
        return _chart(fig, "histograms", reading, height=680)

    def correlations(self) -> str:
        self.need("customers", *KEY_FEATURES)
        features = [name for name in LABELS if name in self.columns["customers"]]
        pairs = [(a, b) for i, a in enumerate(features) for b in features[i + 1 :]]
        values = self.con.execute(
            "select " + ", ".join(f"corr({a}, {b})" for a, b in pairs) + " from customers"
        ).fetchone()
        matrix = pd.DataFrame(np.eye(len(features)), index=features, columns=features)
        for (a, b), value in zip(pairs, values, strict=True):
            matrix.loc[a, b] = matrix.loc[b, a] = np.nan if value is None else value
        labels = [_label(name) for name in features]
        fig = go.Figure(
            go.Heatmap(
                z=matrix.to_numpy(),
                x=labels,
                y=labels,
                zmin=-1,
                zmax=1,
                colorscale="RdBu",
                reversescale=True,
                texttemplate="%{z:.2f}",
                colorbar={"title": {"text": "r"}},
            )
        )
        fig.update_layout(
            title="Correlation matrix (Pearson, all customers)",
            xaxis_title="Feature",
            yaxis_title="Feature",
            yaxis_autorange="reversed",
        )
        ranked = sorted(
            ((value, a, b) for (a, b), value in zip(pairs, values, strict=True) if value),
            key=lambda item: item[0],
        )
        reading = ""
        if ranked:
            top, low = ranked[-1], ranked[0]
            reading = (
                f"Strongest positive: {_label(top[1]).lower()} and "
                f"{_label(top[2]).lower()} (r = {top[0]:.2f}); most negative: "
                f"{_label(low[1]).lower()} and {_label(low[2]).lower()} "
                f"(r = {low[0]:.2f})."
            )
        return _chart(fig, "correlations", reading, height=620)

    def spending_income(self) -> str:
        data = self.segment_sample()
        order = _segment_order(list(data["segment"].unique()))
        fig = px.scatter(
            data,
            x="income",
            y="spending",
            color="segment",
            color_discrete_map=SEGMENT_COLORS,
            category_orders={"segment": order},
            hover_data=["customer_id", "seniority_months"],
            opacity=0.6,
            title="Spending against income per segment",
            labels={**LABELS, "segment": "Segment"},
        )
        fig.update_traces(marker={"size": 5})
        correlation = self.value("select corr(income, spending) from customers")
        means = self.frame(
            "select segment, avg(spending) as spending from customers group by segment"
        ).set_index("segment")["spending"]
        reading = f"Spending rises with income (r = {correlation:.2f}, all customers)"
        if len(means) > 1 and means.min() > 0:
            reading += (
                f"; {means.idxmax()} spend {means.max() / means.min():.1f}× as much as "
                f"{means.idxmin()} on average"
            )
        reading += f" ({len(data):,} customers drawn)."
        return _chart(fig, "spending-income", reading)

    # ---- rules -------------------------------------------------------------------

    def rules_scatter(self) -> str:
        self.need("association_rules", "rule", "support", "confidence", "lift")
        data = self.frame(
            "select rule, support, confidence, lift from association_rules "
            f"{self.sample_order('rule')}"
        )
        data = _compact(data)
        if data.empty:
            raise _MissingData("association_rules holds no rule (min_support too high?).")
        total, low, high = self.con.execute(
            "select count(*), min(lift), max(lift) from association_rules"
        ).fetchone()
        best = self.con.execute(
            "select rule, lift from association_rules order by lift desc, rule limit 1"
        ).fetchone()
        fig = px.scatter(
            data,
            x="support",
            y="confidence",
            color="lift",
            color_continuous_scale="Viridis",
            hover_data={"rule": True},
            opacity=0.7,
            title="Association rules: support against confidence, coloured by lift",
            labels={"support": "Support", "confidence": "Confidence", "lift": "Lift"},
        )
        fig.update_layout(xaxis_tickformat=".0%", yaxis_tickformat=".0%")
        reading = (
            f"{total:,} rules ({len(data):,} drawn), lift {low:.2f} to {high:.2f}; "
            f"strongest: {best[0]} (lift {best[1]:.2f})."
        )
        return _chart(fig, "rules-scatter", reading, height=560)

    def wine_rules(self) -> str:
        self.need(
            "product_consumer_rules",
            "focus_item",
            "rule_rank",
            "rule",
            "support",
            "confidence",
            "lift",
        )
        data = self.frame(
            "select rule_rank, rule, support, confidence, lift "
            "from product_consumer_rules "
            "where focus_item = 'wines_segment=Biggest consumer' "
            "order by rule_rank limit 10"
        )
        if data.empty:
            raise _MissingData("No rule leads to wines_segment=Biggest consumer.")
        table = _table(
            "wine-rules",
            data,
            {"support": _pct, "confidence": _pct, "lift": "{:.2f}".format},
        )
        top = data.iloc[0]
        reading = (
            f"Best rule: {top['rule']} ({top['confidence']:.0%} confidence, "
            f"lift {top['lift']:.2f})."
        )
        return (
            "<h3>Top 10 rules for the biggest wine consumers</h3>"
            f'{table}<p class="reading">{escape(reading)}</p>'
        )

    # ---- statistics --------------------------------------------------------------

    def statistics(self) -> str:
        if "segment_statistics" not in self.columns:
            raise _MissingData(
                "The statistical tests (table segment_statistics) are not in this "
                "warehouse yet."
            )
        present = self.columns["segment_statistics"]
        not_shown = ("degrees_of_freedom", "n", "sampled", "is_significant")
        wanted = [name for name in RESULT_COLUMNS if name not in not_shown]
        columns = [name for name in wanted if name in present]
        if not columns:
            raise _MissingData("segment_statistics has none of the expected columns.")
        # tests across all groups first, then the pairwise ones, of each feature
        order = [name for name in ("grouping", "feature") if name in columns]
        if "group_a" in columns:
            order.append("group_a is not null")
        order += [name for name in columns if name not in order]
        data = self.frame(
            f"select {', '.join(columns)} from segment_statistics "
            f"order by {', '.join(order)} limit {MAX_TABLE_ROWS}"
        )
        data = _readable_tests(data)
        total = self.value("select count(*) from segment_statistics")
        reading = f"{total:,} tests"
        if "is_significant" in present:
            significant = self.value(
                "select count(*) from segment_statistics where is_significant"
            )
            reading += f"; {significant:,} significant"
        elif "p_value" in present:
            significant = self.value(
                "select count(*) from segment_statistics where p_value < 0.05"
            )
            reading += f"; {significant:,} significant at the 5% level"
        if total > MAX_TABLE_ROWS:
            reading += f"; the first {MAX_TABLE_ROWS} shown"
        formats = {"statistic": _num, "p_value": _pvalue, "p_value_adjusted": _pvalue}
        table = _table("statistics", data, formats)
        return f'<p class="reading">{escape(reading)}.</p>{table}'

    # ---- data quality ------------------------------------------------------------

    def rejections(self) -> str:
        self.need("stg_customers_rejected", "rejection_reasons")
        data = self.frame(
            "select reason, count(*) as rows_ from "
            "(select unnest(rejection_reasons) as reason from stg_customers_rejected) "
            "group by reason order by rows_ desc, reason"
        )
        if data.empty:
            raise _MissingData("No row was rejected: every raw row passed the checks.")
        fig = go.Figure(
            go.Bar(
                x=data["rows_"],
                y=data["reason"],
                orientation="h",
                text=data["rows_"],
                textposition="outside",
                marker_color="#e76f51",
            )
        )
        fig.update_layout(
            title="Rejected rows by reason",
            xaxis_title="Rejected rows (a row counts once per reason)",
            yaxis_title="Reason",
            yaxis_autorange="reversed",
        )
        top = data.iloc[0]
        reading = (
            f"Most common reason: {top['reason']} ({top['rows_']:,} rows); "
            f"{len(data)} reasons in all."
        )
        return _chart(fig, "rejections", reading, height=360)

    def kept_rejected(self) -> str:
        self.need("customers")
        self.need("stg_customers_rejected")
        kept = self.value("select count(*) from customers")
        rejected = self.value("select count(*) from stg_customers_rejected")
        raw = kept + rejected
        fig = go.Figure(
            go.Bar(
                x=["Kept (customers)", "Rejected"],
                y=[kept, rejected],
                text=[f"{kept:,}", f"{rejected:,}"],
                textposition="outside",
                marker_color=["#2a9d8f", "#e76f51"],
            )
        )
        fig.update_layout(
            title="Kept against rejected rows", xaxis_title="", yaxis_title="Rows"
        )
        share = rejected / raw if raw else 0
        reading = f"{rejected:,} of {raw:,} rows rejected ({share:.1%}), {kept:,} kept."
        return _chart(fig, "kept-rejected", reading, height=360)

    # ---- feature importance, aha moments -------------------------------------------

    def importance(self) -> str:
        self.need("feature_importance", "clustering", "feature", "importance_mean")
        extra = [
            name
            for name in ("k", "importance_std", "test_accuracy")
            if name in self.columns["feature_importance"]
        ]
        columns = ", ".join(["clustering", "feature", "importance_mean", *extra])
        data = self.frame(
            f"select {columns} from feature_importance "
            "order by clustering, importance_mean desc"
        )
        if data.empty:
            raise _MissingData("feature_importance holds no rows.")
        html = []
        for clustering, group in data.groupby("clustering", sort=True):
            group = group.sort_values("importance_mean")
            error = None
            if "importance_std" in group:
                error = {"type": "data", "array": group["importance_std"]}
            fig = go.Figure(
                go.Bar(
                    x=group["importance_mean"],
                    y=group["feature"].map(_label),
                    orientation="h",
                    error_x=error,
                    marker_color="#457b9d",
                )
            )
            k = f", k = {group['k'].iloc[0]}" if "k" in group else ""
            fig.update_layout(
                title=f"Feature importance: {_algorithm(clustering)}{k}",
                xaxis_title="Permutation importance (drop in accuracy)",
                yaxis_title="Feature",
            )
            top = group.sort_values("importance_mean", ascending=False)
            if top["importance_mean"].abs().max() == 0:
                reading = "Every importance is zero: one cluster leaves nothing to split."
            else:
                reading = "Top drivers: " + ", ".join(
                    f"{_label(row.feature).lower()} ({row.importance_mean:.3f})"
                    for row in top.head(3).itertuples()
                )
                if "test_accuracy" in group and not _isna(group["test_accuracy"].iloc[0]):
                    reading += (
                        f"; the forest predicts the clusters with "
                        f"{group['test_accuracy'].iloc[0]:.0%} test accuracy"
                    )
                reading += "."
            html.append(
                _chart(fig, f"importance-{_slug(clustering)}", reading, height=420)
            )
        return "".join(html)

    def aha_moments(self) -> str:
        self.need("aha_moments", "behaviour", "threshold")
        wanted = [
            "behaviour",
            "threshold",
            "customers_above",
            "customer_share_above",
            "high_value_share_above",
            "high_value_share_at_or_below",
            "lift",
            "is_aha_moment",
        ]
        columns = [name for name in wanted if name in self.columns["aha_moments"]]
        order = "is_aha_moment desc, " if "is_aha_moment" in columns else ""
        order += "lift desc, " if "lift" in columns else ""
        data = self.frame(
            f"select {', '.join(columns)} from aha_moments order by {order}behaviour"
        )
        if data.empty:
            raise _MissingData("aha_moments holds no rows.")
        percent = {
            name: _pct
            for name in (
                "customer_share_above",
                "high_value_share_above",
                "high_value_share_at_or_below",
            )
        }
        table = _table(
            "aha-moments",
            data,
            {
                **percent,
                "threshold": _num,
                "customers_above": "{:,.0f}".format,
                "lift": "{:.2f}".format,
                "is_aha_moment": lambda value: "yes" if value else "no",
            },
        )
        reading = f"{len(data)} behaviours tested"
        if "is_aha_moment" in data:
            found = data[data["is_aha_moment"].astype(bool)]
            reading += f", {len(found)} aha moments"
            if not found.empty and "high_value_share_above" in data:
                top = found.iloc[0]
                reading += (
                    f"; above {_num(top['threshold'])} {top['behaviour']}, "
                    f"{top['high_value_share_above']:.0%} of customers are high value "
                    f"against {top['high_value_share_at_or_below']:.0%} at or below"
                )
        return f'{table}<p class="reading">{escape(reading)}.</p>'

    def segment_stability(self) -> str:
        self.need("segment_stability", "segment", "jaccard_mean", "ari_median")
        data = self.frame(
            "select segment, share, jaccard_mean, jaccard_min, segment_reading, "
            "ari_median, ari_min, model_reading, n_resamples, n_customers, method "
            "from segment_stability order by component"
        )
        if data.empty:
            raise _MissingData("segment_stability holds no rows.")
        top = data.iloc[0]
        weakest = data.sort_values("jaccard_mean").iloc[0]
        table = _table(
            "segment-stability",
            data[["segment", "share", "jaccard_mean", "jaccard_min", "segment_reading"]],
            {
                "share": _pct,
                "jaccard_mean": "{:.3f}".format,
                "jaccard_min": "{:.3f}".format,
            },
        )
        reading = (
            f"Refitted ({top['method']}) on {top['n_resamples']} bootstrap resamples of "
            f"{top['n_customers']:,} customers, the segments agree with this build's at "
            f"a median adjusted Rand index of {top['ari_median']:.2f} (lowest "
            f"{top['ari_min']:.2f}): {top['model_reading']}. The least stable segment is "
            f"{weakest['segment']}: {weakest['jaccard_mean']:.0%} of its customers stay "
            f"together on average (Jaccard), {weakest['segment_reading']}"
        )
        return f'{table}<p class="reading">{escape(reading)}.</p>'

    # ---- assembly ----------------------------------------------------------------

    def builders(self) -> dict[str, list[Callable[[], str]]]:
        return {
            "segments": [self.segments_3d],
            "stability": [self.segment_stability],
            "clusterings": [self.clusterings_3d],
            "choosing-k": [self.elbow, self.silhouette, self.bic, self.cluster_stability],
            "profiles": [
                self.profile_radar,
                self.profile_income,
                self.profile_spending,
                self.product_mix,
                self.channel_mix,
                self.campaign_acceptance,
            ],
            "features": [self.feature_strips],
            "exploration": [self.histograms, self.correlations],
            "spending-income": [self.spending_income],
            "rules": [self.rules_scatter, self.wine_rules],
            "statistics": [self.statistics],
            "data-quality": [self.rejections, self.kept_rejected],
            "importance": [self.importance],
            "aha": [self.aha_moments],
        }


def _guarded(build: Callable[[], str]) -> str:
    """The HTML of one chart or table, or a note when its data is not there."""
    try:
        return build()
    except _MissingData as missing:
        return _note(str(missing))
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        return _note(f"This part could not be read from the warehouse: {first_line}")


_ERROR_RECORDER = """<script>
(function () {
  var errors = [];
  function show() {
    var box = document.getElementById("js-errors");
    if (!box) { return; }
    box.setAttribute("data-count", String(errors.length));
    if (errors.length) {
      box.hidden = false;
      box.textContent = "JavaScript errors: " + errors.join(" | ");
    }
  }
  function record(message) { errors.push(String(message)); show(); }
  window.addEventListener("error", function (event) {
    record(event.message || "error in " + (event.filename || "page"));
  });
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    record("unhandled rejection: " + ((reason && reason.message) || reason));
  });
  document.addEventListener("DOMContentLoaded", show);
})();
</script>"""

_CSS = """
:root { --ink: #1d2733; --muted: #5b6673; --line: #e3e7ec; --accent: #2a9d8f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  sans-serif; color: var(--ink); background: #f5f7f9; }
header { background: #1d3557; color: #fff; padding: 28px 40px 22px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; }
header p { margin: 0; color: #cfd8e3; }
.facts { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.fact { background: rgba(255,255,255,.1); border-radius: 8px; padding: 8px 14px; }
.fact b { display: block; font-size: 20px; color: #fff; }
.fact span { font-size: 12px; color: #cfd8e3; text-transform: uppercase;
  letter-spacing: .04em; }
main { max-width: 1240px; margin: 0 auto; padding: 10px 24px 60px; }
nav.toc { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 22px; margin: 22px 0; }
nav.toc ol { columns: 2; margin: 6px 0 0; padding-left: 20px; }
nav.toc a { color: #1d3557; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section { margin-top: 34px; }
section > h2 { font-size: 21px; border-bottom: 2px solid var(--accent);
  padding-bottom: 4px; }
figure.chart, .table-wrap, p.note { background: #fff; border: 1px solid var(--line);
  border-radius: 10px; margin: 16px 0; }
figure.chart { padding: 8px 10px 4px; }
p.reading { color: var(--muted); margin: 4px 8px 10px; font-size: 14px; }
p.note { padding: 12px 16px; color: #8a5a00; background: #fff8e6;
  border-color: #f1dca7; }
.table-wrap { overflow: auto; max-height: 720px; padding: 4px; }
thead th { position: sticky; top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: #f0f3f6; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.long { min-width: 300px; }
#js-errors { background: #fde2e1; color: #8b1a1a; padding: 10px 40px; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 20px; }
"""


def _page(
    db_path: Path,
    facts: list[tuple[str, str]],
    sections: list[tuple[Section, str]],
) -> str:
    """The whole page; the same warehouse gives the same bytes (no clock, no uuid)."""
    built = datetime.fromtimestamp(db_path.stat().st_mtime, tz=UTC)
    fact_html = "".join(
        f'<div class="fact"><b>{escape(value)}</b><span>{escape(name)}</span></div>'
        for name, value in facts
    )
    toc = "".join(
        f'<li><a href="#{section.anchor}">{escape(section.title)}</a></li>'
        for section, _ in sections
    )
    body = "".join(
        f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2>{html}</section>'
        for section, html in sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer personality report</title>
<style>{_CSS}</style>
{_ERROR_RECORDER}
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<div id="js-errors" data-count="0" hidden></div>
<header>
<h1>Customer personality report</h1>
<p>Warehouse {escape(db_path.name)}, built {built:%Y-%m-%d %H:%M} UTC.</p>
<div class="facts">{fact_html}</div>
</header>
<main>
<nav class="toc"><strong>Contents</strong><ol>{toc}</ol></nav>
{body}
</main>
<footer>Generated by customer-personality. Scatter plots show a seeded sample of
customers (or rules); every other figure is computed on all of them.</footer>
</body>
</html>
"""


def write_report(
    db_path: Path,
    out_path: Path,
    max_points: int = 5000,
    random_state: int = 42,
    *,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the HTML report of the warehouse at db_path to out_path and return it.

    Scatter plots draw at most max_points customers (or rules), chosen by a hash of
    their key seeded with random_state, so two reports of one build are identical.
    progress, when given, receives one line per section with its elapsed seconds.
    """
    db_path, out_path = Path(db_path), Path(out_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `make run` first")
    if max_points < 1:
        raise ValueError(f"max_points must be positive, got {max_points}")
    with duckdb.connect(str(db_path), read_only=True) as con:
        report = _Report(con, max_points=max_points, seed=random_state)
        facts = report.header_facts()
        builders = report.builders()
        sections = []
        for section in REPORT_SECTIONS:
            section_started = time.perf_counter()
            # one note per missing table and section, however many charts need it
            parts = dict.fromkeys(_guarded(build) for build in builders[section.anchor])
            html = "".join(parts)
            sections.append((section, html))
            if progress is not None:
                seconds = time.perf_counter() - section_started
                progress(f"{section.title}: {seconds:.2f} s")
    page = _page(db_path, facts, sections)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    partial.write_text(page, encoding="utf-8")
    partial.replace(out_path)
    return out_path
