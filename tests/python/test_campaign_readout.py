"""campaign_readout, the readout of last month's campaign, through the monthly flow on
the real Kaggle file, run as `make run` runs it (python -m customer_personality run,
in a checkout of its own).

Month one publishes customer_actions with its control group (never contacted) and
commits the campaign assignment with its segment snapshot, customer for customer; it
has no readout yet. Month two is the same export with Response redrawn, Bernoulli of
month one's response_probability plus an uplift planted for the contacted, and a few
contacted and control customers removed: its readout measures month one's campaign,
its counts, rates, interval, p-value and money are those recomputed here from the file
and month one's assignment, the removed customers are counted lost, and the interval
covers the planted uplift.

The readout's SQL is deterministic given last month's assignment and this month's
responses, so the simulated next months need no build each: the compiled SQL of
campaign_readout is run again on a copy of month two's warehouse with the responses
(int_customer_features) redrawn 100 times with an uplift of 0.10 planted and 100 times
without. Issue 30's target, in its shares: the 95% interval covers the planted uplift
in at least 90% of the months (36 of 40), and with no uplift planted the readout
reports a significant uplift in at most 10% (4 of 40)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from conftest import connect, real_file_or_skip
from helpers.history import Checkout, snapshot_rows

pytestmark = pytest.mark.build

JULY, AUGUST = "2014-07-01", "2014-08-01"
# Fewer bootstrap refits of the segment stability: the same campaign, a quicker run.
QUICK = {"stability_resamples": 2}
UPLIFT = 0.10
# The month-two export's draw; the simulated months' draws (planted, then none).
SEED = 30
# Issue 30's target is put for 40 simulated months: covered in at least 36, flagged in
# at most 4 (90% and 10%). Forty months tell a 95% interval from a worse one poorly:
# a correct one covers 36 or more of 40 only 86% of the time. So the same shares are
# asserted over 100 months each, where a correct interval falls short once in about
# 50 runs of the test and one that covers 85% is caught; the first 40 are reported.
SEEDS = 100
ISSUE_SEEDS = 40
PLANTED_SEEDS = range(1, SEEDS + 1)
NULL_SEEDS = range(1001, 1001 + SEEDS)
# Removed from the month-two export: lost to the readout.
DROPPED_CONTACTED, DROPPED_CONTROL = 3, 2
# Where the run's dbt writes campaign_readout's compiled SQL, under its target path.
COMPILED = Path(
    "compiled", "customer_personality", "models", "marts", "campaign_readout.sql"
)
# The table the readout reads this month's responses from, as the compiled SQL names
# it (the warehouse's database is named after its file, customer_personality.duckdb).
RESPONSES = '"customer_personality"."intermediate"."int_customer_features"'
KEY = ["level", "segment", "action"]
COUNTS = ["contacted", "contacted_responders", "control", "control_responders"]
MEASURES = [
    "contacted_response_rate",
    "control_response_rate",
    "uplift",
    "uplift_ci_lower",
    "uplift_ci_upper",
    "p_value",
    "minimum_detectable_uplift",
    "incremental_responders",
    "incremental_profit",
]


# --------------------------------------------------------------------------- helpers
def frame(db: Path, sql: str) -> pd.DataFrame:
    with connect(db) as con:
        return con.execute(sql).df()


def draw_responses(
    p0: np.ndarray, contacted: np.ndarray, uplift: float, seed: int
) -> np.ndarray:
    """Response ~ Bernoulli(min(1, p0 + uplift x contacted)), seeded: 1 or 0."""
    probability = np.minimum(1.0, p0 + uplift * contacted)
    return (np.random.default_rng(seed).random(len(p0)) < probability).astype(int)


def in_experiment(assignment: pd.DataFrame) -> pd.DataFrame:
    """The contacted and control customers of the strata (segment x action) that held
    a control: what campaign_readout measures (a stratum too small to hold a control
    was contacted whole, with nothing to compare it with)."""
    assigned = assignment[assignment["contact"] | assignment["is_control"]]
    held = assigned.groupby(["segment", "action"])["is_control"].transform("any")
    return assigned[held.to_numpy(dtype=bool)]


def planted_uplift(assignment: pd.DataFrame, uplift: float) -> float:
    """The uplift planted in the contacted group of the experiment: its mean of
    min(1, p0 + uplift) - p0."""
    assignment = in_experiment(assignment)
    p0 = assignment.loc[assignment["contact"], "response_probability"]
    return float((np.minimum(1.0, p0 + uplift) - p0).mean())


def write_month_two(
    month_one: Path,
    assignment: pd.DataFrame,
    duplicates: pd.Series,
    out: Path,
    uplift: float,
    seed: int,
    dropped: set[int],
) -> pd.Series:
    """Month one's export with Response redrawn for every customer month one exported
    (draw_responses) and given to the person's duplicate rows too (`duplicates`: the
    exported ID of each duplicate ID; a profile is every field but the ID, so that the
    same people are duplicates again), the `dropped` customers removed; every other
    field as it was. Returns the Response written, by customer."""
    raw = pd.read_csv(month_one, sep="\t", dtype=str, keep_default_na=False)
    ids = raw["ID"].astype(np.int64)
    drawn = ids.isin(assignment.index).to_numpy()
    p0 = ids[drawn].map(assignment["response_probability"]).to_numpy(float)
    contacted = ids[drawn].map(assignment["contact"]).to_numpy(bool)
    raw.loc[drawn, "Response"] = draw_responses(p0, contacted, uplift, seed).astype(str)
    response = pd.Series(raw.loc[drawn, "Response"].to_numpy(), index=ids[drawn])
    copies = ids.isin(duplicates.index).to_numpy()
    raw.loc[copies, "Response"] = ids[copies].map(duplicates).map(response).to_numpy()
    raw = raw[~ids.isin(dropped).to_numpy()]
    raw.to_csv(out, sep="\t", index=False)
    written = pd.read_csv(out, sep="\t", usecols=["ID", "Response"])
    return written.set_index("ID")["Response"].astype(int).rename_axis("customer_id")


def wilson(successes: int, trials: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of successes / trials (NaN without trials)."""
    if not trials:
        return np.nan, np.nan
    rate, squared = successes / trials, z * z
    centre = rate + squared / (2 * trials)
    half = z * np.sqrt(rate * (1 - rate) / trials + squared / (4 * trials * trials))
    return (centre - half) / (1 + squared / trials), (centre + half) / (
        1 + squared / trials
    )


