"""What an institution types into its workbook: plain data keyed by the spec's keys.

``generate_filling`` returns one institution's input (sheet "virksomhed", tables tblGruppe,
tblDialog, tblMaal and, in the results phase, tblResultater), with a few deliberate
mistakes in some of them; ``GeneratedFilling.mistakes`` lists the rule ids of those mistakes
(ground truth for tests of the checks).  ``generate_all`` does it for a whole municipality.

Conventions: an empty cell is ``None``; dates are ``datetime.date``; numbers are ``int`` or
``float``; values of Ja/Nej goals are the strings "Ja"/"Nej".  The cell mistakes put a
``str`` where a number or date belongs ("12,5", "ca. 80", "1/3-2027").

The proposal part depends only on ``rng_seed``: a filling in phase "resultater" has exactly
the same virksomhed, gruppe, dialog, maal and mistakes as in phase "forslag".
"""

from __future__ import annotations

from datetime import date

from toolkit.demo import names
from toolkit.demo.filling_base import N_COMMON_GOALS, N_GOALS, CleanGoal, GeneratedFilling, round_to
from toolkit.demo.mistakes import MISTAKES, apply_mistakes, pick_mistakes
from toolkit.demo.municipality import (
    FastRandom,
    Institution,
    Municipality,
    type_spec,
)
from toolkit.demo.names import GoalTemplate
from toolkit.demo.people import make_dialog, make_group, make_virksomhed
from toolkit.demo.results import RESULT_SEED_SALT, make_results
from toolkit.spec.workbook import OWN_PROPOSAL

__all__ = [  # the demo's filling API (the parts live in filling_base, people, mistakes, results)
    "MISTAKES",
    "PHASES",
    "REQUIRED_GOAL_FIELDS",
    "GeneratedFilling",
    "generate_all",
    "generate_filling",
]

PHASES = ("forslag", "resultater")

# Required columns of tblMaal (paakraevet = "altid"), in spec order.
REQUIRED_GOAL_FIELDS: tuple[str, ...] = (
    "titel",
    "indsatsomraade",
    "maaltype",
    "indikator",
    "maalemetode",
    "enhed",
    "retning",
    "baseline",
    "maalvaerdi",
    "dokumentationskrav",
    "ansvarlig",
    "frist",
)
# The fields a careless institution leaves empty.
_SPLIT: dict[str, tuple[list[GoalTemplate], list[GoalTemplate]]] = {}


def _split(templates: tuple[GoalTemplate, ...]) -> tuple[list[GoalTemplate], list[GoalTemplate]]:
    numeric = [t for t in templates if t.retning != names.JN]
    janej = [t for t in templates if t.retning == names.JN]
    return numeric, janej


def _family_split(family: str) -> tuple[list[GoalTemplate], list[GoalTemplate]]:
    if family not in _SPLIT:
        _SPLIT[family] = _split(names.GOALS[family])
    return _SPLIT[family]


_COMMON_NUM, _COMMON_JN = _split(names.COMMON_GOALS)

_FOCUS_TEMPLATES: dict[tuple[str, str], names.FocusTemplate] = {
    (udvalg, ft.titel): ft for udvalg, pool in names.FOCUS_POOL.items() for ft in pool
}


class _FocusMatch:
    """A committee's focus areas that fit one kind of institution, and per goal template
    the best-fitting ones (most tags in common)."""

    __slots__ = ("areas", "by_template", "weights")

    def __init__(self, areas: list[tuple[str, frozenset[str]]]) -> None:
        self.areas = areas
        self.by_template: dict[int, tuple[str, ...]] = {}
        self.weights: dict[int, list[float]] = {}

    def preference(self, templates: list[GoalTemplate]) -> list[float]:
        """Sampling weights: a template that fits a focus area is four times as likely."""
        key = id(templates)  # the template lists are module-level caches
        hit = self.weights.get(key)
        if hit is None:
            hit = self.weights[key] = [4.0 if self.best(t) else 1.0 for t in templates]
        return hit

    def best(self, t: GoalTemplate) -> tuple[str, ...]:
        key = id(t)  # templates are module constants
        hit = self.by_template.get(key)
        if hit is None:
            best = 0
            matching: list[str] = []
            for titel, tags in self.areas:
                score = len(tags.intersection(t.tags))
                if score > best:
                    best, matching = score, [titel]
                elif score == best and score:
                    matching.append(titel)
            hit = self.by_template[key] = tuple(matching)
        return hit


_FOCUS_CACHE: dict[tuple[str, str, tuple[str, ...]], _FocusMatch] = {}


