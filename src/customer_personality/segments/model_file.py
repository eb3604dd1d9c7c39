"""The segment model's identity and its file: what a frozen build scores with.

A fitted segment model is its long parameter table (model_table.MODEL_COLUMNS), the
features it reads, and the profile of its training data (the decile bins and segment
shares segment_drift compares later builds with). Its identity:

- model_version: a digest of the parameters (every row, values written exactly), so
  the same parameters always give the same version and any change gives another;
- training_fingerprint: a digest of the training sample (its customer ids and feature
  values, sorted by id);
- fitted_on: the reference date of the data it was fitted on, and n_train_rows.

A model file is one JSON document (MODEL_FILE_FORMAT, MODEL_FILE_VERSION) holding all
of it; floats are written with Python's shortest exact repr, so a model read back
scores every customer bit for bit as the model written. read_model_file checks the
format, the version, the digest (a corrupt or hand-edited file fails) and, when asked,
the features, and says which file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from customer_personality.segments.model_table import MODEL_COLUMNS

MODEL_FILE_FORMAT = "customer-personality segment model"
MODEL_FILE_VERSION = 1
# The identity columns the build adds to each row of the model table.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "model_version",
    "fitted_on",
    "training_fingerprint",
)
PROFILE_COLUMNS: tuple[str, ...] = (
    "measure",
    "bin",
    "bin_label",
    "lower_edge",
    "upper_edge",
    "training_customers",
    "training_share",
)
VERSION_LENGTH = 16  # hex digits of the digests


class ModelFileError(ValueError):
    """A model file that cannot be used: missing, corrupt or for other features."""


def _plain(value):
    """A cell as JSON holds it: None for missing, int, float or str."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if pd.isna(value):
        return None
    return str(value)


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    return [
        {column: _cell(column, value) for column, value in zip(columns, row, strict=True)}
        for row in frame[list(columns)].itertuples(index=False, name=None)
    ]


# How each column of the model table is written: the digest and the file see the
# same values whatever dtypes the frame arrived with (numpy, nullable, from SQL).
_INTEGER_COLUMNS = frozenset({"component", "n_train_rows", "bin", "training_customers"})
_FLOAT_COLUMNS = frozenset({"value", "lower_edge", "upper_edge", "training_share"})


def _cell(column: str, value):
    value = _plain(value)
    if value is None:
        return None
    if column in _INTEGER_COLUMNS:
        return int(value)
    if column in _FLOAT_COLUMNS:
        return float(value)
    return None if value == "nan" else str(value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def model_version(parameters: pd.DataFrame) -> str:
    """The digest of a model table's parameters (order of rows does not matter)."""
    rows = sorted(
        json.dumps(record, sort_keys=True)
        for record in _records(parameters, MODEL_COLUMNS)
    )
    return _digest("\n".join(rows))


def training_fingerprint(
    sample: pd.DataFrame, features: Sequence[str], id_column: str = "customer_id"
) -> str:
    """The digest of the training sample: its ids and feature values, sorted by id."""
    ordered = sample.sort_values(id_column, kind="stable")
    values = [ordered[id_column].to_numpy(np.int64).tobytes()]
    values += [ordered[name].to_numpy(np.float64).tobytes() for name in features]
    digest = hashlib.sha256()
    for part in values:
        digest.update(part)
    return digest.hexdigest()[:VERSION_LENGTH]


@dataclass(frozen=True)
class SegmentModel:
    """A segment model with its identity and the profile of its training data."""

    parameters: pd.DataFrame
    features: tuple[str, ...]
    profile: pd.DataFrame
    model_version: str
    fitted_on: str | None
    training_fingerprint: str

    @classmethod
    def identify(
        cls,
        parameters: pd.DataFrame,
        features: Sequence[str],
        sample: pd.DataFrame,
        fitted_on: str | None,
        profile: pd.DataFrame | None = None,
    ) -> SegmentModel:
        """A freshly fitted model: its version from the parameters, its
        fingerprint from the training sample."""
        return cls(
            parameters=parameters[list(MODEL_COLUMNS)].reset_index(drop=True),
            features=tuple(features),
            profile=_empty_profile() if profile is None else profile,
            model_version=model_version(parameters),
            fitted_on=fitted_on,
            training_fingerprint=training_fingerprint(sample, features),
        )

    def table(self) -> pd.DataFrame:
        """The parameter table with the identity columns on every row."""
        table = self.parameters[list(MODEL_COLUMNS)].copy()
        table["model_version"] = self.model_version
        table["fitted_on"] = self.fitted_on or ""
        table["training_fingerprint"] = self.training_fingerprint
        return table

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, profile: pd.DataFrame, features: Sequence[str]
    ) -> SegmentModel:
        """A model as the warehouse holds it (segment_model with its identity
        columns, and its training profile)."""
        missing = [c for c in (*MODEL_COLUMNS, *IDENTITY_COLUMNS) if c not in table]
        if missing:
            raise ModelFileError(
                f"the segment model has no column {', '.join(missing)}: "
                "rebuild the warehouse with this version of the project"
            )
        first = table.iloc[0]
        fitted_on = first["fitted_on"]
        return cls(
            parameters=table[list(MODEL_COLUMNS)].reset_index(drop=True),
            features=tuple(features),
            profile=profile[list(PROFILE_COLUMNS)].reset_index(drop=True),
            model_version=str(first["model_version"]),
            fitted_on=None if pd.isna(fitted_on) else str(fitted_on)[:10],
            training_fingerprint=str(first["training_fingerprint"]),
        )

    def document(self) -> dict:
        return {
            "format": MODEL_FILE_FORMAT,
            "format_version": MODEL_FILE_VERSION,
            "model_version": self.model_version,
            "fitted_on": self.fitted_on,
            "n_train_rows": int(self.parameters["n_train_rows"].iloc[0]),
            "training_fingerprint": self.training_fingerprint,
            "features": list(self.features),
            "parameters": _records(self.parameters, MODEL_COLUMNS),
            "training_profile": _records(self.profile, PROFILE_COLUMNS),
        }


