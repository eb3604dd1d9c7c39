"""The report's money, for the marketer: what contacting the recommended people is
expected to earn (customer_actions), what the last campaign returned per segment and
what each contact policy earns on the held-out customers (campaign_economics), and
the uplift last month's campaign measured against its control group
(campaign_readout). Pure functions, frames in, readings or a tables.Table out (None
for a table with nothing to show); queries/money.py reads the frames."""

from __future__ import annotations

import pandas as pd

from customer_personality.report.charts import segment_order
from customer_personality.report.tables import Table
from customer_personality.report.text import isna, num, pvalue

ALL = "All"
POLICY_LABELS = {
    "everyone": "Contact everyone",
    "rfm_top_k": "RFM score, as many contacts as the model",
    "model": "Response model: expected profit above 0",
    "perfect": "Perfect: the responders only",
}
NOT_CONTACTED = "Not contacted: "


def count(value: float) -> str:
    return f"{value:,.0f}"


def roi(value: float) -> str:
    """A return on the money spent, as a signed percentage."""
    return "n/a" if isna(value) else f"{value:+.0%}"


def points(value: float, unit: str = "") -> str:
    """A difference of two response rates, in percentage points."""
    return f"{value * 100:+.1f}" + (f" {unit}" if unit else "")


def result(value: float) -> str:
    """A profit, a loss said as one."""
    return f"a profit of {num(value)}" if value >= 0 else f"a loss of {num(-value)}"


def earns(value: float) -> str:
    """What a policy earns, a loss said as one."""
    return f"earns {num(value)}" if value >= 0 else f"loses {num(-value)}"


def people(value: int) -> str:
    return f"{value:,} {'person' if value == 1 else 'people'}"


def _held_out(controls: int) -> str:
    if not controls:
        return (
            "no one is held out as a control group, so next month's export cannot "
            "measure the uplift"
        )
    return (
        f"{controls:,} more {'is' if controls == 1 else 'are'} held out as a control "
        "group to measure the uplift next month"
    )


def plan_readings(plan: pd.Series, others: pd.DataFrame, why: str | None) -> list[str]:
    """What contacting the people customer_actions selects (contact) is expected to
    earn net of their contact costs, how many are held out as a control group
    (is_control) and why the others are not contacted (queries.campaign_plan); when
    the build has no contact economics (no expected_profit) it says so, with why."""
    contacts, controls = int(plan["contacts"]), int(plan["controls"])
    if not plan["priced"]:
        why = why or (
            "give vars cost_per_contact and revenue_per_response, or map them in the "
            "input contract"
        )
        lines = [
            f"Contacting {people(contacts)}: their expected profit is not known, as "
            f"the build has no contact economics ({why}); {_held_out(controls)}."
        ]
    elif not contacts:
        lines = [f"No one is worth contacting in this campaign; {_held_out(controls)}."]
    else:
        profit, cost = float(plan["expected_profit"]), float(plan["cost"])
        earn = f"earn {num(profit)}" if profit >= 0 else f"lose {num(-profit)}"
        lines = [
            f"Contacting {people(contacts)} (about "
            f"{count(plan['expected_responders'])} expected to respond) is expected to "
            f"{earn} net of {num(cost)} in contact costs; {_held_out(controls)}."
        ]
    if not others.empty:
        total = int(others["people"].sum())
        reasons = [
            str(row.contact_reason).removeprefix(NOT_CONTACTED)
            + (f" ({int(row.people):,})" if len(others) > 1 else "")
            for row in others.itertuples(index=False)
        ]
        lines.append(
            f"The other {people(total)} {'is' if total == 1 else 'are'} not "
            f"contacted: {'; '.join(reasons)}."
        )
    return lines


def _money_formats() -> dict:
    return {
        "customers": count,
        "contacts": count,
        "responders": count,
        "cost": num,
        "revenue": num,
        "profit": num,
        "roi": roi,
    }


