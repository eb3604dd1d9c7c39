"""The campaign's money and its control group as built: campaign_economics recomputed
in pandas (the last campaign per segment, four contact policies on the response
model's holdout), customer_actions' expected profit, contact decision and seeded
control groups (a tenth of each segment x action stratum, the same in every build),
control_group_balance recomputed and balanced on the real file, the budget policy and
the economics vars of a build of their own, and a bad var that stops the build."""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import connect, run_dbt

pytestmark = pytest.mark.build

POLICIES = ("everyone", "rfm_top_k", "model", "perfect")
CUSTOMER_FEATURES = ("income", "spending", "recency_days", "seniority_months")
# The customers' features and the calibrated response probability (customer_actions).
BALANCE_FEATURES = (*CUSTOMER_FEATURES, "response_probability")
CONTROL_MIN_SIZE = 5  # var control_min_size
CONTROL_SHARE = 0.1  # var control_share's default
# The budget build: at most 50 people selected (contacts and controls), and contact
# economics from the vars, over the input's 3 and 11.
BUDGET_VARS = {
    "contact_policy": "budget",
    "contact_budget_contacts": 50,
    "cost_per_contact": 5,
    "revenue_per_response": 20,
}


def frame(db_path: Path, sql: str) -> pd.DataFrame:
    with connect(db_path) as con:
        return con.execute(sql).df()


# ------------------------------------------------------------------ campaign_economics


def _economics_customers(db_path: Path) -> pd.DataFrame:
    """Every kept customer with what campaign_economics reads, joined in pandas."""
    customers = frame(
        db_path,
        "select customer_id, segment, accepted_last_campaign, cost_per_contact, "
        "revenue_per_response from customers",
    )
    responses = frame(
        db_path,
        "select customer_id, is_holdout, response_probability from int_customer_response",
    )
    scores = frame(db_path, "select customer_id, rfm_total from int_customer_scores")
    joined = customers.merge(responses, on="customer_id").merge(scores, on="customer_id")
    # The response model and the scores cover every customer: the joins drop nobody.
    assert len(joined) == len(customers) == len(responses) == len(scores)
    return joined


def _figures(analysis: str, group: str, people: pd.DataFrame, picked) -> dict:
    """One row of campaign_economics: the group's people, those contacted picked."""
    contacted = people[picked]
    cost = float(contacted["cost_per_contact"].sum())
    revenue = float(
        (contacted["revenue_per_response"] * contacted["accepted_last_campaign"]).sum()
    )
    return {
        "analysis": analysis,
        "group_name": group,
        "customers": len(people),
        "contacts": len(contacted),
        "responders": int(contacted["accepted_last_campaign"].sum()),
        "cost": cost,
        "revenue": revenue,
        "profit": revenue - cost,
        "roi": (revenue - cost) / cost if cost else np.nan,
    }


def expected_campaign_economics(customers: pd.DataFrame) -> pd.DataFrame:
    """campaign_economics restated: the last campaign (everyone contacted) per segment
    and in total; on the holdout, the four policies and their share of perfect."""
    everyone = np.ones(len(customers), dtype=bool)
    rows = [_figures("last_campaign", "All", customers, everyone)]
    for segment, people in customers.groupby("segment"):
        rows.append(
            _figures("last_campaign", segment, people, np.ones(len(people), dtype=bool))
        )
    holdout = customers[customers["is_holdout"]]
    model = (
        holdout["response_probability"] * holdout["revenue_per_response"]
        - holdout["cost_per_contact"]
        > 0
    ).to_numpy()
    # rfm_top_k: as many contacts as the model makes, best RFM total first (ties by
    # customer_id).
    rfm_order = holdout.sort_values(
        ["rfm_total", "customer_id"], ascending=[False, True], kind="stable"
    )
    rfm_top = holdout["customer_id"].isin(rfm_order["customer_id"].head(int(model.sum())))
    policies = {
        "everyone": np.ones(len(holdout), dtype=bool),
        "rfm_top_k": rfm_top.to_numpy(),
        "model": model,
        "perfect": (holdout["accepted_last_campaign"] == 1).to_numpy(),
    }
    policy_rows = [
        _figures("holdout_policy", name, holdout, picked)
        for name, picked in policies.items()
    ]
    perfect = policy_rows[-1]["profit"]
    for row in policy_rows:
        row["share_of_perfect"] = row["profit"] / perfect if perfect else np.nan
    return pd.DataFrame(rows + policy_rows)