def expected_readout(assignment: pd.DataFrame, responses: pd.Series) -> pd.DataFrame:
    """campaign_readout restated: last month's contacted and control customers (their
    segment and action), this month's responses by customer; per level the A/B
    comparison (contacted as treatment) of the customers found again, Newcombe's
    hybrid score interval (from the two rates' Wilson intervals), pooled z-test,
    minimum detectable uplift and money, and the customers not found (lost)."""
    z_alpha, z_power = norm.ppf(0.975), norm.ppf(0.8)
    assigned = in_experiment(assignment).copy()
    assigned["found"] = assigned.index.isin(responses.index)
    assigned["response"] = responses.reindex(assigned.index).fillna(0).astype(int)
    rows = []
    groupings = [
        ("overall", None),
        ("segment", ["segment"]),
        ("stratum", ["segment", "action"]),
    ]
    for level, keys in groupings:
        groups = [(("All", "All"), assigned)] if keys is None else assigned.groupby(keys)
        for key, group in groups:
            segment, action = (key[0], "All") if level == "segment" else key
            found = group[group["found"]]
            if found.empty:
                continue
            contacted = found[~found["is_control"]]
            control = found[found["is_control"]]
            n_t, n_c = len(contacted), len(control)
            r_t, r_c = int(contacted["response"].sum()), int(control["response"].sum())
            rate_t = r_t / n_t if n_t else np.nan
            rate_c = r_c / n_c if n_c else np.nan
            uplift = rate_t - rate_c
            pooled = (r_t + r_c) / (n_t + n_c)
            inverse = (1 / n_c if n_c else np.nan) + (1 / n_t if n_t else np.nan)
            pooled_se = np.sqrt(pooled * (1 - pooled) * inverse)
            low_t, high_t = wilson(r_t, n_t, z_alpha)
            low_c, high_c = wilson(r_c, n_c, z_alpha)
            p_value = (
                2 * norm.cdf(-abs(uplift / pooled_se))
                if pooled_se > 0 and not np.isnan(uplift)
                else np.nan
            )
            revenue = contacted["revenue_per_response"].mean() if n_t else np.nan
            rows.append(
                {
                    "level": level,
                    "segment": segment,
                    "action": action,
                    "contacted": n_t,
                    "contacted_responders": r_t,
                    "control": n_c,
                    "control_responders": r_c,
                    "contacted_response_rate": rate_t,
                    "control_response_rate": rate_c,
                    "uplift": uplift,
                    "uplift_ci_lower": uplift
                    - np.sqrt((rate_t - low_t) ** 2 + (high_c - rate_c) ** 2),
                    "uplift_ci_upper": uplift
                    + np.sqrt((high_t - rate_t) ** 2 + (rate_c - low_c) ** 2),
                    "p_value": p_value,
                    "is_significant": None if np.isnan(p_value) else p_value < 0.05,
                    "minimum_detectable_uplift": (z_alpha + z_power) * pooled_se,
                    "incremental_responders": uplift * n_t,
                    "incremental_profit": uplift * n_t * revenue
                    - contacted["cost_per_contact"].sum(),
                    "customers_lost": int((~group["found"]).sum()),
                }
            )
    return pd.DataFrame(rows)


