"""Words for the statistics: effect-size adjectives and each test's one-line reading."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Words for effect sizes: the thresholds on the absolute value, then one word more.
# epsilon²: Tomczak & Tomczak (2014); rank-biserial, Cramér's V, rho: Cohen (1988).
EPSILON_SQUARED_THRESHOLDS: tuple[float, ...] = (0.01, 0.08, 0.26)
CORRELATION_THRESHOLDS: tuple[float, ...] = (0.1, 0.3, 0.5)
ADVERBS: tuple[str, ...] = ("negligibly", "slightly", "moderately", "strongly")
CORRELATION_ADVERBS: tuple[str, ...] = ("negligibly", "weakly", "moderately", "strongly")
ADJECTIVES: tuple[str, ...] = ("negligible", "weak", "moderate", "strong")


def _word(value: float, thresholds: Sequence[float], words: Sequence[str]) -> str:
    """The word of the first threshold above |value|, else the last word."""
    return words[int(np.searchsorted(thresholds, abs(value), side="right"))]


def _p_text(p: float, prefix: str = "p") -> str:
    return f"{prefix} < 0.001" if p < 0.001 else f"{prefix} = {p:.3f}"


def kruskal_text(
    feature: str, grouping: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: not testable across {grouping} groups (too few values)"
    detail = f"(epsilon² = {effect:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence that {feature} differs across {grouping} groups {detail}"
    strength = _word(effect, EPSILON_SQUARED_THRESHOLDS, ADVERBS)
    return f"{feature} differs {strength} across {grouping} groups {detail}"


def mann_whitney_text(
    feature: str, label_a: str, label_b: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: {label_a} vs {label_b} not testable (a group has no values)"
    detail = f"(rank-biserial = {effect:.2f}, {_p_text(p, 'Holm p')})"
    if p >= alpha:
        pair = f"{label_a} and {label_b}"
        return f"no evidence that {feature} differs between {pair} {detail}"
    higher, lower = (label_a, label_b) if effect > 0 else (label_b, label_a)
    strength = _word(effect, CORRELATION_THRESHOLDS, ADJECTIVES)
    return f"{feature} is higher in {higher} than in {lower}, {strength} effect {detail}"


def chi_square_text(
    feature: str, grouping: str, effect: float, p: float, alpha: float
) -> str:
    if not np.isfinite(p):
        return f"{feature}: not testable against {grouping} (fewer than two values)"
    detail = f"(Cramér's V = {effect:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence that {feature} is associated with {grouping} {detail}"
    strength = _word(effect, CORRELATION_THRESHOLDS, ADJECTIVES)
    return f"{feature} has a {strength} association with {grouping} {detail}"


def correlation_text(a: str, b: str, rho: float, p: float, alpha: float) -> str:
    if not np.isfinite(p):
        return (
            f"{a} and {b}: correlation undefined (fewer than 3 rows or constant values)"
        )
    detail = f"(rho = {rho:.2f}, {_p_text(p)})"
    if p >= alpha:
        return f"no evidence of a correlation between {a} and {b} {detail}"
    strength = _word(rho, CORRELATION_THRESHOLDS, CORRELATION_ADVERBS)
    sign = "positively" if rho > 0 else "negatively"
    return f"{a} and {b} are {strength} {sign} correlated {detail}"
