"""The customers: the key features' distributions and correlations, and the raw
rows kept and rejected."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from customer_personality.report.queries.header import REJECTED_ROWS
from customer_personality.report.text import KEY_FEATURES
from customer_personality.report.warehouse import MissingData, Warehouse

NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE")


def numeric_features(wh: Warehouse, names: Sequence[str]) -> list[str]:
    """The names among names that are numeric columns of customers, in that order."""
    wh.need("customers")
    types = dict(
        wh.con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'customers' "
            "and table_schema in (select unnest(current_schemas(false)))"
        ).fetchall()
    )
    return [
        name
        for name in dict.fromkeys(names)
        if name in types
        and (types[name] in NUMERIC_TYPES or types[name].startswith("DECIMAL"))
    ]


def key_features(wh: Warehouse) -> list[str]:
    """The key features customers has (KEY_FEATURES), then the numeric features of
    the input contract (its list features), in that order."""
    return numeric_features(wh, [*KEY_FEATURES, *(wh.contract_list("features") or [])])


def feature_histograms(wh: Warehouse, bins: int = 30) -> pd.DataFrame:
    """Per key feature (key_features) and bin of `bins` equal widths over all
    customers: feature, bin centre, width, customers, and the feature's median and
    skewness."""
    features = key_features(wh)
    if not features:
        wh.need("customers", *KEY_FEATURES)
    parts = []
    for feature in features:
        low, high, median, skew = wh.con.execute(
            f"select min({feature})::double, max({feature})::double, "
            f"median({feature})::double, skewness({feature}) from customers"
        ).fetchone()
        if low is None:
            continue
        width = (high - low) / bins or 1
        counts = wh.frame(
            f"select least(floor(({feature} - ?) / ?), {bins - 1})::int as bin, "
            f"count(*) as customers from customers where {feature} is not null "
            "group by bin order by bin",
            [low, width],
        )
        counts["center"] = low + (counts.pop("bin") + 0.5) * width
        parts.append(
            counts.assign(feature=feature, width=width, median=median, skew=skew)
        )
    if not parts:
        raise MissingData("The table customers holds no rows.")
    return pd.concat(parts, ignore_index=True)


def correlations(wh: Warehouse, features: Sequence[str]) -> pd.DataFrame:
    """Pearson correlation of each pair of the features present in customers and of
    the input contract's numeric features, over all customers: a symmetric matrix
    with ones on the diagonal."""
    wh.need("customers")
    present = [name for name in features if name in wh.columns["customers"]]
    present += numeric_features(wh, wh.contract_list("features") or [])
    present = list(dict.fromkeys(present))
    if len(present) < 2:
        raise MissingData("customers has fewer than two numeric features to correlate.")
    pairs = [(a, b) for i, a in enumerate(present) for b in present[i + 1 :]]
    values = wh.con.execute(
        "select " + ", ".join(f"corr({a}, {b})" for a, b in pairs) + " from customers"
    ).fetchone()
    matrix = pd.DataFrame(np.eye(len(present)), index=present, columns=present)
    for (a, b), value in zip(pairs, values, strict=True):
        matrix.loc[a, b] = matrix.loc[b, a] = np.nan if value is None else value
    return matrix


def income_spending_correlation(wh: Warehouse) -> float:
    wh.need("customers", "income", "spending")
    return wh.value("select corr(income, spending) from customers")


def rejection_reasons(wh: Warehouse) -> pd.DataFrame:
    """reason, rows_: how many rejected rows give each reason, most first."""
    wh.need(REJECTED_ROWS, "rejection_reasons")
    data = wh.frame(
        "select reason, count(*) as rows_ from "
        f"(select unnest(rejection_reasons) as reason from {REJECTED_ROWS}) "
        "group by reason order by rows_ desc, reason"
    )
    if data.empty:
        raise MissingData("No row was rejected: every raw row passed the checks.")
    return data


def kept_rejected(wh: Warehouse) -> tuple[int, int]:
    """(kept customers, rejected raw rows)."""
    wh.need("customers")
    wh.need(REJECTED_ROWS)
    kept = wh.value("select count(*) from customers")
    return kept, wh.value(f"select count(*) from {REJECTED_ROWS}")