def assert_readout_equals(actual: pd.DataFrame, expected: pd.DataFrame, what: str):
    """Row for row (by level, segment, action): counts exactly, measures to 1e-9."""
    actual = actual.set_index(KEY).sort_index()
    expected = expected.set_index(KEY).sort_index()
    assert list(actual.index) == list(expected.index), (
        f"{what}: the readout's rows {list(actual.index)} are not the expected "
        f"{list(expected.index)}"
    )
    counts = [*COUNTS, "customers_lost"]
    pd.testing.assert_frame_equal(
        actual[counts].astype("int64"), expected[counts].astype("int64"), obj=what
    )
    pd.testing.assert_frame_equal(
        actual[MEASURES].astype(float),
        expected[MEASURES].astype(float),
        check_exact=False,
        rtol=1e-9,
        atol=1e-12,
        obj=what,
    )
    pd.testing.assert_series_equal(
        actual["is_significant"].astype("boolean"),
        expected["is_significant"].astype("boolean"),
        obj=f"{what}: is_significant",
    )


# --------------------------------------------------------------------------- the runs
@dataclass
class Campaign:
    """Month one and month two of the real file, run in one checkout."""

    folder: Path
    checkout: Checkout
    real: Path
    actions: pd.DataFrame  # month one's customer_actions, by customer
    snapshot: pd.DataFrame  # month one's committed snapshot, by customer
    assignment: pd.DataFrame  # the campaign of month one: snapshot + response_probability
    month_one_readout: int
    month_one_readout_fact: str
    responses: pd.Series  # month two's Response, as written
    dropped_contacted: set[int]
    dropped_control: set[int]
    compiled: Path  # month two's compiled campaign_readout

    @property
    def published(self) -> Path:
        return self.checkout.published


