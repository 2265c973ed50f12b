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

from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter

from toolkit.demo import names
from toolkit.demo.municipality import (
    FastRandom,
    Institution,
    Municipality,
    cumulative,
    person,
    slug,
    type_spec,
)
from toolkit.demo.names import GoalTemplate
from toolkit.rules.indicators import default_library
from toolkit.spec.vocabulary import ATTAINMENT, DELVIST, IKKE_MAALT, IKKE_OPFYLDT, OPFYLDT
from toolkit.spec.workbook import OWN_PROPOSAL

PHASES = ("forslag", "resultater")

# Rule ids of the deliberate mistakes (see the brief of the checks).
MISTAKES: tuple[str, ...] = (
    "maal_antal",
    "gruppe_leder",
    "gruppe_medarbejder",
    "dialog_brugere",
    "dialog_medarbejdere",
    "maal_felt_mangler",
    "maal_uaendret",
    "maal_retning",
    "celle_decimalkomma",
    "celle_dato_tekst",
    "celle_tekst_i_tal",
)
# How often each mistake is made, relative to the others.
_MISTAKE_WEIGHTS: tuple[float, ...] = (0.8, 0.6, 1.0, 1.0, 0.8, 1.5, 1.0, 0.8, 1.0, 1.0, 1.0)
# Mistakes that need a goal with a numeric value of its own.
_NUMERIC_MISTAKES = ("maal_uaendret", "maal_retning", "celle_decimalkomma", "celle_tekst_i_tal")
_OTHER_GOAL_MISTAKES = ("maal_felt_mangler", "celle_dato_tekst")

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
_FORGOTTEN_FIELDS = ("maalemetode", "dokumentationskrav", "indikator", "ansvarlig", "frist")

_ATTAINMENT = ATTAINMENT
_ATTAINMENT_CUM = cumulative((62, 18, 13, 7))

_USER_SIDE = (names.MED_BRUGERE, names.MED_BEGGE)
_STAFF_SIDE = (names.MED_MEDARBEJDERE, names.MED_BEGGE)

# (month, weight) for dialogue in April-August (little happens in the July holiday), and for
# dialogue held too early or too late (a mistake).
_DIALOG_MONTHS = ((4, 6), (5, 8), (6, 6), (7, 1), (8, 5))
_WRONG_MONTHS = ((3, 1), (9, 2), (10, 1))

# (values, cumulative weights) for the sizes of things.
_N_OTHER = ((0, 1, 2), cumulative((4, 4, 1)))
_N_STAFF = ((1, 2, 3), cumulative((3, 4, 2)))
_N_USERS = ((0, 1, 2, 3), cumulative((2, 4, 3, 1)))
_N_COMMON_GOALS = ((0, 1, 2), cumulative((3, 5, 2)))
_N_GOALS = ((3, 4, 5), cumulative((3, 5, 2)))
_N_DIALOG_ONE_SIDE = ((1, 2, 3), cumulative((3, 4, 2)))
_N_DIALOG_BOTH = ((0, 1, 2), cumulative((4, 4, 1)))

_RESULT_SEED_SALT = 0x5F3759DF


@dataclass
class GeneratedFilling:
    """A generated institution's input to its workbook, with the mistakes made on purpose
    (see the module docstring for conventions). Not :class:`toolkit.workbook.build.Filling`,
    the values a workbook is built with."""

    virksomhed: dict[str, object]
    gruppe: list[dict[str, object]]
    dialog: list[dict[str, object]]
    maal: list[dict[str, object]]
    resultater: list[dict[str, object]] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _CleanGoal:
    """A goal's values before any mistake was made (the results are measured against these)."""

    retning: str
    baseline: int | float | str
    target: int | float | str
    decimaler: int
    enhed: str
    maalemetode: str
    gruppe: str  # "bruger", "medarbejder", "kompetence" or "*" (see names.FORKLARINGER)
    frist: date


# --------------------------------------------------------------------------- small helpers


def _fmt_int(n: int) -> str:
    """Danish thousands separator: 12500 -> "12.500"."""
    return f"{n:,}".replace(",", ".")


def _fmt_num(v: int | float) -> str:
    """A number as a Dane writes it: 3.5 -> "3,5"."""
    return str(v).replace(".", ",")


def _round(x: float, decimaler: int) -> int | float:
    if decimaler <= 0:
        return int(round(x, decimaler))
    return round(x, decimaler)


_WEEKDAY_POOLS: dict[tuple[int, tuple[tuple[int, int], ...]], tuple[date, ...]] = {}


