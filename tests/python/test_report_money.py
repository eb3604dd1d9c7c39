"""The report's money section (customer_personality.report.money and
queries/money.py): what the recommended contacts are expected to earn, with and
without contact economics, the last campaign's return per segment and the contact
policies (campaign_economics), and the uplift campaign_readout measured, or when it
will be; on hand-made frames, then in the report of small hand-made warehouses
(no dbt), with the marts present, not built (build_info's skipped section) or
missing (an older build)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_personality.report import money, queries, write_report
from customer_personality.report.queries import money as money_queries
from customer_personality.report.warehouse import Warehouse
from customer_personality.warehouse import connect
from helpers.report import definitions_frame, section_html

WORTHLESS = "Not contacted: not worth its cost (expected profit at most 0)"
OVER_BUDGET = "Not contacted: over the budget"
NO_ECONOMICS = (
    "needs cost_per_contact, revenue_per_response; neither the input contract maps "
    "them nor var cost_per_contact / var revenue_per_response gives them: every "
    "person is contacted but the control group"
)
ECONOMICS_NOT_BUILT = (
    "needs income, enrolled_on, products, recency_days, channels, deal_purchases, "
    "has_complained, accepted_last_campaign, cost_per_contact, revenue_per_response; "
    "the input contract does not map cost_per_contact, revenue_per_response (nor var "
    "cost_per_contact / var revenue_per_response gives it)"
)


# ------------------------------------------------------------------ hand-made frames
def plan_series(**values) -> pd.Series:
    plan = {
        "people": 2000,
        "contacts": 353,
        "controls": 39,
        "priced": 2000,
        "expected_profit": 1234.4,
        "cost": 1059.0,
        "expected_responders": 96.3,
    }
    return pd.Series(plan | values)


def others_frame(*rows: tuple[str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["contact_reason", "people"])


def economics_frame() -> pd.DataFrame:
    """campaign_economics as the real file's build holds it (rows by name)."""
    rows = [
        ("last_campaign", "All", 2212, 2212, 390, 6636.0, 4290.0, -2346.0, None),
        ("last_campaign", "High potential", 458, 458, 67, 1374.0, 737.0, -637.0, None),
        ("last_campaign", "Leaky bucket", 583, 583, 109, 1749.0, 1199.0, -550.0, None),
        ("last_campaign", "Need attention", 635, 635, 49, 1905.0, 539.0, -1366.0, None),
        ("last_campaign", "Stars", 536, 536, 165, 1608.0, 1815.0, 207.0, None),
        ("holdout_policy", "everyone", 652, 652, 119, 1956.0, 1309.0, -647.0, -0.6796),
        ("holdout_policy", "model", 652, 159, 86, 477.0, 946.0, 469.0, 0.4926),
        ("holdout_policy", "perfect", 652, 119, 119, 357.0, 1309.0, 952.0, 1.0),
        ("holdout_policy", "rfm_top_k", 652, 159, 55, 477.0, 605.0, 128.0, 0.1345),
    ]
    columns = [
        "analysis",
        "group_name",
        "customers",
        "contacts",
        "responders",
        "cost",
        "revenue",
        "profit",
        "share_of_perfect",
    ]
    data = pd.DataFrame(rows, columns=columns)
    data["roi"] = data["profit"] / data["cost"]
    return data


READOUT_COLUMNS = [
    *money_queries.READOUT_COLUMNS,
    "campaign_snapshot_date",
    "readout_snapshot_date",
]
# level, segment, contacted (responders), control (responders), uplift interval,
# p-value, significant, minimum detectable uplift, incremental profit, lost
READOUT_ROWS = [
    ("overall", "All", 353, 245, 39, 22, -0.033, 0.293, 0.098, False, 0.22, -554.4, 2),
    ("segment", "Leaky bucket", 200, 132, 22, 12, -0.2, 0.4, 0.5, False, 0.4, -194, 2),
    ("segment", "Stars", 153, 113, 17, 10, 0.0301, 0.2706, 0.021, True, 0.32, 96.2, 0),
]