def readout_fact(db: Path) -> str:
    rows = frame(
        db, "select value from build_info where section = 'campaign' and name = 'readout'"
    )
    return rows["value"].iloc[0] if len(rows) else "(build_info has no readout fact)"


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Campaign:
    real = real_file_or_skip()
    folder = tmp_path_factory.mktemp("campaign")
    checkout = Checkout(folder)
    with pytest.MonkeyPatch.context() as patch:
        # The runs' dbt writes its compiled SQL and logs in the checkout, not in the
        # project's target/ that other builds share.
        patch.setenv("DBT_TARGET_PATH", str(folder / "target"))
        patch.setenv("DBT_LOG_PATH", str(folder / "logs"))
        first = checkout.run(real, snapshot_date=JULY, **QUICK)
        assert first.process.returncode == 0, first.output[-5000:]
        actions = frame(
            checkout.published,
            "select customer_id, segment, action, contact, is_control, "
            "response_probability, cost_per_contact, revenue_per_response "
            "from customer_actions order by customer_id",
        ).set_index("customer_id")
        month_one_readout = len(
            frame(checkout.published, "select * from campaign_readout")
        )
        month_one_fact = readout_fact(checkout.published)
        snapshot = snapshot_rows(checkout.store("marketing_campaign"), JULY).set_index(
            "customer_id"
        )
        exported = snapshot[snapshot["campaign_action"].notna()]
        assignment = pd.DataFrame(
            {
                "segment": exported["segment"],
                "action": exported["campaign_action"],
                "contact": exported["campaign_contact"].astype(bool),
                "is_control": exported["campaign_is_control"].astype(bool),
                "cost_per_contact": exported["campaign_cost_per_contact"],
                "revenue_per_response": exported["campaign_revenue_per_response"],
                "response_probability": actions["response_probability"].reindex(
                    exported.index
                ),
            }
        )
        duplicates = frame(
            checkout.published,
            "select customer_id, exported_customer_id from customer_duplicates",
        ).set_index("customer_id")["exported_customer_id"]
        # Removed: the lowest IDs of the contacted and of the control, of no duplicate
        # profile.
        measured = in_experiment(assignment)
        single = measured.index.difference(duplicates.to_numpy())
        contacted = sorted(single[measured.loc[single, "contact"].to_numpy()])
        control = sorted(single[measured.loc[single, "is_control"].to_numpy()])
        dropped_contacted = set(contacted[:DROPPED_CONTACTED])
        dropped_control = set(control[:DROPPED_CONTROL])
        august = folder / "marketing_campaign_2014-08.csv"
        responses = write_month_two(
            real,
            assignment,
            duplicates,
            august,
            UPLIFT,
            SEED,
            dropped_contacted | dropped_control,
        )
        second = checkout.run(
            august, segment_model="published", snapshot_date=AUGUST, **QUICK
        )
        assert second.process.returncode == 0, second.output[-5000:]
    return Campaign(
        folder=folder,
        checkout=checkout,
        real=real,
        actions=actions,
        snapshot=snapshot,
        assignment=assignment,
        month_one_readout=month_one_readout,
        month_one_readout_fact=month_one_fact,
        responses=responses,
        dropped_contacted=dropped_contacted,
        dropped_control=dropped_control,
        compiled=folder / "target" / COMPILED,
    )