def _weekday(rng: FastRandom, year: int, months: tuple[tuple[int, int], ...]) -> date:
    """A weekday (Monday-Friday) in one of ``months`` of ``year``, by month weight."""
    key = (year, months)
    pool = _WEEKDAY_POOLS.get(key)
    if pool is None:
        days: list[date] = []
        for month, weight in months:
            d = date(year, month, 1)
            while d.month == month:
                if d.weekday() < 5:
                    days.extend([d] * weight)
                d += timedelta(days=1)
        pool = _WEEKDAY_POOLS[key] = tuple(days)
    return rng.pick(pool)


_by_date = itemgetter("dato")


_ASCII: dict[str, str] = {}


def _ascii(word: str) -> str:
    """ "Søren" -> "soeren" (cached)."""
    a = _ASCII.get(word)
    if a is None:
        a = _ASCII[word] = slug(word).replace(".", "")
    return a


def _staff_email(first: str, last: str, domain: str, used: set[str]) -> str:
    """Municipal style: two letters of the first name and two of the surname."""
    local = _ascii(first)[:2] + _ascii(last)[:2]
    email = f"{local}@{domain}"
    n = 2
    while email in used:
        email = f"{local}{n}@{domain}"
        n += 1
    used.add(email)
    return email


def _private_email(rng: FastRandom, first_name: str, last_name: str) -> str:
    first, last = _ascii(first_name), _ascii(last_name)
    style = rng.between(0, 2)
    if style == 0:
        local = f"{first}{last}"
    elif style == 1:
        local = f"{first}.{last}"
    else:
        local = f"{first[0]}{last}{rng.between(60, 99)}"
    return f"{local}@{rng.pick(names.PRIVATE_MAIL_DOMAINS)}"


def _new_person(rng: FastRandom, used: set[str], female_share: float) -> tuple[str, str, str]:
    """(full name, first name, surname) of someone not yet in ``used``."""
    while True:
        full, first, last = person(rng, female_share)
        if full not in used:
            used.add(full)
            return full, first, last


# Per-family template split (numeric / Ja-Nej), computed once.
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


# --------------------------------------------------------------------------- sections


def _make_group(
    rng: FastRandom, inst: Institution, family: str, domain: str
) -> list[dict[str, object]]:
    spec = type_spec(inst)
    used_names = {inst.leder}
    used_emails: set[str] = set()
    leader_parts = inst.leder.split()
    rows: list[dict[str, object]] = [
        {
            "navn": inst.leder,
            "rolle": names.LEDER,
            "stilling": rng.pick(spec.leder_titler),
            "email": _staff_email(leader_parts[0], leader_parts[-1], domain, used_emails),
        }
    ]
    n_other = rng.weighted(*_N_OTHER)
    n_staff = rng.weighted(*_N_STAFF)
    user_titles = names.USER_MEMBERS[family]
    n_users = rng.weighted(*_N_USERS) if user_titles else 0
    other_titles = names.OTHER_MEMBERS.get(family, names.OTHER_MEMBERS_DEFAULT)
    for title in rng.take(other_titles, n_other):
        name, first, last = _new_person(rng, used_names, 0.65)
        rows.append(
            {
                "navn": name,
                "rolle": names.ANDET,
                "stilling": title,
                "email": _staff_email(first, last, domain, used_emails),
            }
        )
    staff_titles = names.STAFF_TITLES[family]
    for _ in range(n_staff):
        name, first, last = _new_person(rng, used_names, 0.7)
        rows.append(
            {
                "navn": name,
                "rolle": names.MEDARBEJDER,
                "stilling": rng.pick(staff_titles) + rng.pick(names.STAFF_SUFFIXES),
                "email": _staff_email(first, last, domain, used_emails),
            }
        )
    for title in rng.take(user_titles, n_users):  # distinct: one chair per council
        name, first, last = _new_person(rng, used_names, 0.6)
        rows.append(
            {
                "navn": name,
                "rolle": names.BRUGER,
                "stilling": title,
                "email": _private_email(rng, first, last) if rng.random() < 0.55 else None,
            }
        )
    return rows[:12]


