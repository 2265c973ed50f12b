"""A generated filling's year-end results: values for a wanted attainment, explanations."""

from __future__ import annotations

from datetime import date, timedelta

from toolkit.demo import names
from toolkit.demo.filling_base import CleanGoal, round_to
from toolkit.demo.municipality import (
    FastRandom,
    cumulative,
)
from toolkit.spec.vocabulary import ATTAINMENT, DELVIST, IKKE_MAALT, IKKE_OPFYLDT, OPFYLDT

_ATTAINMENT = ATTAINMENT
_ATTAINMENT_CUM = cumulative((62, 18, 13, 7))

RESULT_SEED_SALT = 0x5F3759DF


# --------------------------------------------------------------------------- results


def _result_value(
    rng: FastRandom, c: CleanGoal, status: str
) -> tuple[int | float | str | None, str]:
    """The measured value for the wanted attainment (the status may be downgraded)."""
    if status == IKKE_MAALT:
        return None, status
    if c.retning == names.JN:
        return ("Ja", status) if status == OPFYLDT else ("Nej", IKKE_OPFYLDT)
    base_v, target_v = c.baseline, c.target
    assert isinstance(base_v, int | float) and isinstance(target_v, int | float)
    b, t, dec = float(base_v), float(target_v), c.decimaler
    sign = 1.0 if c.retning == names.H else -1.0
    span = t - b
    step = 10.0**-dec
    cap = 100.0 if c.enhed == names.PCT else 5.0 if c.enhed == names.PT else None

    def clamp(x: float) -> int | float:
        x = max(0.0, x)
        if cap is not None:
            x = min(cap, x)
        return round_to(x, dec)

    if status == DELVIST and abs(span) < 2 * step:
        status = IKKE_OPFYLDT
    if status == OPFYLDT:
        r = clamp(t + sign * rng.uniform(0.0, 0.5) * abs(span))
        if sign * (r - t) < 0:
            r = target_v
        return r, status
    if status == DELVIST:
        r = clamp(b + span * rng.uniform(0.3, 0.8))
        if r in (base_v, target_v):
            r = clamp(b + sign * step)
        return r, status
    return clamp(b - sign * rng.uniform(0.0, 0.6) * max(abs(span), step)), IKKE_OPFYLDT


_EXPLANATIONS: dict[tuple[str, str, bool], tuple[str, ...]] = {}


def _explanations(status: str, c: CleanGoal) -> tuple[str, ...]:
    """The explanations that fit a goal with this attainment (cached)."""
    janej = c.retning == names.JN
    group = "janej" if janej else c.gruppe
    survey = c.maalemetode == names.SPM and status != OPFYLDT
    key = (status, group, survey)
    hit = _EXPLANATIONS.get(key)
    if hit is None:
        texts = names.FORKLARINGER[status]
        own = texts.get(group, ())
        hit = own if janej and own else texts["*"] + own
        if survey:
            hit += names.FORKLARING_SPOERGESKEMA
        _EXPLANATIONS[key] = hit
    return hit


def make_results(rng: FastRandom, clean: list[CleanGoal], year: int) -> list[dict[str, object]]:
    first, last = date(year, 1, 1), date(year + 1, 3, 31)
    rows: list[dict[str, object]] = []
    for c in clean:
        wanted = rng.weighted(_ATTAINMENT, _ATTAINMENT_CUM)
        value, status = _result_value(rng, c, wanted)
        pct = rng.between(38, 88)
        if status == IKKE_MAALT:
            why = names.FORKLARING_IKKE_MAALT
            rows.append(
                {
                    "resultat": None,
                    "maalt_dato": None,
                    "dokumentation": names.INGEN_DOKUMENTATION,
                    "forklaring": rng.pick(why.get(c.maalemetode, why["*"])).format(
                        aar=year, naeste=year + 1
                    ),
                }
            )
            continue
        measured = c.frist + timedelta(days=rng.between(-20, 40))
        measured = min(max(measured, first), last)
        forklaring: str | None = None
        if status != OPFYLDT or rng.random() < 0.35:
            forklaring = rng.pick(_explanations(status, c)).format(pct=rng.between(14, 32))
        rows.append(
            {
                "resultat": value,
                "maalt_dato": measured,
                "dokumentation": rng.pick(names.DOKUMENTATION[c.maalemetode]).format(
                    aar=year, pct=pct
                ),
                "forklaring": forklaring,
            }
        )
    return rows
