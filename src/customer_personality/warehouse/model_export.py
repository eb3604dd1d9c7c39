"""The segment model of a built warehouse, to a model file and back: what `python -m
customer_personality model export` writes and a frozen build (var segment_model_mode
frozen, segment_model_path) or `score --model` reads."""

from __future__ import annotations

import json
from pathlib import Path

from customer_personality.segments import (
    PROFILE_COLUMNS,
    SegmentModel,
    read_model_file,
    write_model_file,
)
from customer_personality.warehouse.connection import (
    INTERMEDIATE_SCHEMA,
    MARTS_SCHEMA,
    connect,
)

PROFILE_TABLE = f"{INTERMEDIATE_SCHEMA}.int_segment_model_profile"


def warehouse_model(db_path: Path) -> SegmentModel:
    """The segment model of the warehouse at db_path, with its identity and profile."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `make run` first")
    with connect(db_path, (MARTS_SCHEMA, INTERMEDIATE_SCHEMA)) as con:
        tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for needed in (f"{MARTS_SCHEMA}.segment_model", PROFILE_TABLE):
            if needed not in tables:
                raise ValueError(
                    f"{db_path} has no table {needed}: rebuild it with this version "
                    "of the project (make run)"
                )
        table = con.execute(
            f"select * from {MARTS_SCHEMA}.segment_model "
            "order by component nulls first, parameter, feature, feature_2"
        ).df()
        profile = con.execute(
            f"select {', '.join(PROFILE_COLUMNS)} from {PROFILE_TABLE} "
            "order by measure, bin"
        ).df()
        features = json.loads(
            con.execute(
                f"select value from {MARTS_SCHEMA}.build_vars "
                "where name = 'segment_features'"
            ).fetchone()[0]
        )
    if table.empty:
        raise ValueError(f"{db_path}: segment_model holds no rows")
    return SegmentModel.from_table(table, profile, features)


def export_model(db_path: Path, out: Path) -> SegmentModel:
    """Write the warehouse's segment model to out and check it reads back the same."""
    model = warehouse_model(db_path)
    write_model_file(model, out)
    if read_model_file(out, model.features).model_version != model.model_version:
        raise ValueError(f"{out} does not read back as model {model.model_version}")
    return model


def describe(model: SegmentModel) -> str:
    rows = int(model.parameters["n_train_rows"].iloc[0])
    return (
        f"model_version {model.model_version}, fitted on {rows:,} customers of "
        f"{model.fitted_on} (training fingerprint {model.training_fingerprint}), "
        f"features {', '.join(model.features)}"
    )
