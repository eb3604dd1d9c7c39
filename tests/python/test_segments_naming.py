"""customer_personality.segments.naming: the naming rule of the mixture's components and
the segment definitions it reads from the seed."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from conftest import SEGMENT_DEFINITIONS_FILE
from customer_personality.segments import SegmentDefinitions, name_components
from helpers.segments import DEFINITIONS, FEATURES, SEGMENT_NAMES

# Standardized means (income, seniority_months, spending) built to match each name.
HAND_MEANS = {
    "Stars": (1.2, 1.0, 1.4),
    "High potential": (1.0, -0.9, 1.1),
    "Leaky bucket": (-0.8, 1.1, -0.9),
    "Need attention": (-1.0, -1.0, -1.0),
}


def test_name_components_follows_rule_for_every_component_order():
    names = list(HAND_MEANS)
    means = np.array([HAND_MEANS[name] for name in names])
    for order in itertools.permutations(range(4)):
        order = list(order)
        assert name_components(means[order], FEATURES, DEFINITIONS) == [
            names[i] for i in order
        ]


def test_name_components_uses_feature_positions_not_column_order():
    features = ("spending", "income", "seniority_months")
    means = np.array([[s, i, t] for i, t, s in HAND_MEANS.values()])
    assert name_components(means, features, DEFINITIONS) == list(HAND_MEANS)


def test_name_components_value_beats_seniority():
    # The most senior component has the lowest value: it is a Leaky bucket, not a Star.
    means = np.array(
        [
            [0.5, -0.2, 0.5],  # value 1.0, the more senior of the high pair
            [0.6, -0.5, 0.6],  # value 1.2
            [-0.4, 3.0, -0.4],  # value -0.8, very senior
            [-0.5, 0.0, -0.5],  # value -1.0
        ]
    )
    assert name_components(means, FEATURES, DEFINITIONS) == [
        "Stars",
        "High potential",
        "Leaky bucket",
        "Need attention",
    ]


def test_name_components_ties_do_not_depend_on_order():
    # Equal value for all; equal seniority within pairs: the means decide, not the index.
    means = np.array(
        [[0.0, 1.0, 0.0], [0.1, 1.0, -0.1], [0.0, -1.0, 0.0], [0.2, -1.0, -0.2]]
    )
    reference = name_components(means, FEATURES, DEFINITIONS)
    assert sorted(reference) == sorted(SEGMENT_NAMES)
    for order in itertools.permutations(range(4)):
        order = list(order)
        assert name_components(means[order], FEATURES, DEFINITIONS) == [
            reference[i] for i in order
        ]


def test_name_components_other_counts_rank_by_value():
    means = np.array([[0.0, 0.0, 0.0], [2.0, 0.0, 1.0], [-1.0, 5.0, -1.0]])
    assert name_components(means, FEATURES, DEFINITIONS) == [
        "Segment 2",
        "Segment 1",
        "Segment 3",
    ]


def test_names_order_and_tiers_come_from_the_definitions():
    """Renamed, reordered seed rows name the same components: the tier of segment 1
    takes the two highest-value components, the lower seniority_rank the more senior."""
    seed = pd.read_csv(SEGMENT_DEFINITIONS_FILE)
    renamed = seed.assign(
        segment=["Gold", "Silver", "Bronze", "Tin"],
        segment_order=[2, 1, 4, 3],
    ).iloc[::-1]
    definitions = SegmentDefinitions.from_frame(renamed)
    assert definitions.names == ("Silver", "Gold", "Tin", "Bronze")
    means = np.array(list(HAND_MEANS.values()))
    assert name_components(means, FEATURES, definitions) == [
        "Gold",
        "Silver",
        "Bronze",
        "Tin",
    ]


def test_definitions_reject_ranks_that_do_not_number_a_tier():
    seed = pd.read_csv(SEGMENT_DEFINITIONS_FILE)
    with pytest.raises(ValueError, match="seniority_rank of value tier 'high'"):
        SegmentDefinitions.from_frame(seed.assign(seniority_rank=[1, 1, 1, 2]))
    with pytest.raises(ValueError, match="missing columns: \\['value_tier'\\]"):
        SegmentDefinitions.from_frame(seed.drop(columns="value_tier"))


def test_name_components_rejects_wrong_shape():
    with pytest.raises(ValueError):
        name_components(np.zeros((4, 2)), FEATURES, DEFINITIONS)