def test_campaign_economics_is_recomputed_in_pandas(sample_db) -> None:
    built = frame(sample_db, "select * from campaign_economics")
    expected = expected_campaign_economics(_economics_customers(sample_db))
    key = ["analysis", "group_name"]
    built = built.sort_values(key).reset_index(drop=True)
    expected = expected.sort_values(key).reset_index(drop=True)
    assert list(zip(built["analysis"], built["group_name"])) == list(
        zip(expected["analysis"], expected["group_name"])
    )
    assert set(built.loc[built["analysis"] == "holdout_policy", "group_name"]) == set(
        POLICIES
    )
    for column in ("customers", "contacts", "responders"):
        assert built[column].tolist() == expected[column].tolist(), column
    for column in ("cost", "revenue", "profit", "roi", "share_of_perfect"):
        np.testing.assert_allclose(
            built[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=0,
            atol=1e-9,
            err_msg=column,
        )
    # The sample's money is whole units (3 a contact, 11 a response): exact sums.
    assert built["profit"].tolist() == expected["profit"].tolist()
    # The last campaign counts every customer once; the policies the same holdout.
    policies = built[built["analysis"] == "holdout_policy"].set_index("group_name")
    assert policies["customers"].nunique() == 1
    assert policies.loc["rfm_top_k", "contacts"] == policies.loc["model", "contacts"]
    assert policies.loc["perfect", "share_of_perfect"] == 1.0
    assert (
        built.loc[built["analysis"] == "last_campaign", "share_of_perfect"].isna().all()
    )


def _policy_report(db_path: Path) -> tuple[dict, str]:
    policies = frame(
        db_path,
        "select group_name, contacts, profit, share_of_perfect from campaign_economics "
        "where analysis = 'holdout_policy'",
    ).set_index("group_name")
    report = "; ".join(
        f"{name}: profit {policies.loc[name, 'profit']:g} on "
        f"{policies.loc[name, 'contacts']} contacts, share of perfect "
        f"{policies.loc[name, 'share_of_perfect']:.4f}"
        for name in POLICIES
    )
    return policies.to_dict("index"), report


def test_the_model_policy_beats_everyone_and_rfm_on_the_real_file(real_db) -> None:
    policies, report = _policy_report(real_db)
    print(f"\nreal file, holdout policies: {report}")
    model = policies["model"]["profit"]
    assert model > policies["everyone"]["profit"], report
    assert model > policies["rfm_top_k"]["profit"], report
    assert policies["perfect"]["profit"] >= model, report


@pytest.mark.xfail(
    strict=True,
    reason="not met on this holdout: the model's policy earns 283 of the perfect "
    "ranking's 664 (42.6%), and the best cut-off of its ranking 289 (43.5%); strict, "
    "so that a model that reaches 45% turns this test red until it is unmarked",
)
def test_the_model_policy_earns_45_percent_of_perfect_on_the_real_file(real_db) -> None:
    # The target: contacting whom the model expects to pay earns at least 45%
    # of what contacting exactly the responders would.
    policies, report = _policy_report(real_db)
    share = policies["model"]["share_of_perfect"]
    print(f"\nreal file, model share of perfect: {share:.4f} ({report})")
    assert share >= 0.45, f"model share of perfect {share:.4f} < 0.45: {report}"


# ------------------------------------------------------------------- customer_actions


def _actions(db_path: Path) -> pd.DataFrame:
    """customer_actions with the selection and the stratum sizes behind it."""
    return frame(
        db_path,
        "select actions.*, selected.is_selected, responses.response_probability "
        "as model_probability, customers.cost_per_contact as input_cost, "
        "customers.revenue_per_response as input_revenue "
        "from customer_actions as actions "
        "inner join int_customer_actions as selected using (customer_id) "
        "inner join int_customer_response as responses using (customer_id) "
        "inner join customers using (customer_id)",
    )


def test_expected_profit_and_contacts_follow_the_default_policy(sample_db) -> None:
    actions = _actions(sample_db)
    assert (
        len(actions)
        == frame(sample_db, "select count(*) as n from customer_actions")["n"].iloc[0]
    )
    # The calibrated probability of the response model, the input's economics.
    np.testing.assert_array_equal(
        actions["response_probability"], actions["model_probability"]
    )
    np.testing.assert_array_equal(actions["cost_per_contact"], actions["input_cost"])
    np.testing.assert_array_equal(
        actions["revenue_per_response"], actions["input_revenue"]
    )
    np.testing.assert_allclose(
        actions["expected_profit"],
        actions["response_probability"] * actions["revenue_per_response"]
        - actions["cost_per_contact"],
        rtol=0,
        atol=1e-12,
    )
    # Policy profitable: selected exactly when the expected profit is above 0; the
    # selected are contacted unless held out as controls.
    selected = actions["is_selected"]
    control = actions["is_control"]
    assert (selected == (actions["expected_profit"] > 0)).all()
    assert (actions["contact"] == (selected & ~control)).all()
    assert (actions.loc[actions["contact"], "expected_profit"] > 0).all()
    assert not (control & actions["contact"]).any()
    assert not (control & ~selected).any()
    assert 0 < actions["contact"].sum() < len(actions)
    reasons = np.where(
        control,
        "Control group: held out to measure the uplift",
        np.where(
            actions["contact"],
            "Contacted: expected profit above 0",
            "Not contacted: not worth its cost (expected profit at most 0)",
        ),
    )
    assert actions["contact_reason"].tolist() == reasons.tolist()


def test_calibrated_probability_is_the_platt_formula(sample_db) -> None:
    calibration = frame(
        sample_db,
        "select term, coefficient from int_response_model "
        "where term in ('calibration_intercept', 'calibration_slope')",
    ).set_index("term")["coefficient"]
    responses = frame(
        sample_db,
        "select response_logit, response_propensity, response_probability "
        "from int_customer_response",
    )
    intercept = calibration["calibration_intercept"]
    slope = calibration["calibration_slope"]
    np.testing.assert_allclose(
        responses["response_probability"],
        1.0 / (1.0 + np.exp(-(intercept + slope * responses["response_logit"]))),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        responses["response_propensity"],
        1.0 / (1.0 + np.exp(-responses["response_logit"])),
        rtol=1e-12,
    )


def expected_control_sizes(actions: pd.DataFrame) -> pd.DataFrame:
    """Per segment x action stratum of the selected people: its size n, the controls
    it should hold (round(0.1 n), halves up) and whether it can hold them (at least
    var control_min_size controls, at least one person left to contact)."""
    selected = actions[actions["is_selected"]]
    strata = (
        selected.groupby(["segment", "action"])
        .agg(selected=("customer_id", "size"), controls=("is_control", "sum"))
        .reset_index()
    )
    strata["control_size"] = np.floor(CONTROL_SHARE * strata["selected"] + 0.5).astype(
        int
    )
    strata["holds_control"] = (strata["control_size"] >= CONTROL_MIN_SIZE) & (
        strata["selected"] - strata["control_size"] >= 1
    )
    return strata


def test_each_stratum_holds_a_tenth_of_its_selected_as_controls(sample_db) -> None:
    strata = expected_control_sizes(_actions(sample_db))
    assert strata["holds_control"].any()
    for row in strata.itertuples():
        expected = row.control_size if row.holds_control else 0
        assert row.controls == expected, (row.segment, row.action, row.selected)
    # int_control_assignment says the same of each stratum.
    built = frame(
        sample_db,
        "select segment, action, any_value(stratum_size) as built_size, "
        "any_value(control_size) as built_control_size, "
        "bool_and(holds_control) as built_holds_control, count(*) as people "
        "from int_control_assignment group by segment, action",
    ).merge(strata, on=["segment", "action"], validate="1:1")
    assert len(built) == len(strata)
    assert (built["built_size"] == built["selected"]).all()
    assert (built["people"] == built["selected"]).all()
    assert (built["built_control_size"] == built["control_size"]).all()
    assert (built["built_holds_control"] == built["holds_control"]).all()


def test_two_builds_assign_the_same_controls(sample_db, sample_db_again) -> None:
    columns = (
        "customer_id, is_control, contact, contact_reason, expected_profit, "
        "response_probability"
    )
    first, second = (
        frame(db, f"select {columns} from customer_actions order by customer_id")
        for db in (sample_db, sample_db_again)
    )
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    first, second = (
        frame(db, "select * from int_control_assignment order by customer_id")
        for db in (sample_db, sample_db_again)
    )
    pd.testing.assert_frame_equal(first, second, check_exact=True)


# ---------------------------------------------------------------- control_group_balance


def _balance_people(db_path: Path) -> pd.DataFrame:
    """The people of the campaign (contacted or held out) with their balance features,
    from customer_actions and customers."""
    actions = frame(
        db_path,
        "select customer_id, segment, action, is_control, contact, "
        "response_probability from customer_actions",
    )
    customers = frame(
        db_path, f"select customer_id, {', '.join(CUSTOMER_FEATURES)} from customers"
    )
    people = actions[actions["contact"] | actions["is_control"]]
    return people.merge(customers, on="customer_id", validate="1:1")


def _group_balance(group: pd.DataFrame, feature: str) -> dict:
    control = group.loc[group["is_control"], feature].astype(float)
    contacted = group.loc[~group["is_control"], feature].astype(float)
    mean_control = control.mean() if len(control) else np.nan
    sd_control = control.std(ddof=0) if len(control) else np.nan
    mean_contacted, sd_contacted = contacted.mean(), contacted.std(ddof=0)
    # The scale: the standard deviation of everyone selected in the group.
    sd_selected = group[feature].astype(float).std(ddof=0)
    if not len(control):
        smd = np.nan
    elif sd_selected == 0:
        smd = 0.0
    else:
        smd = (mean_control - mean_contacted) / sd_selected
    return {
        "contacted": len(contacted),
        "controls": len(control),
        "mean_contacted": mean_contacted,
        "mean_control": mean_control,
        "sd_contacted": sd_contacted,
        "sd_control": sd_control,
        "sd_selected": sd_selected,
        "smd": smd,
    }


def expected_balance(people: pd.DataFrame) -> pd.DataFrame:
    """control_group_balance restated: overall, per segment and per stratum."""
    rows = []
    # The overall and segment rows cover the strata that hold a control.
    held = people.groupby(["segment", "action"])["is_control"].transform("any")
    experiment = people[held.to_numpy(dtype=bool)]
    groups = [("overall", "All", "All", experiment)] if len(experiment) else []
    groups += [("segment", s, "All", g) for s, g in experiment.groupby("segment")]
    groups += [
        ("stratum", s, a, g) for (s, a), g in people.groupby(["segment", "action"])
    ]
    for level, segment, action, group in groups:
        for feature in BALANCE_FEATURES:
            rows.append(
                {
                    "level": level,
                    "segment": segment,
                    "action": action,
                    "feature": feature,
                    **_group_balance(group, feature),
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("warehouse", ["sample_db", "real_db"])
def test_balance_table_is_recomputed_in_pandas(warehouse, request) -> None:
    db_path = request.getfixturevalue(warehouse)
    key = ["level", "segment", "action", "feature"]
    built = frame(db_path, "select * from control_group_balance")
    built = built.sort_values(key).reset_index(drop=True)
    expected = expected_balance(_balance_people(db_path))
    expected = expected.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(built[key], expected[key])
    for column in ("contacted", "controls"):
        assert built[column].tolist() == expected[column].tolist(), column
    # The SQL sums decimals of 10 places: a feature with more decimals
    # (seniority_months) differs in its last digits only.
    for column in ("mean_contacted", "mean_control"):
        np.testing.assert_allclose(
            built[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=1e-9,
            err_msg=column,
        )
    # It sums each squared deviation as a decimal of 6 places: the standard
    # deviations (and the smd) are equal to about 8 digits.
    for column in ("sd_contacted", "sd_control", "sd_selected", "smd"):
        np.testing.assert_allclose(
            built[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=1e-6,
            atol=1e-9,
            err_msg=column,
        )
    # The status: a stratum without controls is too small to hold one; else balanced
    # when |smd| < 0.1.
    status = np.where(
        expected["controls"] == 0,
        np.where(
            expected["level"] == "stratum", "too small to hold a control", "no control"
        ),
        np.where(expected["smd"].abs() < 0.1, "balanced", "not balanced"),
    )
    assert built["status"].tolist() == status.tolist()


def test_strata_too_small_hold_no_control_on_the_real_file(real_db) -> None:
    balance = frame(real_db, "select * from control_group_balance")
    too_small = balance[balance["status"] == "too small to hold a control"]
    assert (too_small["controls"] == 0).all()
    assert too_small["mean_control"].isna().all() and too_small["smd"].isna().all()
    assert set(too_small["level"]) <= {"stratum"}
    # They are the strata the rule finds too small: round(0.1 n) is 0 or n.
    strata = expected_control_sizes(_actions(real_db))
    small = strata.loc[~strata["holds_control"], ["segment", "action"]]
    marked = too_small[["segment", "action"]].drop_duplicates()
    assert sorted(map(tuple, small.to_numpy())) == sorted(map(tuple, marked.to_numpy()))
    assert (strata.loc[~strata["holds_control"], "controls"] == 0).all()
    print(f"\nreal file, strata too small to hold a control: {len(small)}")


def best_possible_imbalance(people: pd.DataFrame, segment: str) -> float | None:
    """The smallest largest |smd| any control group of the segment could have, by
    trying every one, when a single stratum of it holds controls and that stratum has
    few enough choices; else None."""
    group = people[people["segment"] == segment].reset_index(drop=True)
    holding = group.groupby("action")["is_control"].sum()
    holding = holding[holding > 0]
    if len(holding) != 1:
        return None
    (action,), (size,) = holding.index, holding.to_numpy()
    candidates = np.flatnonzero(group["action"] == action)
    if math.comb(len(candidates), int(size)) > 200_000:
        return None
    choices = candidates[np.array(list(combinations(range(len(candidates)), int(size))))]
    worst = np.zeros(len(choices))
    n = len(group)
    for feature in BALANCE_FEATURES:
        values = group[feature].to_numpy(dtype=float)
        control_sum = values[choices].sum(1)
        mean_control = control_sum / size
        mean_contacted = (values.sum() - control_sum) / (n - size)
        scale = values.std()
        smd = np.abs(mean_control - mean_contacted) / scale if scale > 0 else 0.0
        worst = np.maximum(worst, smd)
    return float(worst.min())


def test_control_groups_are_balanced_on_the_real_file(real_db) -> None:
    balance = frame(
        real_db,
        "select level, segment, feature, contacted, controls, smd "
        "from control_group_balance where level in ('overall', 'segment')",
    )
    largest = balance.assign(size=balance["smd"].abs()).groupby("segment")["size"].max()
    print(
        "\nreal file, largest |smd|: "
        + ", ".join(f"{segment} {value:.4f}" for segment, value in largest.items())
    )
    # Every control group held is balanced. A segment without one holds only strata
    # too small to (fewer than var control_min_size controls at the share): they
    # are named in the stratum rows.
    strata = frame(
        real_db,
        "select segment, controls, status from control_group_balance "
        "where level = 'stratum'",
    )
    assert "All" in set(balance["segment"]), "the campaign holds no control at all"
    for segment in set(strata["segment"]) - set(balance["segment"]):
        held = strata[strata["segment"] == segment]
        assert (held["status"] == "too small to hold a control").all(), held
    assert (balance["controls"] > 0).all()
    assert balance["smd"].notna().all()
    unbalanced = balance[balance["smd"].abs() >= 0.1]
    if len(unbalanced):
        people = _balance_people(real_db)
        notes = []
        for row in unbalanced.itertuples():
            best = (
                best_possible_imbalance(people, row.segment)
                if row.level == "segment"
                else None
            )
            notes.append(
                f"{row.level} {row.segment} {row.feature}: smd {row.smd:.4f} "
                f"({row.contacted} contacted, {row.controls} controls)"
                + (
                    f"; the best any control group of the segment could do: "
                    f"largest |smd| {best:.4f}"
                    if best is not None
                    else ""
                )
            )
        pytest.fail("control groups not balanced (|smd| >= 0.1):\n" + "\n".join(notes))


# -------------------------------------------------------------- budget and the vars


@pytest.fixture(scope="module")
def budget_db(tmp_path_factory) -> Path:
    """The sample built with the budget policy and the economics vars: the campaign's
    models and what they read, without the dbt tests."""
    db_path = tmp_path_factory.mktemp("budget") / "budget.duckdb"
    run_dbt(
        "build",
        db_path,
        variables=BUDGET_VARS,
        select="+customer_actions +campaign_economics +control_group_balance +customers",
        tests=False,
    )
    return db_path


def test_the_budget_selects_the_50_best_expected_profits(budget_db) -> None:
    actions = _actions(budget_db)
    # The vars override the input's economics (3 and 11) in the export.
    assert (actions["input_cost"] == 3).all() and (actions["input_revenue"] == 11).all()
    assert (actions["cost_per_contact"] == 5).all()
    assert (actions["revenue_per_response"] == 20).all()
    np.testing.assert_allclose(
        actions["expected_profit"],
        actions["response_probability"] * 20 - 5,
        rtol=0,
        atol=1e-12,
    )
    selected = actions["is_selected"]
    assert (selected == (actions["contact"] | actions["is_control"])).all()
    assert actions["contact"].sum() + actions["is_control"].sum() <= 50
    # The selected are the 50 best expected profits above 0 (ties by customer_id).
    profitable = actions[actions["expected_profit"] > 0].sort_values(
        ["expected_profit", "customer_id"], ascending=[False, True], kind="stable"
    )
    assert len(profitable) > 50  # the budget binds on the sample
    assert set(actions.loc[selected, "customer_id"]) == set(
        profitable["customer_id"].head(50)
    )
    over = actions["customer_id"].isin(profitable["customer_id"].iloc[50:])
    assert (actions.loc[over, "contact_reason"] == "Not contacted: over the budget").all()
    assert (
        not actions.loc[~selected & ~over, "contact_reason"]
        .str.startswith("Contacted")
        .any()
    )
    # The controls come out of the 50: strata of the selected, as by default.
    for row in expected_control_sizes(actions).itertuples():
        assert row.controls == (row.control_size if row.holds_control else 0)


def test_the_economics_vars_price_campaign_economics(budget_db) -> None:
    economics = frame(budget_db, "select * from campaign_economics")
    assert (economics["cost"] == 5 * economics["contacts"]).all()
    assert (economics["revenue"] == 20 * economics["responders"]).all()
    customers = _economics_customers(budget_db)
    customers["cost_per_contact"] = 5.0
    customers["revenue_per_response"] = 20.0
    expected = expected_campaign_economics(customers)
    key = ["analysis", "group_name"]
    built = economics.sort_values(key).reset_index(drop=True)
    expected = expected.sort_values(key).reset_index(drop=True)
    for column in ("customers", "contacts", "responders"):
        assert built[column].tolist() == expected[column].tolist(), column
    for column in ("cost", "revenue", "profit", "share_of_perfect"):
        np.testing.assert_allclose(
            built[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=0,
            atol=1e-9,
            err_msg=column,
        )


@pytest.mark.parametrize(
    ("name", "value"),
    [("cost_per_contact", -1), ("revenue_per_response", "eleven")],
)
def test_a_bad_economics_var_stops_the_build_naming_it(name, value, tmp_path) -> None:
    run = run_dbt("build", tmp_path / "x.duckdb", variables={name: value}, check=False)
    assert not run.success
    assert f"var {name} must be a non-negative number" in run.output, run.output[-3000:]
