"""Goal attainment (målopfyldelse): one documented, configurable rule.

Default: a goal is *opfyldt* when the result has come at least 100 % of the way from
baseline to target, *delvist opfyldt* at 50 % or more, otherwise *ikke opfyldt*; a goal
with no result is *ikke målt*. Yes/no goals are met when the result equals the target.
The same default is a live formula in the institution workbook's Resultater sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.spec.vocabulary import ATTAINMENT, DELVIST, IKKE_MAALT, IKKE_OPFYLDT, OPFYLDT

#: The attainment levels, best first (defined in :mod:`toolkit.spec.vocabulary`).
LEVELS = ATTAINMENT


@dataclass(frozen=True)
class AttainmentRule:
    full: float = 1.0  # share of the way from baseline to target that counts as met
    partial: float = 0.5  # share that counts as partly met


DEFAULT_RULE = AttainmentRule()


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def share_of_way(baseline: Any, target: Any, result: Any) -> float | None:
    """How far the result came from baseline towards target (1.0 = all the way)."""
    b, t, r = _num(baseline), _num(target), _num(result)
    if b is None or t is None or r is None or t == b:
        return None
    return (r - b) / (t - b)


def attainment(
    retning: Any, baseline: Any, target: Any, result: Any, rule: AttainmentRule = DEFAULT_RULE
) -> str | None:
    """The attainment level, or None where it cannot be computed (e.g. target = baseline)."""
    if result is None or (isinstance(result, str) and not result.strip()):
        return IKKE_MAALT
    if isinstance(retning, str) and retning.strip().lower() == "ja/nej":
        if isinstance(result, str) and isinstance(target, str):
            same = result.strip().lower() == target.strip().lower()
            return OPFYLDT if same else IKKE_OPFYLDT
        return None
    share = share_of_way(baseline, target, result)
    if share is None:
        return None
    if share >= rule.full:
        return OPFYLDT
    if share >= rule.partial:
        return DELVIST
    return IKKE_OPFYLDT