def readout_frame(rows=READOUT_ROWS) -> pd.DataFrame:
    """campaign_readout's overall and segment rows, as queries.campaign_readout
    reads them."""
    records = []
    for level, segment, sent, sent_yes, held, held_yes, *rest in rows:
        lower, upper, p_value, significant, detectable, profit, lost = rest
        sent_rate, held_rate = sent_yes / sent, (held_yes / held if held else np.nan)
        uplift = sent_rate - held_rate
        records.append(
            (level, segment, sent, sent_yes, sent_rate, held, held_yes, held_rate)
            + (uplift, lower, upper, p_value, significant, detectable)
            + (uplift * sent, profit, lost, "2014-07-01", "2014-08-01")
        )
    return pd.DataFrame(records, columns=READOUT_COLUMNS)


# ---------------------------------------------------------------- the money text
def test_plan_says_what_the_contacts_earn_net_of_their_cost():
    lines = money.plan_readings(plan_series(), others_frame((WORTHLESS, 1608)), None)
    assert lines == [
        "Contacting 353 people (about 96 expected to respond) is expected to earn "
        "1,234 net of 1,059 in contact costs; 39 more are held out as a control group "
        "to measure the uplift next month.",
        "The other 1,608 people are not contacted: not worth its cost (expected "
        "profit at most 0).",
    ]


def test_plan_says_a_loss_several_reasons_and_no_control_group():
    plan = plan_series(expected_profit=-40.0, controls=0, contacts=1)
    others = others_frame((WORTHLESS, 5), (OVER_BUDGET, 2))
    first, second = money.plan_readings(plan, others, None)
    assert "Contacting 1 person (about 96 expected to respond) is expected to " in first
    assert "to lose 40 net of 1,059 in contact costs" in first
    assert first.endswith(
        "; no one is held out as a control group, so next month's export cannot "
        "measure the uplift."
    )
    assert second == (
        "The other 7 people are not contacted: not worth its cost (expected profit at "
        "most 0) (5); over the budget (2)."
    )


def test_plan_without_economics_says_the_profit_is_not_known_and_why():
    plan = plan_series(
        priced=0, expected_profit=np.nan, cost=np.nan, contacts=1800, controls=200
    )
    why = f"customer_actions.expected_profit {NO_ECONOMICS}"
    lines = money.plan_readings(plan, others_frame(), why)
    assert lines == [
        "Contacting 1,800 people: their expected profit is not known, as the build has "
        f"no contact economics ({why}); 200 more are held out as a control group to "
        "measure the uplift next month."
    ]
    (unsaid,) = money.plan_readings(plan, others_frame(), None)
    assert "(give vars cost_per_contact and revenue_per_response, or map them" in unsaid
    assert "earn" not in unsaid


def test_plan_with_no_one_worth_contacting():
    plan = plan_series(contacts=0, expected_profit=np.nan, cost=np.nan, controls=0)
    lines = money.plan_readings(plan, others_frame((WORTHLESS, 2000)), None)
    assert lines[0].startswith("No one is worth contacting in this campaign; no one")
    assert lines[1] == (
        "The other 2,000 people are not contacted: not worth its cost (expected "
        "profit at most 0)."
    )


# ------------------------------------------------------------ return on contacts
def test_segment_roi_table_in_the_seeds_order_all_last():
    table = money.segment_roi(economics_frame(), definitions_frame())
    assert list(table.frame.columns) == [
        "segment",
        "contacts",
        "responders",
        "cost",
        "revenue",
        "profit",
        "roi",
    ]
    assert list(table.frame["segment"]) == [
        "Stars",
        "High potential",
        "Leaky bucket",
        "Need attention",
        "All",
    ]
    stars = table.frame.iloc[0]
    assert (stars["contacts"], stars["responders"], stars["profit"]) == (536, 165, 207)
    assert table.formats["roi"](stars["roi"]) == "+13%"
    assert table.formats["roi"](table.frame.iloc[-1]["roi"]) == "-35%"
    assert table.formats["cost"](6636.0) == "6,636"
    assert table.reading == (
        "The last campaign contacted 2,212 customers: it cost 6,636 and brought 4,290 "
        "from 390 responders, a loss of 2,346 (ROI -35%); the contacts paid back only "
        "in Stars (ROI +13%)."
    )
    assert table.heading == "The last campaign's return on its contacts, by segment"


