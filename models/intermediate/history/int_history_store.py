"""The segment history store (logic: customer_personality.warehouse.history): made
when new, refused when written by another version; one row saying where it is. The
build then writes this snapshot there (int_segment_snapshot's post-hook) and reads
every snapshot back (customer_segment_history, segment_migrations). It runs once the
customers are staged (a file that leaves none touches no store)."""

from customer_personality.core.frames import returned
from customer_personality.warehouse.history import STORE_VERSION, prepare_store


def model(dbt, session):
    import pandas as pd

    dbt.config(materialized="table")
    dbt.ref("stg_customers")  # after staging: a failed file writes no store
    store = prepare_store(dbt.config.get("history_path"))
    frame = pd.DataFrame(
        {
            "history_path": [str(store.path)],
            "snapshot_dir": [str(store.snapshot_dir)],
            "format_version": [STORE_VERSION],
        }
    )
    return returned(session, frame)
