"""The segment history store of this build (logic: customer_personality.warehouse):
which customer base it is, where its store is, and where this build's snapshot goes.
A store of another base, or of another version, is refused here, before any segment
is fitted; so is a snapshot date before the store's latest, unless var
rebuild_snapshot. It also says where the previous snapshot is and whether it holds a
campaign's assignment (campaign_readout measures that campaign). The build only
stages its snapshot (int_segment_snapshot's post-hook, under staging_path); `publish`
commits it with the warehouse. One row."""

import json

from customer_personality.core.frames import returned, scalar
from customer_personality.warehouse.commit import committed_snapshots, parquet_glob
from customer_personality.warehouse.history import (
    STORE_VERSION,
    has_campaign,
    open_store,
    plan_snapshot,
    refuse_earlier_root,
    resolve_base,
    resolve_store_path,
    snapshot_day,
    spark_glob,
    staging_folder,
)


def model(dbt, session):
    import datetime

    import pyarrow as pa

    dbt.config(materialized="table")
    # dbt finds a config key only in a plain dbt.config.get("key") statement
    snapshot_date = dbt.config.get("snapshot_date")
    customer_base = dbt.config.get("customer_base")
    raw_path = dbt.config.get("raw_customers_path")
    relation = dbt.config.get("raw_customers_relation")
    contract_name = dbt.config.get("contract_name")
    history_path = dbt.config.get("history_path")
    history_root = dbt.config.get("history_root")
    rebuild = dbt.config.get("rebuild_snapshot")
    if not snapshot_date:
        features = dbt.ref("int_customer_features")
        snapshot_date = str(scalar(features, "max(reference_date)"))[:10]
    snapshot_date = snapshot_day(snapshot_date)
    base = resolve_base(
        customer_base or None, raw_path or None, relation or None, contract_name or None
    )
    path = resolve_store_path(history_path or None, history_root or None, base)
    if not history_path:
        refuse_earlier_root(path)
    store = open_store(path, base, create=False)
    committed = committed_snapshots(store)
    plan = plan_snapshot(store, committed, snapshot_date, rebuild == "true")
    staging = staging_folder(store)
    day = datetime.date.fromisoformat
    previous = committed[plan.previous] if plan.previous else None
    table = pa.table(
        {
            "history_path": pa.array([str(store.path)], pa.string()),
            "customer_base": pa.array([base], pa.string()),
            "format_version": pa.array([STORE_VERSION], pa.int64()),
            "snapshot_date": pa.array([day(plan.date)], pa.date32()),
            "snapshot_mode": pa.array([plan.mode], pa.string()),
            "previous_snapshot_date": pa.array(
                [day(plan.previous) if plan.previous else None], pa.date32()
            ),
            "committed_snapshots": pa.array([len(committed)], pa.int64()),
            "committed_dates": pa.array([json.dumps(list(committed))], pa.string()),
            "snapshot_paths": pa.array(
                [json.dumps([str(committed[date]) for date in plan.dates])], pa.string()
            ),
            "snapshot_globs": pa.array(
                [json.dumps([parquet_glob(committed[date]) for date in plan.dates])],
                pa.string(),
            ),
            "previous_snapshot_path": pa.array(
                [str(previous) if previous else None], pa.string()
            ),
            "previous_snapshot_glob": pa.array(
                [parquet_glob(previous) if previous else None], pa.string()
            ),
            "previous_has_campaign": pa.array(
                [bool(previous) and has_campaign(previous)], pa.bool_()
            ),
            "staging_path": pa.array(
                [str(staging / f"{plan.date}.parquet")], pa.string()
            ),
            "spark_snapshots_path": pa.array(
                [
                    spark_glob(
                        store.path,
                        [committed[date] for date in plan.dates]
                        + [staging / f"{plan.date}.parquet"],
                    )
                ],
                pa.string(),
            ),
        }
    )
    return returned(session, table)
