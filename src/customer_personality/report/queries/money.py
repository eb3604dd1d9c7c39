"""The campaign's money: the expected profit of the people customer_actions
contacts and of its control group, the return of the last campaign per segment and
of the contact policies on the held-out customers (campaign_economics), and the
uplift last month's campaign measured against its control group (campaign_readout)."""

from __future__ import annotations

import pandas as pd

from customer_personality.report.warehouse import MissingData, Warehouse

# What build_info's skipped section names when the build has no contact economics:
# the column left NULL, and the mart not built.
NO_ECONOMICS = ("customer_actions.expected_profit", "campaign_economics")


def campaign_plan(wh: Warehouse) -> tuple[pd.Series, pd.DataFrame, str | None]:
    """customer_actions summed: people, contacts (contact), controls (is_control),
    priced (people with an expected_profit), and over the contacts their
    expected_profit, cost (cost_per_contact) and expected responders (the sum of
    response_probability); the people neither contacted nor held out per
    contact_reason (contact_reason, people); and why the build has no expected
    profit ("<name> <reason>" of the first of NO_ECONOMICS build_info's skipped
    section names, None when it names neither)."""
    wh.need(
        "customer_actions",
        "response_probability",
        "cost_per_contact",
        "expected_profit",
        "is_control",
        "contact",
        "contact_reason",
    )
    plan = wh.frame(
        "select count(*) as people, "
        "count(*) filter (where contact) as contacts, "
        "count(*) filter (where is_control) as controls, "
        "count(expected_profit) as priced, "
        "sum(expected_profit) filter (where contact) as expected_profit, "
        "sum(cost_per_contact) filter (where contact) as cost, "
        "sum(response_probability) filter (where contact) as expected_responders "
        "from customer_actions"
    ).iloc[0]
    if plan["people"] == 0:
        raise MissingData("The table customer_actions holds no rows.")
    others = wh.frame(
        "select contact_reason, count(*) as people from customer_actions "
        "where not contact and not is_control "
        "group by contact_reason order by people desc, contact_reason"
    )
    why = next(
        (f"{name} {wh.skipped[name]}" for name in NO_ECONOMICS if name in wh.skipped),
        None,
    )
    return plan, others, why


def campaign_economics(wh: Warehouse) -> pd.DataFrame:
    """campaign_economics: analysis (last_campaign, holdout_policy), group_name (a
    segment or All; a policy: everyone, rfm_top_k, model, perfect), customers,
    contacts, responders, cost, revenue, profit, roi, share_of_perfect."""
    wh.need(
        "campaign_economics",
        "analysis",
        "group_name",
        "customers",
        "contacts",
        "responders",
        "cost",
        "revenue",
        "profit",
        "roi",
        "share_of_perfect",
    )
    data = wh.frame(
        "select analysis, group_name, customers, contacts, responders, cost, "
        "revenue, profit, roi, share_of_perfect from campaign_economics "
        "order by analysis, group_name"
    )
    if data.empty:
        raise MissingData("The table campaign_economics holds no rows.")
    return data


# What the report reads of campaign_readout, besides its two snapshot dates.
READOUT_COLUMNS = (
    "level",
    "segment",
    "contacted",
    "contacted_responders",
    "contacted_response_rate",
    "control",
    "control_responders",
    "control_response_rate",
    "uplift",
    "uplift_ci_lower",
    "uplift_ci_upper",
    "p_value",
    "is_significant",
    "minimum_detectable_uplift",
    "incremental_responders",
    "incremental_profit",
    "customers_lost",
)


def campaign_readout(wh: Warehouse) -> pd.DataFrame:
    """campaign_readout's overall and segment rows (no rows before a previous
    month's snapshot with a campaign): segment (All overall), the snapshot dates,
    contacted and control customers, their responders and response rates, the
    uplift with its 95% interval, p_value, is_significant,
    minimum_detectable_uplift, incremental_responders, incremental_profit and
    customers_lost."""
    wanted = list(READOUT_COLUMNS)
    wh.need(
        "campaign_readout", *wanted, "campaign_snapshot_date", "readout_snapshot_date"
    )
    return wh.frame(
        f"select {', '.join(wanted)}, "
        "campaign_snapshot_date::varchar as campaign_snapshot_date, "
        "readout_snapshot_date::varchar as readout_snapshot_date "
        "from campaign_readout where level in ('overall', 'segment') "
        "order by level, segment"
    )