def _make_virksomhed(
    rng: FastRandom, inst: Institution, muni: Municipality, gruppe: list[dict[str, object]]
) -> dict[str, object]:
    spec = type_spec(inst)
    # One size for the institution: staff and users grow together.
    size = rng.random()

    def scaled(lo: int, hi: int) -> int:
        x = min(1.0, max(0.0, size + rng.uniform(-0.12, 0.12)))
        return lo + round((hi - lo) * x)

    ansatte = scaled(*spec.ansatte)
    brugere = scaled(*spec.brugere) if spec.brugere else None
    text = rng.pick(names.DESCRIPTIONS[inst.type]).format(
        navn=inst.navn,
        brugere=_fmt_int(brugere) if brugere is not None else "",
        ansatte=_fmt_int(ansatte),
        spor=max(1, round((brugere or 0) / 220)),
    )
    text += rng.pick(names.DESCRIPTION_CLOSINGS).format(foerste=inst.foerste_kontraktaar)

    status: str | None = None
    if (inst.foerste_kontraktaar or muni.year) < muni.year:
        ialt = rng.between(3, 5)
        opf = rng.between(max(1, ialt - 2), ialt)
        if opf == ialt:
            status = rng.pick(names.STATUS_ALLE).format(
                ialt=ialt, forrige=muni.year - 1, grund=rng.pick(names.STATUS_GRUNDE_ALLE)
            )
        else:
            delv = rng.between(0, ialt - opf)
            status = rng.pick(names.STATUS_NOGLE).format(
                opf=opf,
                ialt=ialt,
                forrige=muni.year - 1,
                delv=f", og {delv} blev delvist opfyldt" if delv else "",
                grund=rng.pick(names.STATUS_GRUNDE_NOGLE),
            )

    r = rng.random()
    telefon: str | None
    if r < 0.08:
        telefon = None
    elif r < 0.3:
        telefon = f"{rng.between(20, 31)} {rng.between(10, 99)} {rng.between(10, 99)} {rng.between(10, 99)}"
    else:
        telefon = f"72 35 {rng.between(10, 99)} {rng.between(10, 99)}"

    staff = [r for r in gruppe[1:] if r["rolle"] != names.BRUGER]
    # Mostly the leader; sometimes a deputy or an employee, never a user.
    udfyldt_af = inst.leder if rng.random() < 0.78 or not staff else str(rng.pick(staff)["navn"])
    return {
        "udfyldt_af": udfyldt_af,
        "telefon": telefon,
        "ansatte": ansatte,
        "brugere": brugere,
        "beskrivelse": text,
        "status_sidste_aar": status,
        # SU hears the proposals after the summer's dialogue (not drawn from rng: the
        # rest of the demo stays as it was)
        "su_orienteret": date(muni.year - 1, 8, 18) + timedelta(days=sum(map(ord, inst.id)) % 24),
    }