def test_segment_roi_when_every_or_no_segment_paid_back():
    economics = economics_frame()
    last = economics["analysis"] == "last_campaign"
    losing = economics.assign(profit=economics["profit"].where(~last, -1.0))
    table = money.segment_roi(losing, definitions_frame())
    assert table.reading.endswith("; no segment paid back its contacts.")
    assert "a loss of 1 (ROI" in table.reading
    paying = economics.assign(profit=economics["profit"].where(~last, 10.0))
    assert money.segment_roi(paying, definitions_frame()).reading.endswith(
        "a profit of 10 (ROI -35%); the contacts paid back in every segment."
    )
    holdout = economics[~last]
    assert money.segment_roi(holdout, definitions_frame()) is None


def test_holdout_policies_table_and_the_share_of_the_perfect_profit():
    table = money.holdout_policies(economics_frame())
    assert list(table.frame["policy"]) == [
        "Contact everyone",
        "RFM score, as many contacts as the model",
        "Response model: expected profit above 0",
        "Perfect: the responders only",
    ]
    assert list(table.frame["profit"]) == [-647.0, 128.0, 469.0, 952.0]
    assert list(table.frame.columns)[-2:] == ["roi", "share_of_perfect"]
    assert [
        table.formats["share_of_perfect"](v) for v in table.frame["share_of_perfect"]
    ] == ["-68%", "13%", "49%", "100%"]
    assert table.reading == (
        "On the 652 customers held out of the response model's fit, contacting the "
        "159 with an expected profit above 0 earns 469, 49% of the 952 a perfect "
        "ranking would; contacting the 159 best by RFM score instead earns 128; "
        "contacting everyone loses 647."
    )
    last = economics_frame().query("analysis == 'last_campaign'")
    assert money.holdout_policies(last) is None


# --------------------------------------------------------------- measured uplift
def test_readout_absent_says_when_the_uplift_will_be_measured():
    empty = readout_frame([])
    assert money.readout_readings(empty) == [
        "The uplift of this campaign will be measured against its control group when "
        "next month's export is built (make run RAW=... SEGMENT_MODEL=published): "
        "campaign_readout holds no rows yet."
    ]
    assert money.readout_segments(empty, definitions_frame()) is None


def test_readout_present_gives_the_overall_uplift_and_its_interval():
    lines = money.readout_readings(readout_frame())
    assert lines == [
        "Last month's campaign (snapshot 2014-07-01, read in the export of "
        "2014-08-01): 69% of the 353 people contacted responded, against 56% of the "
        "39 held out as control: an uplift of +13.0 points (95% interval -3.3 to "
        "+29.3 points, p = 0.098).",
        "The uplift is not significant at the 5% level (these group sizes detect an "
        "uplift of 22.0 points or more); taken at face value the campaign brought "
        "about 46 extra responders and an incremental profit of -554.",
        "2 people contacted or held out last month are not in this export.",
    ]
    significant = readout_frame([("overall", "All", *READOUT_ROWS[2][2:])])
    assert money.readout_readings(significant)[1] == (
        "The uplift is significant: the campaign brought about 23 extra responders "
        "and an incremental profit of 96.2."
    )
    no_control = readout_frame(
        [("overall", "All", 10, 5, 0, 0, *[None] * 3, None) + (None, 0.0, 0)]
    )
    (line,) = money.readout_readings(no_control)
    assert line.endswith(
        "10 people contacted were found again, 0 of the control group: no uplift can "
        "be measured."
    )


