"""An indicator per institution from a survey export.

Definitions (the library's ``beregning``):

* A *response* is a row of the export for the institution. A *respondent* is a response with
  at least one valid answer in the scale columns; the indicator is computed over respondents.
* A respondent's score is the mean of their valid answers in the scale columns (one column:
  the answer itself). A valid answer is a number on the scale ("4", 4, "4,0"); blank,
  "ved ikke" and other text are missing; a number off the scale is missing and reported.
* ``andel_mindst``: the share of respondents whose score is at least ``graense``, in percent.
  ``gennemsnit``: the mean score. The response rate: responses in percent of those invited.
  Values are rounded to one decimal (Danish rounding of halves away from zero).
* An institution with fewer respondents than the anonymity threshold gets no value: it is
  reported, not used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from toolkit.master.measurements.survey import Export, Mapping, SurveyError, header_key
from toolkit.reading.inputs import Institution, normalise_id
from toolkit.rules.indicators import Indicator, Library

_MISSING = {"", "ved ikke", "vedikke", "ikke relevant", "-", "–", "n/a", "na"}


def round1(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def answer(v: Any) -> float | None:
    """A cell's number (Danish decimal comma allowed), or None for blank/text."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    text = str(v).strip().replace("\u00a0", " ")
    if text.lower() in _MISSING:
        return None
    try:
        return float(text.replace(",", ".")) if text.count(",") <= 1 and "." not in text else None
    except ValueError:
        return None


@dataclass
class Measurement:
    """One institution's figure."""

    id: str
    navn: str
    type: str
    besvarelser: int  # responses (rows)
    respondenter: int  # responses with a valid answer on the scale
    inviterede: int | None
    svarprocent: float | None
    vaerdi: float | None  # None: too few respondents (anonymity) or nothing to compute
    for_faa: bool = False


@dataclass
class Result:
    indicator: Indicator
    measurements: list[Measurement] = field(default_factory=list)
    #: Danish lines for the report: unknown institutions, off-scale answers, too few
    problems: list[str] = field(default_factory=list)


def _matcher(institutions: Iterable[Institution]) -> dict[str, Institution]:
    by: dict[str, Institution] = {}
    for inst in institutions:
        by[header_key(normalise_id(inst.id))] = inst
        by.setdefault(header_key(inst.navn), inst)
    return by


def compute(
    export: Export, mapping: Mapping, library: Library, institutions: Iterable[Institution]
) -> Result:
    ind = library.get(mapping.indikator)
    if ind.beregning is None and ind.id != "svarprocent":
        raise SurveyError(
            f"Indikatoren '{ind.navn}' måles ikke med et spørgeskema og kan ikke beregnes "
            "fra en undersøgelse."
        )
    if ind.beregning is not None and not mapping.scale:
        raise SurveyError(f"Kortlægningen skal angive skalakolonner for '{ind.navn}'.")
    inst_col = export.column(mapping.institution)
    scale_cols = [export.column(h) for h in mapping.scale]
    lo, hi = ind.skala or (float("-inf"), float("inf"))
    match = _matcher(institutions)
    groups: dict[str, tuple[Institution, list[float | None]]] = {}
    unknown: dict[str, int] = {}
    off_scale = 0
    for row in export.rows:
        raw = row[inst_col] if inst_col < len(row) else None
        key = header_key(normalise_id(raw))
        inst = match.get(key)
        if inst is None:
            shown = normalise_id(raw) or "(tom)"
            unknown[shown] = unknown.get(shown, 0) + 1
            continue
        answers = []
        for c in scale_cols:
            a = answer(row[c]) if c < len(row) else None
            if a is not None and not lo <= a <= hi:
                off_scale += 1
                a = None
            if a is not None:
                answers.append(a)
        score = sum(answers) / len(answers) if answers else None
        groups.setdefault(inst.id, (inst, []))[1].append(score)
    out = Result(ind)
    for name, n in sorted(unknown.items()):
        out.problems.append(
            f"'{name}' ({n} besvarelse{'r' if n != 1 else ''}) findes ikke i "
            "virksomhedsregistret (hverken som id eller navn); besvarelserne er ikke brugt."
        )
    if off_scale:
        out.problems.append(
            f"{off_scale} svar lå uden for skalaen {lo:g}–{hi:g} og er ikke talt med."
        )
    population = {header_key(normalise_id(k)): v for k, v in mapping.population.items()}
    for inst, scores in sorted(groups.values(), key=lambda g: g[0].navn):
        valid = [s for s in scores if s is not None]
        invited = population.get(header_key(normalise_id(inst.id))) or population.get(
            header_key(inst.navn)
        )
        rate = round1(100 * len(scores) / invited) if invited else None
        m = Measurement(inst.id, inst.navn, inst.type, len(scores), len(valid), invited, rate, None)
        if ind.beregning is None:  # the response rate itself
            m.respondenter = len(scores)
            if rate is None:
                out.problems.append(f"{inst.navn}: antal inviterede mangler, så svarprocenten "
                                    "kan ikke beregnes.")  # fmt: skip
        base = m.respondenter
        if base < mapping.anonymity:
            m.for_faa = True
            out.problems.append(
                f"{inst.navn}: kun {base} besvarelse{'r' if base != 1 else ''} — under "
                f"anonymitetsgrænsen på {mapping.anonymity}. Tallet bruges ikke."
            )
        elif ind.beregning == "andel_mindst":
            assert ind.graense is not None
            m.vaerdi = round1(100 * sum(s >= ind.graense for s in valid) / len(valid))
        elif ind.beregning == "gennemsnit":
            m.vaerdi = round1(sum(valid) / len(valid))
        else:
            m.vaerdi = rate
        out.measurements.append(m)
    return out