def segment_roi(economics: pd.DataFrame, definitions: pd.DataFrame) -> Table | None:
    """The last campaign's return per segment (campaign_economics, analysis
    last_campaign), in the seed's order, All last; the reading gives the total and
    the segments whose contacts paid back."""
    data = economics[economics["analysis"] == "last_campaign"]
    if data.empty:
        return None
    names = segment_order([n for n in data["group_name"] if n != ALL], definitions)
    data = data.set_index("group_name").reindex([*names, ALL]).dropna(how="all")
    frame = data.reset_index().rename(columns={"group_name": "segment"})
    frame = frame[
        ["segment", "contacts", "responders", "cost", "revenue", "profit", "roi"]
    ]
    segments = frame[frame["segment"] != ALL]
    paid = segments[segments["profit"] > 0]
    gains = ", ".join(
        f"{row.segment} (ROI {roi(row.roi)})" for row in paid.itertuples(index=False)
    )
    if paid.empty:
        back = "no segment paid back its contacts"
    elif len(paid) == len(segments):
        back = "the contacts paid back in every segment"
    else:
        back = f"the contacts paid back only in {gains}"
    if ALL in data.index:
        total = data.loc[ALL]
        reading = (
            f"The last campaign contacted {count(total['contacts'])} customers: it "
            f"cost {num(total['cost'])} and brought {num(total['revenue'])} from "
            f"{count(total['responders'])} responders, {result(total['profit'])} "
            f"(ROI {roi(total['roi'])}); {back}."
        )
    else:
        reading = f"The last campaign per segment: {back}."
    return Table(
        frame,
        _money_formats(),
        reading,
        heading="The last campaign's return on its contacts, by segment",
    )


def holdout_policies(economics: pd.DataFrame) -> Table | None:
    """What each contact policy earns on the customers held out of the response
    model's fit (campaign_economics, analysis holdout_policy), and its share of the
    perfect ranking's profit; the reading compares the model with the others."""
    data = economics[economics["analysis"] == "holdout_policy"]
    if data.empty:
        return None
    order = [name for name in POLICY_LABELS if name in set(data["group_name"])]
    order += sorted(set(data["group_name"]) - set(order))
    data = data.set_index("group_name").reindex(order)
    frame = data.reset_index()
    frame["policy"] = frame["group_name"].map(lambda name: POLICY_LABELS.get(name, name))
    columns = ["contacts", "responders", "cost", "revenue", "profit", "roi"]
    frame = frame[["policy", *columns, "share_of_perfect"]]
    formats = {**_money_formats(), "share_of_perfect": "{:.0%}".format}
    parts = []
    if "model" in data.index:
        model = data.loc["model"]
        line = (
            f"On the {count(model['customers'])} customers held out of the response "
            f"model's fit, contacting the {count(model['contacts'])} with an expected "
            f"profit above 0 {earns(model['profit'])}"
        )
        if "perfect" in data.index and not isna(model["share_of_perfect"]):
            line += (
                f", {model['share_of_perfect']:.0%} of the "
                f"{num(data.loc['perfect', 'profit'])} a perfect ranking would"
            )
        parts.append(line)
    if "rfm_top_k" in data.index:
        rfm = data.loc["rfm_top_k"]
        parts.append(
            f"contacting the {count(rfm['contacts'])} best by RFM score instead "
            f"{earns(rfm['profit'])}"
        )
    if "everyone" in data.index:
        parts.append(f"contacting everyone {earns(data.loc['everyone', 'profit'])}")
    reading = "; ".join(parts) + "." if parts else ""
    return Table(
        frame,
        formats,
        reading[:1].upper() + reading[1:],
        heading="Whom to contact: four policies on the held-out customers",
    )


def _yes(value) -> bool:
    """A boolean of the warehouse, NULL as false."""
    return not isna(value) and bool(value)


def _interval(row, unit: str = "") -> str | None:
    """The uplift's 95% interval, in percentage points."""
    if isna(row["uplift_ci_lower"]) or isna(row["uplift_ci_upper"]):
        return None
    return f"{points(row['uplift_ci_lower'])} to {points(row['uplift_ci_upper'], unit)}"