def test_readout_segments_table():
    table = money.readout_segments(readout_frame(), definitions_frame())
    frame = table.frame
    assert list(frame["segment"]) == ["Stars", "Leaky bucket", "All"]
    assert list(frame.columns) == [
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
    stars = frame.iloc[0]
    assert table.formats["contacted_response_rate"](stars["contacted_response_rate"]) == (
        "74%"
    )
    assert table.formats["uplift"](stars["uplift"]) == "+15.0"
    assert stars["uplift_interval"] == "+3.0 to +27.1"
    assert list(frame["significant"]) == ["yes", "no", "no"]
    assert table.formats["p_value"](stars["p_value"]) == "0.021"
    assert table.reading == (
        "Significant at the 5% level in Stars; per segment and action in the table "
        "campaign_readout."
    )


# -------------------------------------------------------- hand-made warehouses
ACTIONS_COLUMNS = (
    "customer_id, segment, action, response_probability, cost_per_contact, "
    "revenue_per_response, expected_profit, is_control, contact, contact_reason"
)
# (customer_id, segment, response_probability, is_control, contact, contact_reason)
PEOPLE = [
    (1, "Stars", 0.5, False, True, "Contacted: expected profit above 0"),
    (2, "Stars", 0.6, False, True, "Contacted: expected profit above 0"),
    (3, "Leaky bucket", 0.5, False, True, "Contacted: expected profit above 0"),
    (4, "Stars", 0.5, True, False, "Control group: held out to measure the uplift"),
    (5, "Leaky bucket", 0.1, False, False, WORTHLESS),
    (6, "Leaky bucket", 0.2, False, False, WORTHLESS),
    (7, "Need attention", 0.3, False, False, OVER_BUDGET),
    (8, "Need attention", 0.05, False, False, WORTHLESS),
]


def _literal(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "null"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value).lower() if isinstance(value, bool) else repr(value)


def _values(rows) -> str:
    return ", ".join("(" + ", ".join(map(_literal, row)) + ")" for row in rows)


def actions_sql(economics: bool = True) -> str:
    """customer_actions of PEOPLE: contact costs 3 and a response brings 11 (NULL
    without economics, the others then contacted)."""
    rows = []
    for customer_id, segment, probability, is_control, contact, reason in PEOPLE:
        cost, revenue = (3.0, 11.0) if economics else (None, None)
        profit = probability * 11.0 - 3.0 if economics else None
        if not economics and not is_control:
            contact, reason = True, "Contacted: no contact economics"
        rows.append(
            (customer_id, segment, "Segment offer", probability, cost, revenue, profit)
            + (is_control, contact, reason)
        )
    return (
        f"create table customer_actions as select * from (values {_values(rows)}) "
        f"as t({ACTIONS_COLUMNS})"
    )


def economics_sql() -> str:
    data = economics_frame()
    return (
        f"create table campaign_economics as select * from (values "
        f"{_values(data.itertuples(index=False, name=None))}) "
        f"as t({', '.join(data.columns)})"
    )


def readout_sql(rows=READOUT_ROWS) -> str:
    """campaign_readout of rows (action All), or with no rows when rows is empty."""
    data = readout_frame(rows or READOUT_ROWS)
    return (
        "create table campaign_readout as select level, segment, 'All' as action, "
        "* exclude (level, segment) replace ("
        "campaign_snapshot_date::date as campaign_snapshot_date, "
        "readout_snapshot_date::date as readout_snapshot_date) from (values "
        f"{_values(data.itertuples(index=False, name=None))}) "
        f"as t({', '.join(READOUT_COLUMNS)})" + ("" if rows else " limit 0")
    )


DEFINITIONS_SQL = (
    "create table segment_definitions as select * from (values "
    "('Stars', 1, '#e9a800'), ('High potential', 2, '#2a9d8f'), "
    "('Leaky bucket', 3, '#e76f51'), ('Need attention', 4, '#577590')) "
    "as t(segment, segment_order, colour)"
)


def skipped_sql(skipped: dict[str, str]) -> str:
    rows = [
        ("skipped", name, reason, 7, position)
        for position, (name, reason) in enumerate(skipped.items(), start=1)
    ]
    return (
        "create table build_info (section varchar, name varchar, value varchar, "
        f"section_order int, fact_order int); insert into build_info values "
        f"{_values(rows)}"
    )


def warehouse(path: Path, *statements: str) -> Path:
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)
    return path


def read(path: Path, query):
    with connect(path) as con:
        return query(Warehouse.over(con, max_points=10, seed=1))


def money_section(path: Path) -> str:
    html = write_report(path, path.with_suffix(".html")).read_text(encoding="utf-8")
    return section_html(html, "money")


def test_campaign_plan_sums_the_contacts_only(tmp_path):
    path = warehouse(tmp_path / "w.duckdb", actions_sql())
    plan, others, why = read(path, queries.campaign_plan)
    assert (plan["people"], plan["contacts"], plan["controls"]) == (8, 3, 1)
    assert plan["priced"] == 8
    assert plan["expected_profit"] == pytest.approx(2.5 + 3.6 + 2.5)
    assert plan["cost"] == 9.0
    assert plan["expected_responders"] == pytest.approx(1.6)
    assert others.values.tolist() == [[WORTHLESS, 3], [OVER_BUDGET, 1]]
    assert why is None


