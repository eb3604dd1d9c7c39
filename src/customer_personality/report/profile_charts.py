"""The report's figures of segment profiles and of the customers' features: one pure
function per chart, frames in, (plotly figure, one-line reading) out.

profiles is segment_profiles of the named segments indexed by segment; its sizes,
means, medians, shares and rates are drawn and read as the mart holds them.
definitions is the seed segment_definitions (segment, segment_order, colour).
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from customer_personality.report.charts import Chart, segment_colours, segment_order
from customer_personality.report.text import KEY_FEATURES, LABELS, label, num
from customer_personality.report.warehouse import MissingData


def _ordered(profiles: pd.DataFrame, definitions: pd.DataFrame) -> pd.DataFrame:
    return profiles.loc[segment_order(list(profiles.index), definitions)]


def _prefixed(frame: pd.DataFrame, prefix: str) -> list[str]:
    return [name for name in frame.columns if name.startswith(prefix)]


# The radar's names of segment_profiles' means; any other mean_<feature> the input
# gives is drawn too, named by its label.
RADAR_AXES = {
    "mean_income": "Income",
    "mean_spending": "Spending",
    "mean_seniority_months": "Seniority",
    "mean_age": "Age",
    "mean_children": "Children",
}


def profile_radar(profiles: pd.DataFrame, definitions: pd.DataFrame) -> Chart:
    """Each segment's means (every mean_<feature> of the mart, the mean campaign
    acceptance and the deal share when the input has them) on axes scaled from the
    lowest to the highest segment."""
    data = _ordered(profiles, definitions)
    colours = segment_colours(definitions)
    axes = {
        RADAR_AXES.get(name, label(name.removeprefix("mean_"))): data[name]
        for name in _prefixed(data, "mean_")
    }
    acceptance = _prefixed(data, "acceptance_rate_")
    if acceptance:
        axes["Campaign acceptance"] = data[acceptance].mean(axis=1)
    if "purchase_share_deal" in data:
        axes["Deal purchases"] = data["purchase_share_deal"]
    if not axes:
        raise MissingData("segment_profiles has no mean_* column.")
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
                line={"color": colours.get(segment)},
            )
        )
    fig.update_layout(
        title="Segment profiles (each axis runs from the lowest to the highest "
        "segment mean; hover for values)",
        polar={"radialaxis": {"range": [0, 1], "showticklabels": False}},
    )
    leaders = [f"{axis.lower()} {raw[axis].idxmax()}" for axis in names]
    return fig, "Highest mean per axis: " + ", ".join(leaders) + "."


def profile_bar(
    profiles: pd.DataFrame, definitions: pd.DataFrame, column: str, title: str, axis: str
) -> Chart:
    """One column of segment_profiles as a bar per segment."""
    if column not in profiles:
        raise MissingData(f"segment_profiles has no {column} column.")
    values = _ordered(profiles, definitions)[column]
    colours = segment_colours(definitions)
    fig = go.Figure(
        go.Bar(
            x=list(values.index),
            y=values,
            marker_color=[colours.get(name, "#888") for name in values.index],
            text=[num(value) for value in values],
            textposition="outside",
        )
    )
    fig.update_layout(title=title, xaxis_title="Segment", yaxis_title=axis)
    reading = (
        f"{values.idxmax()} have the highest {axis.lower()} ({num(values.max())}), "
        f"{values.idxmin()} the lowest ({num(values.min())})."
    )
    return fig, reading


def profile_income(profiles: pd.DataFrame, definitions: pd.DataFrame) -> Chart:
    return profile_bar(
        profiles, definitions, "mean_income", "Mean income per segment", "Mean income"
    )


def profile_spending(profiles: pd.DataFrame, definitions: pd.DataFrame) -> Chart:
    return profile_bar(
        profiles,
        definitions,
        "mean_spending",
        "Mean spending per segment",
        "Mean spending",
    )


def mix(
    profiles: pd.DataFrame,
    definitions: pd.DataFrame,
    prefix: str,
    title: str,
    axis: str,
    stacked: bool,
    unit: str = "Segment",
) -> Chart:
    """The shares of profiles named prefix*, a bar per share and segment (or cluster:
    unit names the rows of profiles)."""
    data = _ordered(profiles, definitions)
    columns = _prefixed(data, prefix)
    if not columns:
        raise MissingData(f"{unit.lower()} profiles have no {prefix}* column.")
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
        xaxis_title=unit,
        yaxis_title=axis,
        yaxis_tickformat=".0%",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    top = data[columns].idxmax(axis=1).str.removeprefix(prefix).str.replace("_", " ")
    if top.nunique() == 1:
        share = data[columns].max(axis=1)
        reading = (
            f"{top.iloc[0].capitalize()} has the largest share in every {unit.lower()} "
            f"({share.min():.0%} to {share.max():.0%})"
        )
    else:
        reading = "Largest: " + ", ".join(
            f"{segment} {top[segment]} ({data.loc[segment, columns].max():.0%})"
            for segment in data.index
        )
    return fig, reading + "."


def product_mix(profiles: pd.DataFrame, definitions: pd.DataFrame) -> Chart:
    title = "Product mix: share of spending per product"
    return mix(profiles, definitions, "spend_share_", title, "Share of spending", True)


def channel_mix(profiles: pd.DataFrame, definitions: pd.DataFrame) -> Chart:
    title = "Channel mix: share of purchases per channel (deals overlap the channels)"
    return mix(
        profiles, definitions, "purchase_share_", title, "Share of purchases", False
    )


def campaign_acceptance(
    profiles: pd.DataFrame, definitions: pd.DataFrame, unit: str = "Segment"
) -> Chart:
    """Each campaign's acceptance rate per segment (acceptance_rate_* of the mart;
    per cluster with unit "Cluster")."""
    data = _ordered(profiles, definitions)
    colours = segment_colours(definitions)
    columns = _prefixed(data, "acceptance_rate_")
    if not columns:
        raise MissingData(f"{unit.lower()} profiles have no acceptance_rate_* column.")
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
                marker_color=colours.get(segment),
            )
        )
    fig.update_layout(
        title=f"Campaign acceptance rate per {unit.lower()}",
        barmode="group",
        xaxis_title="Campaign",
        yaxis_title="Acceptance rate",
        yaxis_tickformat=".0%",
    )
    mean = data[columns].mean(axis=1)
    best = mean.idxmax()
    best_campaign = data.loc[best, columns].astype(float).idxmax()
    accept = "accept" if unit == "Segment" else "accepts"  # Stars accept, cluster 2 ...
    reading = (
        f"{best[:1].upper()}{best[1:]} {accept} most often (mean {mean.max():.0%} per "
        "campaign, "
        f"{data.loc[best, best_campaign]:.0%} on "
        f"{best_campaign.removeprefix('acceptance_rate_').replace('_', ' ')}); "
        f"{mean.idxmin()} least ({mean.min():.0%})."
    )
    return fig, reading


def feature_strips(
    sample: pd.DataFrame, profiles: pd.DataFrame, definitions: pd.DataFrame
) -> Chart:
    """The key features of the sampled customers per segment, a dot each; the
    reading gives each segment's median spending (segment_profiles)."""
    long = sample.melt(
        id_vars=["customer_id", "segment"],
        value_vars=list(KEY_FEATURES),
        var_name="feature",
    )
    long["feature"] = long["feature"].map(label)
    fig = px.strip(
        long,
        x="segment",
        y="value",
        color="segment",
        facet_col="feature",
        facet_col_wrap=2,
        facet_row_spacing=0.12,
        category_orders={
            "segment": segment_order(list(sample["segment"].unique()), definitions),
            "feature": [label(name) for name in KEY_FEATURES],
        },
        color_discrete_map=segment_colours(definitions),
        hover_data=["customer_id"],
        title="Key features per segment (one dot per customer)",
        labels={"segment": "Segment", "value": "Value"},
    )
    fig.update_traces(marker={"size": 3, "opacity": 0.5}, jitter=0.8)
    fig.update_yaxes(matches=None, showticklabels=True, title_text="")
    fig.update_xaxes(title_text="")
    fig.for_each_annotation(lambda note: note.update(text=note.text.split("=")[-1]))
    medians = _ordered(profiles, definitions)["median_spending"]
    reading = (
        "Median spending: "
        + ", ".join(f"{name} {num(value)}" for name, value in medians.items())
        + f" ({len(sample):,} customers drawn)."
    )
    return fig, reading


