"""What each template receives: one function per template, plain dicts out.

Every value a template prints is already a Danish string (dates, numbers, values with
units), or an :class:`~toolkit.documents.formatting.Antal` (an int that prints as
"1.234"), a bool for ``{% if %}``, a list of such dicts for loops, or a
:class:`~toolkit.documents.charts.Chart`, which the render layer turns into a picture.
The variables are documented for the template editors in ``docs/skabeloner.md``; a test
keeps that list and these functions in step.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, Literal

from toolkit.attainment import LEVELS, OPFYLDT
from toolkit.cycle import is_missing
from toolkit.documents.charts import Chart, distribution_charts
from toolkit.documents.data import (
    AENDRET,
    AFVIST,
    EGET_FORSLAG,
    GODKENDT,
    IKKE_ANGIVET,
    MasterData,
    Row,
    level,
    sort_name,
)
from toolkit.documents.formatting import Antal, andel, dato, tekst, vaerdi
from toolkit.master.model import Master

Context = dict[str, Any]
Fase = Literal["forslag", "maalopfyldelse"]
FASER: tuple[str, ...] = ("forslag", "maalopfyldelse")
NOT_ASSESSED = "Ikke vurderet"
NO_EXPLANATION = "Virksomheden har ikke givet en forklaring."
_COUNT_KEYS = ("opfyldt", "delvist", "ikke_opfyldt", "ikke_maalt")


def _data(master: Master | MasterData) -> MasterData:
    return master if isinstance(master, MasterData) else MasterData(master)


def _common(d: MasterData, aar: int, today: date | None) -> Context:
    return {
        "kommune": tekst(d.kommune) or "Kommunen",
        "aar": aar,
        "forrige_aar": aar - 1,
        "naeste_aar": aar + 1,
        "dato": dato(today or date.today()),
    }


def _tally(rows: list[Row]) -> Context:
    """Counts per attainment level (``opfyldt`` …), the total and the share met."""
    c = Counter(level(r) for r in rows)
    counts = dict(zip(_COUNT_KEYS, (c[lvl] for lvl in LEVELS), strict=True))
    return {
        "maal": Antal(len(rows)),
        **{k: Antal(v) for k, v in counts.items()},
        "andel_opfyldt": andel(counts["opfyldt"], len(rows)),
    }


def _counts(t: Context) -> tuple[int, int, int, int]:
    return (int(t["opfyldt"]), int(t["delvist"]), int(t["ikke_opfyldt"]), int(t["ikke_maalt"]))


def _goal(g: Row) -> Context:
    enhed = g.get("enhed")
    return {
        "nr": g.get("nr") or "",
        "titel": tekst(g.get("titel")),
        "beskrivelse": tekst(g.get("beskrivelse")),
        "indsatsomraade": tekst(g.get("indsatsomraade")),
        "maaltype": tekst(g.get("maaltype")),
        "indikator": tekst(g.get("indikator")),
        "maalemetode": tekst(g.get("maalemetode")),
        "enhed": tekst(enhed),
        "retning": tekst(g.get("retning")),
        "udgangspunkt": vaerdi(g.get("baseline"), enhed),
        "maalvaerdi": vaerdi(g.get("maalvaerdi"), enhed),
        "dokumentationskrav": tekst(g.get("dokumentationskrav")),
        "ansvarlig": tekst(g.get("ansvarlig")),
        "frist": dato(g.get("frist")),
        "beslutning": tekst(g.get("beslutning")),
        "kommentar": tekst(g.get("kommentar")),
    }


# --------------------------------------------------------------------------- kontrakt


def _follow_up(aar: int, udvalg: str, goals: list[Row]) -> list[Context]:
    """The year's follow-up dates (årshjulet) and the goals' deadlines, in date order."""
    items: list[tuple[date, str, str]] = [
        (date(aar, 1, 1), dato(date(aar, 1, 1)), "Kontrakten træder i kraft."),
        (date(aar, 3, 1), f"Marts {aar}", f"{udvalg} melder de politiske indsatsområder for {aar + 1} ud."),
        (date(aar, 4, 1), f"April–august {aar}",
         f"Dialog med brugere og medarbejdere om forslag til mål for {aar + 1}."),
        (date(aar, 9, 1), f"September–oktober {aar}",
         f"{udvalg} behandler virksomhedens forslag til mål for {aar + 1}."),
        (date(aar, 12, 31), dato(date(aar, 12, 31)),
         "Kontraktåret slutter. Resultaterne opgøres efter de aftalte målinger og dokumentationskrav."),
        (date(aar + 1, 3, 31), f"Senest {dato(date(aar + 1, 3, 31))}",
         f"Målopfyldelsen forelægges {udvalg}, Økonomiudvalget og Kommunalbestyrelsen."),
    ]  # fmt: skip
    for g in goals:
        frist = g.get("frist")
        if isinstance(frist, date):
            day = frist.date() if isinstance(frist, datetime) else frist
            items.append(
                (day, dato(day), f"Frist for mål {g.get('nr') or ''}: {tekst(g.get('titel'))}.")
            )
    items.sort(key=lambda x: x[0])
    return [{"dato": when, "hvad": what} for _, when, what in items]


def contract_context(
    master: Master | MasterData,
    virksomhed_id: str,
    *,
    aar: int | None = None,
    today: date | None = None,
) -> Context:
    """Everything ``kontrakt.docx`` receives for one institution (see docs/skabeloner.md).

    Only approved goals (Godkendt/Ændret) go in when the committee's decisions are recorded;
    when none is recorded for the institution, all its proposals go in and ``er_forslag``
    is true (the template then says the contract is a proposal).
    """
    d = _data(master)
    year = aar or d.aar
    inst = d.institution(virksomhed_id)
    goals, proposals_only, undecided = d.contract_goals(inst.id, year)
    dialog = sorted(d.dialogs.get(inst.id, []), key=lambda r: (str(r.get("dato") or ""),))
    return {
        **_common(d, year, today),
        "virksomhed": {
            "id": tekst(inst.id),
            "navn": tekst(inst.navn),
            "type": tekst(inst.type),
            "udvalg": tekst(inst.udvalg),
            "leder": tekst(d.leader(inst.id)),
        },
        "er_forslag": proposals_only,
        "antal_ikke_behandlet": Antal(undecided),
        "periode": {"start": dato(date(year, 1, 1)), "slut": dato(date(year, 12, 31))},
        "indsatsomraader": [
            {"titel": tekst(a.titel), "beskrivelse": tekst(a.beskrivelse)}
            for a in d.focus_areas(inst.udvalg, year)
        ],
        "maal": [_goal(g) for g in goals],
        "gruppe": [
            {k: tekst(p.get(k)) for k in ("navn", "rolle", "stilling")}
            for p in d.groups.get(inst.id, [])
        ],
        "dialog": [
            {
                "dato": dato(r.get("dato")),
                **{
                    k: tekst(r.get(k)) for k in ("med_hvem", "form", "deltagere", "tema", "udbytte")
                },
            }
            for r in dialog
        ],
        "opfoelgning": _follow_up(year, tekst(inst.udvalg) or "Fagudvalget", goals),
    }


# --------------------------------------------------------------------------- udvalgsnotat, forslag


def _proposals_memo(d: MasterData, udvalg: str, year: int) -> Context:
    insts = d.institutions_of(udvalg)
    goals_by = {i.id: d.goals_of(i.id, year) for i in insts}
    all_goals = [g for gs in goals_by.values() for g in gs]
    decisions = Counter(g["beslutning"] for g in all_goals)
    missing = [i for i in insts if is_missing(i.status) or (not goals_by[i.id] and not i.status)]
    missing_ids = {i.id for i in missing}

    def area(g: Row) -> str:
        return str(g.get("indsatsomraade") or "").strip() or IKKE_ANGIVET

    focus = [a.titel for a in d.focus_areas(udvalg, year)]
    used = {area(g) for g in all_goals}
    extra = sorted(used - set(focus) - {EGET_FORSLAG, IKKE_ANGIVET}, key=sort_name)
    columns = focus + extra + [a for a in (EGET_FORSLAG, IKKE_ANGIVET) if a in used]
    own = sum(1 for g in all_goals if area(g) in (EGET_FORSLAG, IKKE_ANGIVET))

    matrix = []
    for i in insts:
        c = Counter(area(g) for g in goals_by[i.id])
        if goals_by[i.id]:
            matrix.append({
                "navn": tekst(i.navn),
                "celler": [tekst(c[a]) if c[a] else "" for a in columns],
                "i_alt": Antal(len(goals_by[i.id])),
            })  # fmt: skip

    def decided(kind: str) -> list[Context]:
        return [
            {"virksomhed": tekst(i.navn), "nr": g.get("nr") or "", "titel": tekst(g.get("titel")),
             "kommentar": tekst(g.get("kommentar"))}
            for i in insts for g in goals_by[i.id] if g["beslutning"] == kind
        ]  # fmt: skip

    findings = d.findings_of(i.id for i in insts)
    errors = [f for f in findings if str(f.get("alvor") or "").lower() == "fejl"]
    names = {i.id: i.navn for i in insts}
    return {
        "udvalg": tekst(udvalg),
        "resume": {
            "virksomheder": Antal(len(insts)),
            "modtaget": Antal(len(insts) - len(missing)),
            "mangler": Antal(len(missing)),
            "med_fejl": Antal(sum(1 for i in insts if i.status == "Fejl")),
            "forslag": Antal(len(all_goals)),
            "under_indsatsomraader": Antal(len(all_goals) - own),
            "egne_forslag": Antal(own),
            "godkendt": Antal(decisions[GODKENDT]),
            "aendret": Antal(decisions[AENDRET]),
            "afvist": Antal(decisions[AFVIST]),
            "ikke_behandlet": Antal(decisions[None]),
        },
        "beslutninger_registreret": any(g["beslutning"] for g in all_goals),
        "omraader": [{"kort": kort, "titel": titel} for kort, titel in _area_columns(columns)],
        "matrix": matrix,
        "virksomheder": [
            {
                "id": tekst(i.id),
                "navn": tekst(i.navn),
                "type": tekst(i.type),
                "status": tekst(i.status),
                "indsendt": i.id not in missing_ids,
                "antal_maal": Antal(len(goals_by[i.id])),
                "maal": [_goal(g) for g in goals_by[i.id]],
            }
            for i in insts
        ],
        "mangler": [{"id": tekst(i.id), "navn": tekst(i.navn)} for i in missing],
        "fund": [
            {
                "virksomhed": tekst(names.get(str(f.get("virksomhed_id")), f.get("virksomhed"))),
                "besked": tekst(f.get("besked")),
            }
            for f in sorted(errors, key=lambda f: sort_name(names.get(str(f.get("virksomhed_id")))))
        ],
        "antal_advarsler": Antal(len(findings) - len(errors)),
        "afviste": decided(AFVIST),
        "aendrede": decided(AENDRET),
    }


def _area_columns(areas: list[str]) -> list[tuple[str, str]]:
    """(column label, legend text) of each column in the focus-area overview."""
    special = {
        EGET_FORSLAG: ("Eget", "Virksomhedernes egne forslag"),
        IKKE_ANGIVET: ("?", "Intet indsatsområde angivet"),
    }
    return [special.get(a, (str(n), tekst(a))) for n, a in enumerate(areas, start=1)]


# --------------------------------------------------------------------------- udvalgsnotat, målopfyldelse


def _trend(d: MasterData, udvalg: str | None, year: int) -> tuple[list[Context], Chart | None]:
    rows = []
    for y in d.years(udvalg, upto=year):
        rows.append({"aar": y, **_tally(d.results_of(y, udvalg))})
    if len(rows) < 2:
        return rows, None
    chart = Chart("udvikling", tuple(str(r["aar"]) for r in rows), tuple(_counts(r) for r in rows))
    return rows, chart


def _attainment_memo(d: MasterData, udvalg: str, year: int) -> Context:
    insts = d.institutions_of(udvalg)
    results = d.results_of(year, udvalg)
    by_inst: dict[str, list[Row]] = {i.id: [] for i in insts}
    for r in results:
        by_inst.setdefault(str(r.get("virksomhed_id")), []).append(r)
    per_inst = []
    goal_rows = []
    unmet = []
    for i in insts:
        rows = sorted(by_inst[i.id], key=lambda r: (r["nr"] is None, r["nr"] or 0))
        per_inst.append({"id": tekst(i.id), "navn": tekst(i.navn), **_tally(rows)})
        for r in rows:
            enhed = d.goal_for(r).get("enhed")
            lvl = level(r)
            goal_rows.append({
                "virksomhed": tekst(i.navn),
                "nr": r.get("nr") or "",
                "titel": tekst(r.get("titel")),
                "udgangspunkt": vaerdi(r.get("baseline"), enhed),
                "maalvaerdi": vaerdi(r.get("maalvaerdi"), enhed),
                "resultat": vaerdi(r.get("resultat"), enhed),
                "maalopfyldelse": lvl or NOT_ASSESSED,
                "forklaring": tekst(r.get("forklaring")),
            })  # fmt: skip
            if lvl != OPFYLDT:
                explanation = (
                    tekst(r.get("forklaring")) or tekst(r.get("begrundelse")) or NO_EXPLANATION
                )
                unmet.append({**goal_rows[-1], "forklaring": explanation})
    trend, trend_chart = _trend(d, udvalg, year)
    total = _tally(results)
    return {
        "udvalg": tekst(udvalg),
        "resume": {"virksomheder": Antal(len(insts)), **total},
        "grafer": distribution_charts([i.navn for i in insts], [_counts(v) for v in per_inst]),
        "virksomheder": per_inst,
        "maal": goal_rows,
        "ikke_opfyldte": unmet,
        "har_udvikling": trend_chart is not None,
        "udvikling": trend,
        "udviklingsgraf": trend_chart,
    }


def memo_context(
    master: Master | MasterData,
    udvalg: str,
    fase: Fase,
    *,
    aar: int | None = None,
    today: date | None = None,
) -> Context:
    """Everything ``udvalgsnotat_<fase>.docx`` receives for one committee.

    ``fase="forslag"`` (September/October): the proposals for the year, decisions, focus
    areas × institutions, findings. ``fase="maalopfyldelse"`` (by March): attainment of the
    year's contract goals per institution and goal, unmet goals, the trend over the years.
    """
    if fase not in FASER:
        raise ValueError(f"Ukendt fase '{fase}'. Brug 'forslag' eller 'maalopfyldelse'.")
    d = _data(master)
    year = aar or d.aar
    if udvalg not in d.committees():
        raise KeyError(f"Fagudvalget '{udvalg}' findes ikke i masterfilen.")
    body = (
        _proposals_memo(d, udvalg, year) if fase == "forslag" else _attainment_memo(d, udvalg, year)
    )
    return {**_common(d, year, today), **body}


# --------------------------------------------------------------------------- samlet rapport


def report_context(
    master: Master | MasterData, *, aar: int | None = None, today: date | None = None
) -> Context:
    """Everything ``samlet_rapport.docx`` receives: the whole municipality's attainment."""
    d = _data(master)
    year = aar or d.aar
    committees = d.committees()
    results = d.results_of(year)
    per_committee = []
    for u in committees:
        rows = [r for r in results if d.committee_of(r) == u]
        per_committee.append(
            {"navn": tekst(u), "virksomheder": Antal(len(d.institutions_of(u))), **_tally(rows)}
        )
    by_type: dict[str, list[Row]] = {}
    for r in results:
        by_type.setdefault(tekst(d.goal_for(r).get("maaltype")) or "Ikke angivet", []).append(r)
    types = [
        {
            "navn": name,
            **{k: v for k, v in _tally(rows).items() if k in ("maal", "opfyldt", "andel_opfyldt")},
        }
        for name, rows in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), sort_name(kv[0])))
    ]
    by_inst: dict[str, list[Row]] = {}
    for r in results:
        by_inst.setdefault(str(r.get("virksomhed_id")), []).append(r)
    institutions = [
        {"udvalg": tekst(i.udvalg), "navn": tekst(i.navn),
         **{k: v for k, v in _tally(by_inst.get(i.id, [])).items() if k != "andel_opfyldt"}}
        for u in committees for i in d.institutions_of(u)
    ]  # fmt: skip
    trend, trend_chart = _trend(d, None, year)
    return {
        **_common(d, year, today),
        "resume": {
            "virksomheder": Antal(len(d.institutions_of())),  # under contract only
            "fagudvalg": Antal(len(committees)),
            **_tally(results),
        },
        "fagudvalg": per_committee,
        "graf": Chart("fordeling", tuple(committees), tuple(_counts(c) for c in per_committee)),
        "maaltyper": types,
        "har_udvikling": trend_chart is not None,
        "udvikling": trend,
        "udviklingsgraf": trend_chart,
        "virksomheder": institutions,
    }