def test_report_money_section_with_economics_and_no_readout_yet(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        actions_sql(),
        economics_sql(),
        readout_sql(rows=[]),
        DEFINITIONS_SQL,
    )
    section = money_section(path)
    assert section.startswith("<h2>What the campaign earns</h2>")
    assert (
        '<p class="reading">Contacting 3 people (about 2 expected to respond) is '
        "expected to earn 8.60 net of 9 in contact costs; 1 more is held out as a "
        "control group to measure the uplift next month.</p>"
    ) in section
    assert "not worth its cost (expected profit at most 0) (3); over the budget (1)." in (
        section
    )
    roi = section[section.index('<table id="table-segment-roi">') :]
    assert roi.index("<td>Stars</td>") < roi.index("<td>High potential</td>")
    assert (
        '<tr><td>Stars</td><td class="num">536</td><td class="num">165</td>'
        '<td class="num">1,608</td><td class="num">1,815</td><td class="num">207</td>'
        '<td class="num">+13%</td></tr>'
    ) in roi
    assert "<th>ROI</th>" in roi
    assert '<table id="table-holdout-policies">' in section
    assert "<td>Perfect: the responders only</td>" in section
    assert "campaign_readout holds no rows yet.</p>" in section
    assert 'id="table-uplift-segments"' not in section
    assert '<p class="note">' not in section


def test_report_money_section_with_a_readout(tmp_path):
    path = warehouse(
        tmp_path / "w.duckdb",
        actions_sql(),
        economics_sql(),
        readout_sql(),
        "insert into campaign_readout select * replace ('stratum' as level, "
        "'Retention contact' as action) from campaign_readout "
        "where segment = 'Stars'",
        DEFINITIONS_SQL,
    )
    readout = read(path, queries.campaign_readout)
    assert list(readout["level"]) == ["overall", "segment", "segment"]
    section = money_section(path)
    assert (
        "69% of the 353 people contacted responded, against 56% of the 39 held out "
        "as control: an uplift of +13.0 points (95% interval -3.3 to +29.3 points, "
        "p = 0.098).</p>"
    ) in section
    table = section[section.index('<table id="table-uplift-segments">') :]
    rows = table.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 3  # Stars, Leaky bucket, All: no stratum row
    assert "<th>Uplift (points)</th><th>95% interval (points)</th>" in table
    assert '<td class="num">+15.0</td><td>+3.0 to +27.1</td>' in table
    assert "<h3>The measured uplift, by segment</h3>" in section
    assert "holds no rows yet" not in section
    assert '<p class="note">' not in section


def test_report_money_section_without_economics_says_why(tmp_path):
    """A build without contact economics: expected_profit NULL, campaign_economics
    not built (build_info's skipped section): the section says so, it does not fail."""
    path = warehouse(
        tmp_path / "w.duckdb",
        actions_sql(economics=False),
        readout_sql(rows=[]),
        DEFINITIONS_SQL,
        skipped_sql(
            {
                "campaign_economics": ECONOMICS_NOT_BUILT,
                "customer_actions.expected_profit": NO_ECONOMICS,
            }
        ),
    )
    section = money_section(path)
    assert (
        "Contacting 7 people: their expected profit is not known, as the build has "
        f"no contact economics (customer_actions.expected_profit {NO_ECONOMICS}); 1 "
        "more is held out as a control group"
    ) in section
    note = (
        '<p class="note">The table campaign_economics was not built from this input: '
        f"it {ECONOMICS_NOT_BUILT}.</p>"
    )
    assert section.count('<p class="note">') == 1
    assert note in section
    assert "campaign_readout holds no rows yet." in section
    assert 'id="table-segment-roi"' not in section


def test_report_of_an_older_build_notes_what_is_missing(tmp_path):
    """customer_actions without the campaign's columns, no campaign marts: one note
    per missing table, the rest of the report drawn."""
    path = warehouse(
        tmp_path / "w.duckdb",
        "create table customer_actions as select 1 as customer_id, "
        "'Stars' as segment, 'Segment offer' as action",
        DEFINITIONS_SQL,
    )
    section = money_section(path)
    notes = section.count('<p class="note">')
    assert notes == 3
    assert "The table customer_actions has no column response_probability, " in section
    assert "The table campaign_economics is not in this warehouse" in section
    assert "The table campaign_readout is not in this warehouse" in section
