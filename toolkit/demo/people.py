"""The people of a generated filling: the contract group, the institution's own sheet and its
dialogue with users and staff."""

from __future__ import annotations

from datetime import date, timedelta

from toolkit.demo import names
from toolkit.demo.filling_base import (
    DIALOG_MONTHS,
    N_DIALOG_BOTH,
    N_DIALOG_ONE_SIDE,
    N_OTHER,
    N_STAFF,
    N_USERS,
    CleanGoal,
    by_date,
    fmt_int,
    weekday,
)
from toolkit.demo.municipality import (
    FastRandom,
    Institution,
    Municipality,
    person,
    slug,
    type_spec,
    unique_email,
)

_ASCII: dict[str, str] = {}


def _ascii(word: str) -> str:
    """ "Søren" -> "soeren" (cached)."""
    a = _ASCII.get(word)
    if a is None:
        a = _ASCII[word] = slug(word).replace(".", "")
    return a


def _staff_email(first: str, last: str, domain: str, used: set[str]) -> str:
    """Municipal style: two letters of the first name and two of the surname."""
    return unique_email(_ascii(first)[:2] + _ascii(last)[:2], domain, used)


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


def new_person(rng: FastRandom, used: set[str], female_share: float) -> tuple[str, str, str]:
    """(full name, first name, surname) of someone not yet in ``used``."""
    while True:
        full, first, last = person(rng, female_share)
        if full not in used:
            used.add(full)
            return full, first, last


# Per-family template split (numeric / Ja-Nej), computed once.
# --------------------------------------------------------------------------- sections


def make_group(
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
    n_other = rng.weighted(*N_OTHER)
    n_staff = rng.weighted(*N_STAFF)
    user_titles = names.USER_MEMBERS[family]
    n_users = rng.weighted(*N_USERS) if user_titles else 0
    other_titles = names.OTHER_MEMBERS.get(family, names.OTHER_MEMBERS_DEFAULT)
    for title in rng.take(other_titles, n_other):
        name, first, last = new_person(rng, used_names, 0.65)
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
        name, first, last = new_person(rng, used_names, 0.7)
        rows.append(
            {
                "navn": name,
                "rolle": names.MEDARBEJDER,
                "stilling": rng.pick(staff_titles) + rng.pick(names.STAFF_SUFFIXES),
                "email": _staff_email(first, last, domain, used_emails),
            }
        )
    for title in rng.take(user_titles, n_users):  # distinct: one chair per council
        name, first, last = new_person(rng, used_names, 0.6)
        rows.append(
            {
                "navn": name,
                "rolle": names.BRUGER,
                "stilling": title,
                "email": _private_email(rng, first, last) if rng.random() < 0.55 else None,
            }
        )
    return rows[:12]


def make_virksomhed(
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
        brugere=fmt_int(brugere) if brugere is not None else "",
        ansatte=fmt_int(ansatte),
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


_SURVEYS = ("Brugerundersøgelse", "Medarbejderundersøgelse")


def make_dialog(
    rng: FastRandom,
    family: str,
    year: int,
    size: tuple[int, int | None],
    maal: list[dict[str, object]],
    clean: list[CleanGoal],
) -> list[dict[str, object]]:
    ansatte, brugere = size
    n_user = rng.weighted(*N_DIALOG_ONE_SIDE)
    n_staff = rng.weighted(*N_DIALOG_ONE_SIDE)
    n_both = rng.weighted(*N_DIALOG_BOTH)
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
                "dato": weekday(rng, year, DIALOG_MONTHS),
                "med_hvem": med_hvem,
                "form": form,
                "deltagere": rng.between(lo, hi),
                "tema": tema,
                "udbytte": udbytte,
            }
        )
    rows.sort(key=by_date)
    return rows