def _take_preferring(
    rng: FastRandom, templates: list[GoalTemplate], k: int, focus: _FocusMatch
) -> list[GoalTemplate]:
    """``k`` distinct templates; those that fit a focus area are four times as likely."""
    pool = list(templates)
    weights = list(focus.preference(templates))
    out: list[GoalTemplate] = []
    for _ in range(min(k, len(pool))):
        x = rng.random() * sum(weights)
        i = 0
        while i < len(weights) - 1 and x >= weights[i]:
            x -= weights[i]
            i += 1
        out.append(pool.pop(i))
        weights.pop(i)
    return out


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
    n_common = min(rng.weighted(*_N_COMMON_GOALS), need - 1)
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
    base = _round(rng.uniform(*t.baseline), dec)
    change = max(step, float(_round(rng.uniform(*t.aendring), dec)))
    if t.retning == names.H:
        target = _round(base + change, dec)
        if t.enhed == names.PCT and dec == 0 and rng.random() < 0.35 and target % 5:
            target = min(100, int(target) + 5 - int(target) % 5)  # a round target, e.g. 85
        if cap is not None and target > cap:
            target = _round(cap, dec)
            if base >= target:
                base = _round(target - change, dec)
    else:
        target = _round(base - change, dec)
        if target < 0:
            target = 0
            base = _round(max(float(base), change), dec)
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
) -> tuple[list[dict[str, object]], list[_CleanGoal]]:
    focus = _focus_match(muni, inst.udvalg, family)
    year = muni.year
    rows: list[dict[str, object]] = []
    clean: list[_CleanGoal] = []
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
            _CleanGoal(
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


_SURVEYS = ("Brugerundersøgelse", "Medarbejderundersøgelse")


def _make_dialog(
    rng: FastRandom,
    family: str,
    year: int,
    size: tuple[int, int | None],
    maal: list[dict[str, object]],
    clean: list[_CleanGoal],
) -> list[dict[str, object]]:
    ansatte, brugere = size
    n_user = rng.weighted(*_N_DIALOG_ONE_SIDE)
    n_staff = rng.weighted(*_N_DIALOG_ONE_SIDE)
    n_both = rng.weighted(*_N_DIALOG_BOTH)
    user_opts = names.DIALOG_USER[family]
    ord_ = names.BRUGER_ORD[family]
    med = f"medarbejdere, {ord_}" if " og " in ord_ else f"medarbejdere og {ord_}"
    all_goals = [str(g["titel"]) for g in maal]
    # Users talk about the goals that concern them; staff about any goal.
    user_goals = [
        str(g["titel"]) for g, c in zip(maal, clean, strict=True) if c.gruppe == "bruger"
    ] or all_goals
    picks: list[tuple[str, str, str, tuple[str, ...], list[str]]] = []
    for form, tema in rng.take(user_opts, n_user):
        picks.append((names.MED_BRUGERE, form, tema, names.UDBYTTE_USER, user_goals))
    for form, tema in rng.take(names.DIALOG_STAFF, n_staff):
        picks.append((names.MED_MEDARBEJDERE, form, tema, names.UDBYTTE_STAFF, all_goals))
    for form, tema in rng.take(names.DIALOG_BOTH, n_both):
        picks.append((names.MED_BEGGE, form, tema.format(med=med), names.UDBYTTE_USER, user_goals))

    rows: list[dict[str, object]] = []
    for med_hvem, form, tema, udbytter, goals in picks:
        lo, hi = names.DELTAGERE[form]
        if med_hvem == names.MED_MEDARBEJDERE:
            if form != "Samarbejdsudvalg (SU)":
                hi = max(lo + 2, min(hi, ansatte + 2))
        elif brugere is not None and form != "Bruger-/pårørenderåd":
            hi = max(4, min(hi, round(brugere * 1.3)))  # a survey at a 7-resident home
            lo = min(lo, max(2, hi // 2))
        udbytte: str | None = None
        if rng.random() < 0.9:
            pool = names.UDBYTTE_SURVEY if form in _SURVEYS else udbytter
            udbytte = rng.pick(pool).format(goal=rng.pick(goals), pct=rng.between(34, 86))
        rows.append(
            {
                "dato": _weekday(rng, year, _DIALOG_MONTHS),
                "med_hvem": med_hvem,
                "form": form,
                "deltagere": rng.between(lo, hi),
                "tema": tema,
                "udbytte": udbytte,
            }
        )
    rows.sort(key=_by_date)
    return rows


# --------------------------------------------------------------------------- mistakes


def _pick_mistakes(rng: FastRandom, mistake_rate: float) -> list[str]:
    if rng.random() >= mistake_rate:
        return []
    k = 1 if rng.random() < 0.7 else 2
    pool = list(MISTAKES)
    weights = list(_MISTAKE_WEIGHTS)
    picked: list[str] = []
    for _ in range(k):
        x = rng.random() * sum(weights)
        i = 0
        while i < len(weights) - 1 and x >= weights[i]:
            x -= weights[i]
            i += 1
        picked.append(pool.pop(i))
        weights.pop(i)
    return picked


def _date_as_text(rng: FastRandom, d: date) -> str:
    style = rng.between(0, 3)
    if style == 0:
        return f"{d.day}/{d.month}-{d.year}"
    if style == 1:
        return f"{d.day}.{d.month}.{d.year}"
    if style == 2:
        return f"{d.day}. {names.MONTHS_DA[d.month - 1]} {d.year}"
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _number_as_text(rng: FastRandom, v: int | float, enhed: str, year: int) -> str:
    s = _fmt_num(v)
    options = [f"ca. {s}", f"omkring {s}", f"{s} (skøn)", f"{s} i {year - 1}"]
    if enhed == names.PCT:
        options += [f"{s} %", f"{s} pct."]
    elif enhed == names.DG:
        options.append(f"{s} dage")
    elif enhed == names.KR:
        options.append(f"{_fmt_int(int(v))} kr.")
    return rng.pick(options)


def _with_decimal_comma(v: int | float, decimaler: int, enhed: str) -> str:
    if isinstance(v, float):
        return f"{v:.{max(1, decimaler)}f}".replace(".", ",")
    if enhed == names.KR:
        return f"{v},00"
    return f"{v},5"  # e.g. 78 -> "78,5": still on the same side of the target


def _apply_mistakes(
    rng: FastRandom,
    mistakes: list[str],
    filling: GeneratedFilling,
    clean: list[_CleanGoal],
    year: int,
) -> None:
    gruppe, dialog, maal = filling.gruppe, filling.dialog, filling.maal
    if "gruppe_leder" in mistakes:
        if rng.random() < 0.5:
            for row in gruppe:
                if row["rolle"] == names.LEDER:
                    row["rolle"] = names.ANDET
        else:
            gruppe[:] = [r for r in gruppe if r["rolle"] != names.LEDER]
    if "gruppe_medarbejder" in mistakes:
        if rng.random() < 0.5:
            for row in gruppe:
                if row["rolle"] == names.MEDARBEJDER:
                    row["rolle"] = names.ANDET
        else:
            gruppe[:] = [r for r in gruppe if r["rolle"] != names.MEDARBEJDER]
    for mistake, side in (("dialog_brugere", _USER_SIDE), ("dialog_medarbejdere", _STAFF_SIDE)):
        if mistake not in mistakes:
            continue
        if rng.random() < 0.5:
            dialog[:] = [r for r in dialog if r["med_hvem"] not in side]
        else:  # held too early or too late: March or September of the preparation year
            for row in dialog:
                if row["med_hvem"] in side:
                    row["dato"] = _weekday(rng, year, _WRONG_MONTHS)
            dialog.sort(key=_by_date)

    # Goal mistakes each take their own goal; numeric ones need a numeric goal.
    numeric = [i for i, c in enumerate(clean) if c.retning != names.JN]
    rng.mix(numeric)
    taken: list[int] = []
    for mistake in _NUMERIC_MISTAKES:
        if mistake not in mistakes:
            continue
        free = [i for i in numeric if i not in taken and clean[i].enhed != names.KR]
        if not free:
            free = [i for i in numeric if i not in taken]
        i = free[0]
        taken.append(i)
        row, c = maal[i], clean[i]
        if mistake == "maal_uaendret":
            row["maalvaerdi"] = row["baseline"]
        elif mistake == "maal_retning":
            # a library indicator fixes the direction: flipping it would be a second mistake
            if row["retning"] == names.L and default_library().by_name(row["indikator"]) is None:
                row["retning"] = names.H  # "fewer falls" marked as higher-is-better
            else:
                row["baseline"], row["maalvaerdi"] = row["maalvaerdi"], row["baseline"]
        elif mistake == "celle_decimalkomma":
            assert isinstance(c.baseline, int | float)
            row["baseline"] = _with_decimal_comma(c.baseline, c.decimaler, c.enhed)
        else:  # celle_tekst_i_tal
            assert isinstance(c.baseline, int | float)
            row["baseline"] = _number_as_text(rng, c.baseline, c.enhed, year + 1)
    for mistake in _OTHER_GOAL_MISTAKES:
        if mistake not in mistakes:
            continue
        free = [i for i in range(len(maal)) if i not in taken]
        i = rng.pick(free)
        taken.append(i)
        if mistake == "maal_felt_mangler":
            maal[i][rng.pick(_FORGOTTEN_FIELDS)] = None
        else:  # celle_dato_tekst
            maal[i]["frist"] = _date_as_text(rng, clean[i].frist)


# --------------------------------------------------------------------------- results


def _result_value(
    rng: FastRandom, c: _CleanGoal, status: str
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
        return _round(x, dec)

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


def _explanations(status: str, c: _CleanGoal) -> tuple[str, ...]:
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


def _make_results(rng: FastRandom, clean: list[_CleanGoal], year: int) -> list[dict[str, object]]:
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

    mistakes = _pick_mistakes(rng, mistake_rate)
    gruppe = _make_group(rng, inst, family, muni.domain)
    virksomhed = _make_virksomhed(rng, inst, muni, gruppe)
    k = 2 if "maal_antal" in mistakes and not corrected else rng.weighted(*_N_GOALS)
    maal, clean = _make_goals(rng, inst, muni, family, k, gruppe)
    ansatte = virksomhed["ansatte"]
    assert isinstance(ansatte, int)
    brugere = virksomhed["brugere"]
    assert brugere is None or isinstance(brugere, int)
    dialog = _make_dialog(rng, family, year - 1, (ansatte, brugere), maal, clean)
    if corrected:
        mistakes = []
    filling = GeneratedFilling(
        virksomhed, gruppe, dialog, maal, [], [m for m in MISTAKES if m in mistakes]
    )
    _apply_mistakes(rng, mistakes, filling, clean, year - 1)
    if phase_key == "resultater":
        filling.resultater = _make_results(FastRandom(rng_seed ^ _RESULT_SEED_SALT), clean, year)
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