def histograms(bins: pd.DataFrame) -> Chart:
    """A histogram per feature of bins (feature, center, width, customers, median,
    skew: queries.feature_histograms), in its order, two per row."""
    features = list(dict.fromkeys(bins["feature"]))
    rows = max(1, (len(features) + 1) // 2)
    fig = make_subplots(
        rows=rows,
        cols=2,
        subplot_titles=[label(name) for name in features],
        vertical_spacing=min(0.15, 0.6 / rows),
    )
    readings = []
    for index, feature in enumerate(features):
        counts = bins[bins["feature"] == feature]
        if counts.empty:
            continue
        row, col = index // 2 + 1, index % 2 + 1
        fig.add_trace(
            go.Bar(
                x=counts["center"],
                y=counts["customers"],
                width=counts["width"].iloc[0] * 0.95,
                name=label(feature),
                showlegend=False,
                marker_color="#457b9d",
            ),
            row=row,
            col=col,
        )
        fig.update_xaxes(title_text=label(feature), row=row, col=col)
        fig.update_yaxes(title_text="Customers", row=row, col=col)
        skew = counts["skew"].iloc[0]
        shape = ""
        if not pd.isna(skew) and abs(skew) >= 0.5:
            shape = ", right-skewed" if skew > 0 else ", left-skewed"
        readings.append(
            f"{label(feature).lower()} median {num(counts['median'].iloc[0])}{shape}"
        )
    fig.update_layout(title="Distributions of the key features (all customers)")
    return fig, "; ".join(readings).capitalize() + "."


def correlations(matrix: pd.DataFrame) -> Chart:
    """The Pearson correlation matrix of the customers' features as a heat map."""
    labels = [label(name) for name in matrix.columns]
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
    features = list(matrix.columns)
    pairs = [
        (matrix.loc[a, b], a, b)
        for i, a in enumerate(features)
        for b in features[i + 1 :]
        if not pd.isna(matrix.loc[a, b]) and matrix.loc[a, b]
    ]
    if not pairs:
        return fig, ""
    ranked = sorted(pairs, key=lambda item: item[0])
    top, low = ranked[-1], ranked[0]
    reading = (
        f"Strongest positive: {label(top[1]).lower()} and {label(top[2]).lower()} "
        f"(r = {top[0]:.2f}); most negative: {label(low[1]).lower()} and "
        f"{label(low[2]).lower()} (r = {low[0]:.2f})."
    )
    return fig, reading


def spending_income(
    sample: pd.DataFrame,
    correlation: float,
    profiles: pd.DataFrame,
    definitions: pd.DataFrame,
) -> Chart:
    """Spending against income of the sampled customers, coloured by segment; the
    reading compares the segments' mean spending (segment_profiles)."""
    fig = px.scatter(
        sample,
        x="income",
        y="spending",
        color="segment",
        color_discrete_map=segment_colours(definitions),
        category_orders={
            "segment": segment_order(list(sample["segment"].unique()), definitions)
        },
        hover_data=["customer_id", "seniority_months"],
        opacity=0.6,
        title="Spending against income per segment",
        labels={**LABELS, "segment": "Segment"},
    )
    fig.update_traces(marker={"size": 5})
    means = profiles["mean_spending"]
    reading = f"Spending rises with income (r = {correlation:.2f}, all customers)"
    if len(means) > 1 and means.min() > 0:
        reading += (
            f"; {means.idxmax()} spend {means.max() / means.min():.1f}× as much as "
            f"{means.idxmin()} on average"
        )
    return fig, reading + f" ({len(sample):,} customers drawn)."