# --------------------------------------------------------------------------- the tests
def test_month_one_commits_its_campaign_and_has_no_readout(campaign):
    actions, snapshot = campaign.actions, campaign.snapshot
    assert campaign.month_one_readout == 0, (
        f"campaign_readout has {campaign.month_one_readout} rows in month one: no "
        "previous campaign to read out"
    )
    assert campaign.month_one_readout_fact.startswith("none yet"), (
        campaign.month_one_readout_fact
    )
    # Controls are never contacted; both groups exist.
    both = actions["contact"] & actions["is_control"]
    assert not both.any(), f"controls contacted: {list(actions.index[both][:10])}"
    assert actions["contact"].sum() > 0 and actions["is_control"].sum() > 0, (
        f"{actions['contact'].sum()} contacted, {actions['is_control'].sum()} control"
    )
    # The committed snapshot holds the campaign of every exported customer, as the
    # published customer_actions has it; the others have none.
    exported = snapshot[snapshot["campaign_action"].notna()]
    assert set(exported.index) == set(actions.index), (
        f"{len(exported)} customers of the snapshot have a campaign, "
        f"customer_actions exports {len(actions)}"
    )
    campaign_columns = [c for c in snapshot.columns if c.startswith("campaign_")]
    others = snapshot.drop(index=exported.index)[campaign_columns]
    assert others.isna().all().all(), (
        "customers not exported with a campaign: "
        f"{list(others.dropna(how='all').index[:10])}"
    )
    pairs = {
        "segment": "segment",
        "campaign_action": "action",
        "campaign_contact": "contact",
        "campaign_is_control": "is_control",
        "campaign_cost_per_contact": "cost_per_contact",
        "campaign_revenue_per_response": "revenue_per_response",
    }
    for recorded, published in pairs.items():
        differ = exported[recorded] != actions.loc[exported.index, published]
        assert not differ.any(), (
            f"the snapshot's {recorded} differs from customer_actions' {published} for "
            f"{int(differ.sum())} customers, e.g. {list(exported.index[differ][:5])}"
        )
    assert not (exported["campaign_contact"] & exported["campaign_is_control"]).any()
    print(
        f"month one: {len(actions):,} exported, {int(actions['contact'].sum())} "
        f"contacted, {int(actions['is_control'].sum())} control"
    )


def test_month_two_reads_out_month_ones_campaign(campaign):
    readout = frame(campaign.published, "select * from campaign_readout")
    assert set(readout["level"]) == {"overall", "segment", "stratum"}, (
        f"levels {sorted(set(readout['level']))}"
    )
    assert (readout["level"] == "overall").sum() == 1
    dates = readout[["campaign_snapshot_date", "readout_snapshot_date"]].astype(str)
    assert set(map(tuple, dates.to_numpy())) == {(JULY, AUGUST)}, (
        f"snapshot dates {set(map(tuple, dates.to_numpy()))}"
    )
    assert readout_fact(campaign.published) == (
        f"campaign_readout measures the campaign of snapshot {JULY}"
    )
    # Every number, recomputed from the file written and month one's assignment.
    expected = expected_readout(campaign.assignment, campaign.responses)
    assert_readout_equals(readout, expected, "month two's campaign_readout")
    # The removed customers are lost; everyone else of the campaign is found again.
    assignment = campaign.assignment
    overall = readout[readout["level"] == "overall"].iloc[0]
    measured = in_experiment(assignment)
    contacted, control = (
        int(measured["contact"].sum()),
        int(measured["is_control"].sum()),
    )
    lost = len(campaign.dropped_contacted) + len(campaign.dropped_control)
    assert (overall["contacted"], overall["control"], overall["customers_lost"]) == (
        contacted - len(campaign.dropped_contacted),
        control - len(campaign.dropped_control),
        lost,
    ), (
        f"month one contacted {contacted} and held out {control}; "
        f"{len(campaign.dropped_contacted)} + {len(campaign.dropped_control)} removed"
    )
    assert readout.groupby("level")["customers_lost"].sum().to_dict() == {
        "overall": lost,
        "segment": lost,
        "stratum": lost,
    }
    # The interval covers the uplift planted in the contacted customers found again.
    found = assignment.drop(index=list(campaign.dropped_contacted))
    truth = planted_uplift(found, UPLIFT)
    lower, upper = overall["uplift_ci_lower"], overall["uplift_ci_upper"]
    assert lower <= truth <= upper, (
        f"the overall 95% interval [{lower:.4f}, {upper:.4f}] misses the planted uplift "
        f"{truth:.4f} (seed {SEED})"
    )
    print(
        f"month two (seed {SEED}, uplift {UPLIFT} planted, {truth:.4f} true): "
        f"{overall['contacted']} contacted, {overall['control']} control, "
        f"uplift {overall['uplift']:.4f} [{lower:.4f}, {upper:.4f}], p "
        f"{overall['p_value']:.3f}, {lost} lost"
    )


