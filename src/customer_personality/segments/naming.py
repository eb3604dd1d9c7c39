"""Segment names: the definitions (seed segment_definitions) and the naming rule."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_FEATURES: tuple[str, ...] = ("income", "seniority_months", "spending")
VALUE_FEATURES: tuple[str, str] = ("income", "spending")
SENIORITY_FEATURE = "seniority_months"
DEFINITION_COLUMNS: tuple[str, ...] = (
    "segment",
    "segment_order",
    "value_tier",
    "seniority_rank",
)


@dataclass(frozen=True)
class SegmentDefinitions:
    """The named segments of the seed segment_definitions, in segment_order.

    names[i] is in value tier value_tiers[i], with seniority_ranks[i] among its tier
    (1: the most senior). Tiers rank by value in the order of their first segment:
    the tier of segment 1 takes the highest-value components.
    """

    names: tuple[str, ...]
    value_tiers: tuple[str, ...]
    seniority_ranks: tuple[int, ...]

    def __post_init__(self) -> None:
        if not len(self.names) == len(self.value_tiers) == len(self.seniority_ranks):
            raise ValueError("names, value_tiers and seniority_ranks differ in length")
        if not self.names or len(set(self.names)) != len(self.names):
            raise ValueError(f"segment names must be distinct, got {self.names}")
        for tier, members in self.tiers().items():
            ranks = sorted(self.seniority_ranks[self.names.index(m)] for m in members)
            if ranks != list(range(1, len(members) + 1)):
                raise ValueError(
                    f"seniority_rank of value tier {tier!r} must be 1..{len(members)}, "
                    f"got {ranks}"
                )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SegmentDefinitions:
        """The definitions of a segment_definitions table (any row order)."""
        missing = [c for c in DEFINITION_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"segment definitions are missing columns: {missing}")
        rows = frame.sort_values("segment_order", kind="stable")
        return cls(
            names=tuple(str(name) for name in rows["segment"]),
            value_tiers=tuple(str(tier) for tier in rows["value_tier"]),
            seniority_ranks=tuple(int(rank) for rank in rows["seniority_rank"]),
        )

    def tiers(self) -> dict[str, tuple[str, ...]]:
        """Names of each value tier, highest value first, by seniority rank."""
        members: dict[str, list[str]] = {}
        for name, tier in zip(self.names, self.value_tiers, strict=True):
            members.setdefault(tier, []).append(name)
        return {
            tier: tuple(
                sorted(names, key=lambda n: self.seniority_ranks[self.names.index(n)])
            )
            for tier, names in members.items()
        }


def probability_column(name: str) -> str:
    """Snake-case probability column for a segment name ('High potential' -> ...)."""
    return "probability_" + re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _value_and_seniority(
    means: np.ndarray, features: Sequence[str]
) -> tuple[np.ndarray, np.ndarray | None]:
    """Customer value (income + spending) and seniority of each component mean."""
    features = list(features)
    if all(feature in features for feature in VALUE_FEATURES):
        value = sum(means[:, features.index(feature)] for feature in VALUE_FEATURES)
    else:
        value = means.mean(axis=1)
    seniority = None
    if SENIORITY_FEATURE in features:
        seniority = means[:, features.index(SENIORITY_FEATURE)]
    return np.asarray(value, dtype=np.float64), seniority


def _by_value(means: np.ndarray, features: Sequence[str]) -> tuple[list[int], np.ndarray]:
    """Component indices by descending value, and each component's seniority (0s
    without the feature). Ties break on seniority, then on the whole mean vector."""
    value, seniority = _value_and_seniority(means, features)
    senior = np.zeros(means.shape[0]) if seniority is None else seniority
    # np.lexsort sorts by the last key first: value, then seniority, then the means.
    keys = [-means[:, j] for j in reversed(range(means.shape[1]))] + [-senior, -value]
    return [int(i) for i in np.lexsort(keys)], senior


def name_components(
    means: np.ndarray, features: Sequence[str], definitions: SegmentDefinitions
) -> list[str]:
    """Segment name of each component from its standardized mean (the naming rule of
    docs/architecture.md, "Definitions").

    As many components as definitions, with income, spending and seniority_months
    among the features: components by descending mean standardized income + spending
    fill the value tiers in turn (the first tier's size takes the highest); within a
    tier the more senior component gets the name of lower seniority_rank. Any other
    case: 'Segment 1'..'Segment n' by descending value (income + spending, or the
    mean of all standardized features without them). Ties break on seniority, then
    on the whole mean vector, never on the index, so the names do not depend on the
    order of the components.
    """
    means = np.asarray(means, dtype=np.float64)
    if means.ndim != 2 or means.shape[1] != len(features):
        raise ValueError(
            f"means must have shape (n_components, {len(features)}), got {means.shape}"
        )
    by_value, senior = _by_value(means, features)
    names = [""] * len(by_value)
    has_rule_features = SENIORITY_FEATURE in features and all(
        feature in features for feature in VALUE_FEATURES
    )
    if len(by_value) != len(definitions.names) or not has_rule_features:
        for rank, component in enumerate(by_value, start=1):
            names[component] = f"Segment {rank}"
        return names
    start = 0
    for tier_names in definitions.tiers().values():
        tier = by_value[start : start + len(tier_names)]
        start += len(tier_names)
        # Stable sort: equal seniority keeps the value order.
        by_seniority = sorted(tier, key=lambda component: -senior[component])
        for component, name in zip(by_seniority, tier_names, strict=True):
            names[component] = name
    return names


def canonical_order(names: Sequence[str], definitions: SegmentDefinitions) -> list[int]:
    """Component indices in output order: the definitions' order, else Segment 1..n."""
    if set(names) == set(definitions.names):
        return [list(names).index(name) for name in definitions.names]
    return sorted(range(len(names)), key=lambda i: int(names[i].split()[-1]))