def _empty_profile() -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in PROFILE_COLUMNS})


def write_model_file(model: SegmentModel, path: Path) -> Path:
    """Write model to path (JSON, atomically) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(model.document(), indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def read_model_file(path: Path, features: Sequence[str] | None = None) -> SegmentModel:
    """The model in the file at path; features, when given, must be the model's.
    Raises ModelFileError naming the file and the problem."""
    path = Path(path)
    where = f"segment model file {path}"
    if not path.is_file():
        raise ModelFileError(
            f"{where} does not exist: export one with `python -m customer_personality "
            "model export --db WAREHOUSE --out FILE`"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{where} is not a model file (not JSON: {error})") from None
    if not isinstance(document, dict) or document.get("format") != MODEL_FILE_FORMAT:
        raise ModelFileError(
            f"{where} is not a model file (no format '{MODEL_FILE_FORMAT}')"
        )
    if document.get("format_version") != MODEL_FILE_VERSION:
        raise ModelFileError(
            f"{where} has format_version {document.get('format_version')!r}; this "
            f"version of the project reads {MODEL_FILE_VERSION}: export it again"
        )
    needed = ("model_version", "features", "parameters", "training_profile")
    missing = [key for key in needed if key not in document]
    if missing:
        raise ModelFileError(f"{where} is corrupt: no {', '.join(missing)}")
    try:
        parameters = pd.DataFrame(document["parameters"], columns=list(MODEL_COLUMNS))
        profile = pd.DataFrame(
            document["training_profile"], columns=list(PROFILE_COLUMNS)
        )
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{where} is corrupt: {error}") from None
    if parameters.empty:
        raise ModelFileError(f"{where} is corrupt: it holds no parameters")
    parameters["value"] = parameters["value"].astype("float64")
    found = model_version(parameters)
    if found != document["model_version"]:
        raise ModelFileError(
            f"{where} is corrupt: its parameters give model_version {found}, the file "
            f"says {document['model_version']} (edited or truncated?)"
        )
    model_features = tuple(document["features"])
    if features is not None and tuple(features) != model_features:
        raise ModelFileError(
            f"{where} was fitted on the features {', '.join(model_features)}; this "
            f"build's var segment_features is {', '.join(features)}: refit (var "
            "segment_model_mode: fit) or set segment_features to the model's"
        )
    return SegmentModel(
        parameters=parameters,
        features=model_features,
        profile=profile,
        model_version=str(document["model_version"]),
        fitted_on=document.get("fitted_on"),
        training_fingerprint=str(document.get("training_fingerprint", "")),
    )