def readout_readings(readout: pd.DataFrame) -> list[str]:
    """The uplift last month's campaign measured (campaign_readout's overall row):
    the response of the people contacted against the control group's, the uplift
    with its 95% interval and p-value, and what it earned; without rows, when it
    will be measured."""
    overall = readout[readout["level"] == "overall"]
    if overall.empty:
        return [
            "The uplift of this campaign will be measured against its control group "
            "when next month's export is built (make run RAW=... "
            "SEGMENT_MODEL=published): campaign_readout holds no rows yet."
        ]
    row = overall.iloc[0]
    dates = (
        f"Last month's campaign (snapshot {row['campaign_snapshot_date']}, read in the "
        f"export of {row['readout_snapshot_date']})"
    )
    if isna(row["uplift"]):
        lines = [
            f"{dates}: {people(int(row['contacted']))} contacted were found again, "
            f"{int(row['control']):,} of the control group: no uplift can be measured."
        ]
    else:
        lines = [
            f"{dates}: {row['contacted_response_rate']:.0%} of the "
            f"{int(row['contacted']):,} people contacted responded, against "
            f"{row['control_response_rate']:.0%} of the {int(row['control']):,} held "
            f"out as control: an uplift of {points(row['uplift'], 'points')} (95% "
            f"interval {_interval(row, 'points')}, p = {pvalue(row['p_value'])})."
        ]
        gained = (
            f"about {count(row['incremental_responders'])} extra responders and an "
            f"incremental profit of {num(row['incremental_profit'])}"
        )
        if _yes(row["is_significant"]):
            lines.append(f"The uplift is significant: the campaign brought {gained}.")
        else:
            detectable = row["minimum_detectable_uplift"]
            smallest = (
                " (these group sizes detect an uplift of "
                f"{detectable * 100:.1f} points or more)"
                if not isna(detectable)
                else ""
            )
            lines.append(
                f"The uplift is not significant at the 5% level{smallest}; taken at "
                f"face value the campaign brought {gained}."
            )
    lost = int(row["customers_lost"])
    if lost:
        lines.append(
            f"{people(lost).capitalize()} contacted or held out last month "
            f"{'is' if lost == 1 else 'are'} not in this export."
        )
    return lines


def readout_segments(readout: pd.DataFrame, definitions: pd.DataFrame) -> Table | None:
    """The measured uplift per segment of last month (campaign_readout's segment
    rows, in the seed's order, All last); None before any readout."""
    if readout.empty:
        return None
    data = readout.assign(
        segment=readout["segment"].where(readout["level"] != "overall", ALL)
    )
    names = segment_order([n for n in data["segment"] if n != ALL], definitions)
    data = data.set_index("segment").reindex([*names, ALL]).dropna(how="all")
    data = data.reset_index()
    data["uplift_interval"] = [_interval(row) for _, row in data.iterrows()]
    data["significant"] = [
        None if isna(value) else ("yes" if _yes(value) else "no")
        for value in data["is_significant"]
    ]
    frame = data[
        [
            "segment",
            "contacted",
            "contacted_response_rate",
            "control",
            "control_response_rate",
            "uplift",
            "uplift_interval",
            "p_value",
            "significant",
            "incremental_responders",
            "incremental_profit",
        ]
    ]
    rate = "{:.0%}".format
    formats = {
        "contacted": count,
        "control": count,
        "contacted_response_rate": rate,
        "control_response_rate": rate,
        "uplift": points,
        "p_value": pvalue,
        "incremental_responders": "{:,.1f}".format,
        "incremental_profit": num,
    }
    segments = data[data["segment"] != ALL]
    found = segments[segments["significant"] == "yes"]["segment"].tolist()
    reading = (
        f"Significant at the 5% level in {', '.join(found)}"
        if found
        else "No segment's uplift is significant at the 5% level"
    )
    reading += "; per segment and action in the table campaign_readout."
    return Table(frame, formats, reading, heading="The measured uplift, by segment")
