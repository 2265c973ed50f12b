"""Goal attainment (målopfyldelse): one documented, configurable rule.

Default: a goal is *opfyldt* when the result has come at least 100 % of the way from
baseline to target, *delvist opfyldt* at 50 % or more, otherwise *ikke opfyldt*; a goal
with no result is *ikke målt*. Yes/no goals are met when the result equals the target.
The rule is a setting of the master (:data:`RULE_SETTINGS`, percent numbers on its sheet
Indstillinger; blank: the default): :func:`rule_from_settings` reads it, and the same rule is
the live formula in the institution workbook's Resultater sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.errors import UserError
from toolkit.reading.numbers import parse_number_text
from toolkit.spec.vocabulary import ATTAINMENT, DELVIST, IKKE_MAALT, IKKE_OPFYLDT, OPFYLDT

#: The attainment levels, best first (defined in :mod:`toolkit.spec.vocabulary`).
LEVELS = ATTAINMENT


@dataclass(frozen=True)
class AttainmentRule:
    full: float = 1.0  # share of the way from baseline to target that counts as met
    partial: float = 0.5  # share that counts as partly met


DEFAULT_RULE = AttainmentRule()


@dataclass(frozen=True)
class RuleOverride:
    """Thresholds given for one run (the command line's ``--opfyldt``/``--delvist``, as
    shares); None keeps the master's setting."""

    full: float | None = None
    partial: float | None = None


#: The rule as settings of the master (key, Danish label, help): percent numbers; the keys
#: are also the command line's options (``--opfyldt``, ``--delvist``).
RULE_SETTINGS = (
    ("opfyldt", "Opfyldt ved (%)",
     "Et mål er opfyldt, når resultatet er nået mindst så mange procent af vejen fra "
     "udgangspunkt til målværdi (standard 100)."),
    ("delvist", "Delvist opfyldt ved (%)",
     "Et mål er delvist opfyldt fra så mange procent af vejen (standard 50; højst Opfyldt ved)."),
)  # fmt: skip
_FIELD = {"opfyldt": "full", "delvist": "partial"}
_LABEL = {key: label for key, label, _ in RULE_SETTINGS}


class RuleSettingError(UserError):
    """A threshold of the attainment rule that is not a usable percent."""


def percent(share: float) -> int | float:
    """A share as the percent number the settings show (0.9 → 90)."""
    p = round(share * 100, 6)
    return int(p) if p.is_integer() else p


def rule_settings(rule: AttainmentRule) -> dict[str, int | float]:
    """The rule as it goes onto the master's Indstillinger (percent numbers)."""
    return {key: percent(getattr(rule, attr)) for key, attr in _FIELD.items()}


def _percent_of(v: Any) -> float | None:
    """A typed percent (90, "90", "90 %", "66,5"), or None when it is not a number."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    return parse_number_text(v) if isinstance(v, str) else None


def rule_from_settings(
    settings: Mapping[str, Any],
    where: Callable[[str], str] = lambda key: _LABEL[key],
    override: AttainmentRule | RuleOverride | None = None,
) -> AttainmentRule:
    """The attainment rule on the master's settings (a blank setting: the default), with
    ``override`` (a whole rule, or single thresholds) in place of the settings it gives.
    ``where(key)`` names a setting's cell in the Danish :class:`RuleSettingError` raised for
    a value that is not a number, a threshold at or below 0, or partly above fully met."""
    if isinstance(override, AttainmentRule):
        override = RuleOverride(override.full, override.partial)
    override = override or RuleOverride()
    shares: dict[str, float] = {}
    named: dict[str, str] = {}
    for key, attr in _FIELD.items():
        given = getattr(override, attr)
        if given is not None:
            shares[key], named[key] = float(given), f"--{key}"
            continue
        named[key] = where(key)
        raw = settings.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            shares[key] = getattr(DEFAULT_RULE, attr)
            continue
        p = _percent_of(raw)
        if p is None:
            raise RuleSettingError(f"{named[key]}: «{raw}» er ikke et tal. Skriv en procent, fx "
                                   f"{percent(getattr(DEFAULT_RULE, attr))}. Intet er ændret.")  # fmt: skip
        if 0 < p <= 1:  # "90%" typed in Excel is stored as 0.9: never graded as 0.9 %
            raise RuleSettingError(f"{named[key]}: «{raw}» ligner en andel, ikke en procent (Excel "
                                   "gemmer 90 % som 0,9). Skriv procenttallet, fx 90, i en celle "
                                   "uden procentformat. Intet er ændret.")  # fmt: skip
        shares[key] = p / 100
    for key in _FIELD:
        if shares[key] <= 0:
            raise RuleSettingError(f"{named[key]}: tærsklen skal være større end 0 "
                                   f"(nu {percent(shares[key])} %). Intet er ændret.")  # fmt: skip
    if shares["delvist"] > shares["opfyldt"]:
        full = "--opfyldt" if named["opfyldt"] == "--opfyldt" else _LABEL["opfyldt"]
        raise RuleSettingError(f"{named['delvist']}: {percent(shares['delvist'])} % er mere end "
                               f"{full} ({percent(shares['opfyldt'])} %); delvist opfyldt må højst "
                               "være det samme som opfyldt. Intet er ændret.")  # fmt: skip
    return AttainmentRule(shares["opfyldt"], shares["delvist"])


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