def _focus_match(muni: Municipality, udvalg: str, family: str) -> _FocusMatch:
    """The year's focus areas of the committee that fit this kind of institution.

    A focus area not from ``names.FOCUS_POOL`` (a hand-made municipality) is never matched.
    """
    focus = muni.focus_areas_for(udvalg, muni.year)
    key = (udvalg, family, tuple(fa.titel for fa in focus))
    hit = _FOCUS_CACHE.get(key)
    if hit is None:
        areas = []
        for fa in focus:
            ft = _FOCUS_TEMPLATES.get((udvalg, fa.titel))
            if ft is not None and (not ft.families or family in ft.families):
                areas.append((fa.titel, frozenset(ft.tags)))
        hit = _FOCUS_CACHE[key] = _FocusMatch(areas)
    return hit


_GOAL_GROUPS: dict[int, str] = {}


def _goal_group(t: GoalTemplate) -> str:
    """Whom a goal is about: "bruger", "medarbejder", "kompetence" or "*" (neither)."""
    key = id(t)  # templates are module constants
    group = _GOAL_GROUPS.get(key)
    if group is None:
        tags = set(t.tags)
        if tags & names.COMPETENCE_TAGS:
            group = "kompetence"
        elif tags & names.STAFF_TAGS:
            group = "medarbejder"
        elif tags <= names.NEUTRAL_TAGS:
            group = "*"
        else:
            group = "bruger"
        _GOAL_GROUPS[key] = group
    return group


_YEAR_TEXT: dict[tuple[int, int], tuple[str, tuple[date, ...]]] = {}


def _year_text(t: GoalTemplate, year: int) -> tuple[str, tuple[date, ...]]:
    """The template's documentation requirement and possible deadlines for ``year``."""
    key = (id(t), year)
    hit = _YEAR_TEXT.get(key)
    if hit is None:
        frister = tuple(date(year, m, d) for m, d in names.FRISTER[t.maalemetode])
        hit = _YEAR_TEXT[key] = (t.dokumentationskrav.format(aar=year), frister)
    return hit


def _take_preferring(
    rng: FastRandom, templates: list[GoalTemplate], k: int, focus: _FocusMatch
) -> list[GoalTemplate]:
    """``k`` distinct templates; those that fit a focus area are four times as likely."""
    return rng.take_weighted(templates, focus.preference(templates), k)


def _choose_templates(
    rng: FastRandom, family: str, k: int, focus: _FocusMatch
) -> list[GoalTemplate]:
    """k goal templates: mostly the family's own, some common ones, at most one Ja/Nej;
    preferably ones that fit the committee's focus areas."""
    fam_num, fam_jn = _family_split(family)
    chosen: list[GoalTemplate] = []
    if rng.random() < 0.3:
        jn_pool = fam_jn if fam_jn and rng.random() < 0.6 else _COMMON_JN
        chosen.append(rng.pick(jn_pool))
    need = k - len(chosen)
    n_common = min(rng.weighted(*N_COMMON_GOALS), need - 1)
    n_fam = min(need - n_common, len(fam_num))
    n_common = need - n_fam
    chosen += _take_preferring(rng, fam_num, n_fam, focus)
    chosen += _take_preferring(rng, _COMMON_NUM, n_common, focus)
    rng.mix(chosen)
    return chosen


def _goal_values(rng: FastRandom, t: GoalTemplate) -> tuple[int | float, int | float]:
    """Baseline and target for a numeric template; target differs from baseline in the
    right direction and stays within the unit's range."""
    dec = t.decimaler
    step = 10.0**-dec
    cap = 100.0 if t.enhed == names.PCT else 5.0 if t.enhed == names.PT else None
    base = round_to(rng.uniform(*t.baseline), dec)
    change = max(step, float(round_to(rng.uniform(*t.aendring), dec)))
    if t.retning == names.H:
        target = round_to(base + change, dec)
        if t.enhed == names.PCT and dec == 0 and rng.random() < 0.35 and target % 5:
            target = min(100, int(target) + 5 - int(target) % 5)  # a round target, e.g. 85
        if cap is not None and target > cap:
            target = round_to(cap, dec)
            if base >= target:
                base = round_to(target - change, dec)
    else:
        target = round_to(base - change, dec)
        if target < 0:
            target = 0
            base = round_to(max(float(base), change), dec)
    return base, target


def _ansvarlig(rng: FastRandom, gruppe: list[dict[str, object]]) -> str:
    r = rng.random()
    if r < 0.35:
        return str(gruppe[0]["navn"])
    if r < 0.7 and len(gruppe) > 1:
        member = rng.pick(gruppe[1:])
        if member["rolle"] != names.BRUGER:
            return str(member["navn"])
    return rng.pick(names.ANSVARLIG_ROLLER)


