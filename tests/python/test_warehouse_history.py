"""The history store (customer_personality.warehouse.history): which customer base a
build is, where its store is, a store of another base or version refused and left as
it is, and the rule for a snapshot date (appended after the latest, kept only when
unchanged on a committed date, refused before the latest unless rebuilt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from customer_personality.warehouse.history import (
    MANIFEST,
    STORE_FORMAT,
    HistoryStoreError,
    input_name,
    open_store,
    plan_snapshot,
    read_store,
    refuse_earlier_root,
    resolve_base,
    resolve_store_path,
    snapshot_day,
    spark_glob,
    staging_folder,
    upgrade_store,
)


def test_the_base_is_the_var_then_the_sample_then_the_contract_then_the_input(
    monkeypatch,
):
    monkeypatch.chdir(ROOT)
    sample = "data/sample/marketing_campaign.csv"
    real = "../shared/data/marketing_campaign.csv"
    assert resolve_base("North Shop", sample, None, "marketing_campaign") == "north_shop"
    assert resolve_base(None, sample, None, "marketing_campaign") == "sample"
    assert resolve_base(None, str(ROOT / sample), None, "x") == "sample"
    # the real file and next month's export: the contract's name, whatever the file
    assert resolve_base(None, real, None, "marketing_campaign") == "marketing_campaign"
    assert (
        resolve_base(None, "/tmp/export_2014-08.csv", None, "marketing_campaign")
        == "marketing_campaign"
    )
    assert resolve_base(None, "/data/crm_export_2014-08.csv", None, None) == "crm_export"
    assert resolve_base(None, None, "crm.customers", None) == "crm_customers"
    assert resolve_base(None, sample, "crm.customers", "shop") == "shop"


def test_the_input_name_drops_dates_and_digits():
    assert input_name("/x/Customers-201408.parquet", None) == "customers"
    # a file named by its month alone: its folder's name
    assert input_name("/data/crm/2014-08.csv", None) == "crm"
    assert input_name("/2014/08.csv", None) == "customers"
    with pytest.raises(HistoryStoreError, match="no letters or digits"):
        resolve_base("---", None, None, None)


def test_each_base_has_its_store_under_the_root_unless_a_path_is_given(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("CUSTOMER_PERSONALITY_HISTORY", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_store_path(None, None, "shop") == tmp_path / "build/history/shop"
    assert resolve_store_path(None, str(tmp_path / "r"), "shop") == tmp_path / "r/shop"
    monkeypatch.setenv("CUSTOMER_PERSONALITY_HISTORY", str(tmp_path / "env"))
    assert resolve_store_path(None, None, "shop") == tmp_path / "env/shop"
    assert resolve_store_path(str(tmp_path / "exact"), None, "shop") == tmp_path / "exact"


def test_a_new_store_records_its_base(tmp_path):
    store = open_store(tmp_path / "store", "shop")
    manifest = json.loads((tmp_path / "store" / MANIFEST).read_text())
    assert manifest["base"] == "shop" and manifest["snapshots"] == {}
    assert manifest["format"] == STORE_FORMAT and store.dates == ()
    assert read_store(tmp_path / "store").base == "shop"
    # not made when not asked to
    assert open_store(tmp_path / "other", "shop", create=False).dates == ()
    assert not (tmp_path / "other").exists()


def test_a_store_of_another_base_is_refused_and_left_as_it_is(tmp_path):
    open_store(tmp_path / "store", "marketing_campaign")
    before = (tmp_path / "store" / MANIFEST).read_bytes()
    with pytest.raises(HistoryStoreError) as raised:
        open_store(tmp_path / "store", "sample")
    message = str(raised.value)
    assert "customer base 'marketing_campaign'" in message
    assert "this build is of base 'sample'" in message
    assert "customer_base: marketing_campaign" in message
    assert str(tmp_path / "store") in message
    assert (tmp_path / "store" / MANIFEST).read_bytes() == before


def test_a_folder_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(HistoryStoreError, match="holds files but no store.json"):
        open_store(tmp_path, "shop")
    assert sorted(item.name for item in tmp_path.iterdir()) == ["notes.txt"]
    # what a build leaves before its first publish (staging, the lock), and what a
    # creation stopped half-way leaves, are no store yet
    (tmp_path / "fresh" / "staging" / "t1").mkdir(parents=True)
    (tmp_path / "fresh" / ".lock").write_text("")
    (tmp_path / "fresh" / "segment_snapshots").mkdir()
    (tmp_path / "fresh" / ".store.json.123.tmp").write_text("{")
    assert open_store(tmp_path / "fresh", "shop").base == "shop"


def first_version_store(store: Path) -> Path:
    """A store as the first version wrote it: one snapshot, no base, no commits."""
    (store / "segment_snapshots").mkdir(parents=True)
    (store / "segment_snapshots" / "2014-06-29.parquet").write_bytes(b"PAR1")
    (store / MANIFEST).write_text(
        json.dumps({"format": STORE_FORMAT, "format_version": 1})
    )
    return store


def test_a_store_of_the_first_version_is_refused_until_upgraded(tmp_path):
    store = first_version_store(tmp_path / "history")
    with pytest.raises(HistoryStoreError) as raised:
        open_store(store, "sample")
    assert "history upgrade" in str(raised.value) and "format_version 1" in str(
        raised.value
    )
    # the default root of the first version: every base's snapshots in one store
    with pytest.raises(HistoryStoreError, match="history upgrade"):
        refuse_earlier_root(store / "sample")
    upgraded = upgrade_store(store, "sample")
    assert upgraded.path == store / "sample"
    assert upgraded.base == "sample" and upgraded.dates == ("2014-06-29",)
    assert open_store(store / "sample", "sample").dates == ("2014-06-29",)
    assert not (store / MANIFEST).exists()
    refuse_earlier_root(store / "sample")  # nothing left to upgrade
    # a store named by history_path is upgraded where it is
    (store / MANIFEST).write_text(
        json.dumps({"format": STORE_FORMAT, "format_version": 1})
    )
    assert upgrade_store(store, "shop", in_place=True).path == store
    with pytest.raises(HistoryStoreError, match="only format_version 1"):
        upgrade_store(store, "sample")


def test_an_upgrade_stopped_half_way_is_finished_by_running_it_again(tmp_path):
    store = first_version_store(tmp_path / "history")
    # stopped after moving the snapshots, before the new manifest
    (store / "sample").mkdir()
    (store / "segment_snapshots").rename(store / "sample" / "segment_snapshots")
    assert upgrade_store(store, "sample").dates == ("2014-06-29",)
    # stopped after the new manifest, before removing the old one
    (store / MANIFEST).write_text(
        json.dumps({"format": STORE_FORMAT, "format_version": 1})
    )
    assert upgrade_store(store, "sample").dates == ("2014-06-29",)
    assert not (store / MANIFEST).exists()


def test_snapshot_dates_are_named_one_way():
    assert snapshot_day("20140801") == snapshot_day(" 2014-08-01") == "2014-08-01"
    with pytest.raises(HistoryStoreError, match="var snapshot_date 'August' is not"):
        snapshot_day("August")


def committed(*dates: str) -> dict[str, Path]:
    return {date: Path(f"/s/{date}.parquet") for date in dates}


def test_a_later_date_is_appended_and_compared_with_the_latest(tmp_path):
    store = open_store(tmp_path, "shop")
    first = plan_snapshot(store, {}, "2014-06-29", rebuild=False)
    assert (first.mode, first.previous, first.dates) == ("append", None, ())
    plan = plan_snapshot(
        store, committed("2014-06-01", "2014-07-01"), "2014-08-01", False
    )
    assert plan.mode == "append" and plan.previous == "2014-07-01"
    assert plan.dates == ("2014-06-01", "2014-07-01")


def test_a_committed_date_is_read_without_its_old_snapshot(tmp_path):
    store = open_store(tmp_path, "shop")
    plan = plan_snapshot(
        store, committed("2014-06-01", "2014-07-01"), "2014-07-01", False
    )
    assert plan.mode == "same_date" and plan.previous == "2014-06-01"
    assert plan.dates == ("2014-06-01",)
    rebuilt = plan_snapshot(
        store, committed("2014-06-01", "2014-07-01"), "2014-07-01", True
    )
    assert rebuilt.mode == "rebuild" and rebuilt.dates == ("2014-06-01",)


def test_an_earlier_date_is_refused_unless_rebuilt(tmp_path):
    store = open_store(tmp_path, "shop")
    with pytest.raises(HistoryStoreError) as raised:
        plan_snapshot(store, committed("2014-06-01", "2014-08-01"), "2014-07-01", False)
    message = str(raised.value)
    assert "before the latest snapshot (2014-08-01)" in message
    assert "rebuild_snapshot: true" in message and "'shop'" in message
    plan = plan_snapshot(store, committed("2014-06-01", "2014-08-01"), "2014-07-01", True)
    assert plan.mode == "rebuild" and plan.previous == "2014-06-01"
    assert plan.dates == ("2014-06-01", "2014-08-01")


def test_each_build_stages_in_a_folder_of_its_own(tmp_path):
    store = open_store(tmp_path, "shop")
    one, two = staging_folder(store), staging_folder(store)
    assert one != two and one.is_dir() and two.is_dir()
    assert one.parent == two.parent == tmp_path / "staging"


def test_spark_reads_every_snapshot_through_one_glob_under_the_store(tmp_path):
    store = tmp_path / "store"
    one = store / "segment_snapshots" / "2014-05-29.parquet"
    two = store / "staging" / "t1" / "2014-06-29.parquet"
    assert spark_glob(store, [one, two]) == (
        f"{store}/{{segment_snapshots/2014-05-29.parquet,staging/t1/2014-06-29.parquet}}"
    )
    assert spark_glob(store, [two]) == str(two)