def test_simulated_months_cover_the_planted_uplift_and_rarely_flag_none(campaign):
    sql = campaign.compiled.read_text(encoding="utf-8")
    assert RESPONSES in sql, (
        f"campaign_readout's compiled SQL ({campaign.compiled}) does not read the "
        f"responses from {RESPONSES}: the simulation replaces that table"
    )
    copy = campaign.folder / "simulation" / campaign.published.name
    copy.parent.mkdir()
    shutil.copyfile(campaign.published, copy)
    published = frame(campaign.published, "select * from campaign_readout")
    assignment = campaign.assignment
    contacted = assignment["contact"].to_numpy(bool)
    p0 = assignment["response_probability"].to_numpy(float)
    measured = in_experiment(assignment)
    counts = (int(measured["contact"].sum()), int(measured["is_control"].sum()), 0)
    truth = planted_uplift(assignment, UPLIFT)
    # What the intervals aim at, given this one assignment: the contacted's expected
    # rate less the control's (the truth above, less the groups' baseline imbalance).
    control_p0 = measured.loc[measured["is_control"], "response_probability"].mean()
    measured_p0 = measured.loc[measured["contact"], "response_probability"]
    aimed = float(np.minimum(1.0, measured_p0 + UPLIFT).mean() - control_p0)
    with duckdb.connect(str(copy)) as con:
        # The compiled SQL, run again on the warehouse as built, is the mart.
        again = con.execute(sql).df()
        pd.testing.assert_frame_equal(again, published, obj="campaign_readout re-run")

        def readout(uplift: float, seed: int) -> pd.Series:
            drawn = pd.DataFrame(
                {
                    "customer_id": assignment.index.to_numpy(np.int64),
                    "accepted_last_campaign": draw_responses(p0, contacted, uplift, seed),
                }
            )
            con.register("drawn", drawn)
            con.execute(
                f"create or replace table {RESPONSES} as select customer_id, "
                "cast(accepted_last_campaign as integer) as accepted_last_campaign "
                "from drawn"
            )
            con.unregister("drawn")
            result = con.execute(sql).df()
            expected = expected_readout(
                assignment, drawn.set_index("customer_id")["accepted_last_campaign"]
            )
            assert_readout_equals(result, expected, f"readout of seed {seed}")
            overall = result[result["level"] == "overall"].iloc[0]
            found = (overall["contacted"], overall["control"], overall["customers_lost"])
            assert found == counts, (
                f"seed {seed}: contacted, control, lost {found}, month one's {counts}"
            )
            return overall

        planted = [readout(UPLIFT, seed) for seed in PLANTED_SEEDS]
        null = [readout(0.0, seed) for seed in NULL_SEEDS]
    hits = [row["uplift_ci_lower"] <= truth <= row["uplift_ci_upper"] for row in planted]
    flags = [bool(row["is_significant"]) for row in null]
    covered, flagged = sum(hits), sum(flags)
    detected = sum(bool(row["is_significant"]) for row in planted)
    mean_uplift = np.mean([row["uplift"] for row in planted])
    mean_width = np.mean(
        [row["uplift_ci_upper"] - row["uplift_ci_lower"] for row in planted]
    )
    summary = (
        f"{counts[0]} contacted, {counts[1]} control; uplift {UPLIFT} planted "
        f"({truth:.4f} true in the contacted, {aimed:.4f} against this control group): "
        f"the 95% interval covers it in {covered} of {SEEDS} months (mean estimate "
        f"{mean_uplift:.4f}, mean width {mean_width:.4f}, significant in {detected}); "
        f"no uplift planted: significant in {flagged} of {SEEDS}; the first "
        f"{ISSUE_SEEDS} months: covered in {sum(hits[:ISSUE_SEEDS])}, flagged in "
        f"{sum(flags[:ISSUE_SEEDS])}"
    )
    print(summary)
    assert covered >= 0.9 * SEEDS, f"coverage {covered}/{SEEDS} below 90%: {summary}"
    assert flagged <= 0.1 * SEEDS, f"flagged {flagged}/{SEEDS} above 10%: {summary}"