def _make_goals(
    rng: FastRandom,
    inst: Institution,
    muni: Municipality,
    family: str,
    k: int,
    gruppe: list[dict[str, object]],
) -> tuple[list[dict[str, object]], list[CleanGoal]]:
    focus = _focus_match(muni, inst.udvalg, family)
    year = muni.year
    rows: list[dict[str, object]] = []
    clean: list[CleanGoal] = []
    for t in _choose_templates(rng, family, k, focus):
        # The best-fitting focus area, or an own proposal.
        matching = focus.best(t)
        indsats = rng.pick(matching) if matching and rng.random() < 0.9 else OWN_PROPOSAL
        baseline: int | float | str
        target: int | float | str
        if t.retning == names.JN:
            baseline, target = "Nej", "Ja"
        else:
            baseline, target = _goal_values(rng, t)
        dokumentationskrav, frister = _year_text(t, year)
        frist = rng.pick(frister)
        rows.append(
            {
                "titel": rng.pick(t.titler),
                "beskrivelse": t.beskrivelse,
                "indsatsomraade": indsats,
                "maaltype": t.maaltype,
                "indikator": t.indikator,
                "maalemetode": t.maalemetode,
                "enhed": t.enhed,
                "retning": t.retning,
                "baseline": baseline,
                "maalvaerdi": target,
                "dokumentationskrav": dokumentationskrav,
                "ansvarlig": _ansvarlig(rng, gruppe),
                "frist": frist,
            }
        )
        clean.append(
            CleanGoal(
                t.retning,
                baseline,
                target,
                t.decimaler,
                t.enhed,
                t.maalemetode,
                _goal_group(t),
                frist,
            )
        )
    return rows, clean


# --------------------------------------------------------------------------- public API


def generate_filling(
    inst: Institution,
    muni: Municipality,
    rng_seed: int,
    *,
    phase: str = "forslag",
    mistake_rate: float = 0.15,
    corrected: bool = False,
) -> GeneratedFilling:
    """What ``inst`` types into its workbook for ``muni.year``.

    ``corrected``: the same workbook after the institution fixed its mistakes (a
    resubmission): the same group, dialogue and goals, without the planted mistakes
    (an institution that had too few goals proposes a full set instead).

    ``phase`` is "forslag" (proposal) or "resultater" (also the year-end results).
    About ``mistake_rate`` of the institutions make 1-2 deliberate mistakes, listed in
    ``GeneratedFilling.mistakes`` by rule id.
    """
    phase_key = phase.lower()
    if phase_key not in PHASES:
        raise ValueError(f"Ukendt fase {phase!r}; brug 'forslag' eller 'resultater'.")
    rng = FastRandom(rng_seed)
    family = type_spec(inst).family
    year = muni.year

    mistakes = pick_mistakes(rng, mistake_rate)
    gruppe = make_group(rng, inst, family, muni.domain)
    virksomhed = make_virksomhed(rng, inst, muni, gruppe)
    k = 2 if "maal_antal" in mistakes and not corrected else rng.weighted(*N_GOALS)
    maal, clean = _make_goals(rng, inst, muni, family, k, gruppe)
    ansatte = virksomhed["ansatte"]
    assert isinstance(ansatte, int)
    brugere = virksomhed["brugere"]
    assert brugere is None or isinstance(brugere, int)
    dialog = make_dialog(rng, family, year - 1, (ansatte, brugere), maal, clean)
    if corrected:
        mistakes = []
    filling = GeneratedFilling(
        virksomhed, gruppe, dialog, maal, [], [m for m in MISTAKES if m in mistakes]
    )
    apply_mistakes(rng, mistakes, filling, clean, year - 1)
    if phase_key == "resultater":
        filling.resultater = make_results(FastRandom(rng_seed ^ RESULT_SEED_SALT), clean, year)
    return filling


def generate_all(
    muni: Municipality,
    *,
    phase: str = "forslag",
    seed: int = 2027,
    missing_rate: float = 0.05,
    mistake_rate: float = 0.15,
    corrected: bool = False,
) -> dict[str, GeneratedFilling | None]:
    """Fillings for every institution, keyed by id.

    Exactly ``round(n * missing_rate)`` institutions have not submitted (``None``), and
    ``round(submitted * mistake_rate)`` of the others make 1-2 mistakes; which ones is
    deterministic in ``seed``.  The same seed gives the same proposals in both phases.
    """
    rng = FastRandom(f"fillings:{seed}")
    insts = muni.institutions
    seeds = [rng.getrandbits(48) for _ in insts]
    order = list(range(len(insts)))
    rng.mix(order)
    n_missing = round(len(insts) * missing_rate)
    missing = set(order[:n_missing])
    submitted = order[n_missing:]
    wrong = set(submitted[: round(len(submitted) * mistake_rate)])
    out: dict[str, GeneratedFilling | None] = {}
    for i, inst in enumerate(insts):
        if i in missing:
            out[inst.id] = None
        else:
            rate = 1.0 if i in wrong else 0.0
            out[inst.id] = generate_filling(
                inst, muni, seeds[i], phase=phase, mistake_rate=rate, corrected=corrected
            )
    return out
