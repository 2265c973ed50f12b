"""What each template receives: one function per template, plain dicts out.

Every value a template prints is already a Danish string (dates, numbers, values with
units), or an :class:`~toolkit.documents.formatting.Antal` (an int that prints as
"1.234"), a bool for ``{% if %}``, a list of such dicts for loops, or a
:class:`~toolkit.documents.charts.Chart`, which the render layer turns into a picture.
The variables are documented for the template editors in ``docs/skabeloner.md``; a test
keeps that list and these functions in step.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from toolkit.documents.charts import Chart
from toolkit.documents.comparison import comparison_context
from toolkit.documents.data import Context, MasterData, Row, sort_name
from toolkit.documents.formatting import Antal, antal, dato, tal, tekst
from toolkit.documents.involvement import involvement_context
from toolkit.documents.memos import attainment_memo, proposals_memo, trend, trend_sentence
from toolkit.documents.shared import (
    common,
    counts,
    distribution,
    goal,
    levels_sentence,
    points,
    require_results,
    tally,
)
from toolkit.master.model import Master

Fase = Literal["forslag", "maalopfyldelse"]
MIN_GOALS = 3  # a contract holds 3–5 goals
FASER: tuple[str, ...] = ("forslag", "maalopfyldelse")


def _data(master: Master | MasterData) -> MasterData:
    return master if isinstance(master, MasterData) else MasterData(master)


# --------------------------------------------------------------------------- kontrakt


def _follow_up(year: int, udvalg: str, goals: list[Row]) -> list[Context]:
    """The year's follow-up dates (årshjulet) and the goals' deadlines, in date order."""
    items: list[tuple[date, str, str]] = [
        (date(year, 1, 1), dato(date(year, 1, 1)), "Kontrakten træder i kraft."),
        (date(year, 3, 1), f"Marts {year}", f"{udvalg} melder de politiske indsatsområder for {year + 1} ud."),
        (date(year, 4, 1), f"April–august {year}",
         f"Dialog med brugere og medarbejdere om forslag til mål for {year + 1}."),
        (date(year, 9, 1), f"September–oktober {year}",
         f"{udvalg} behandler virksomhedens forslag til mål for {year + 1}."),
        (date(year, 12, 31), dato(date(year, 12, 31)),
         "Kontraktåret slutter. Resultaterne opgøres efter de aftalte målinger og dokumentationskrav."),
        (date(year + 1, 3, 31), f"Senest {dato(date(year + 1, 3, 31))}",
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
    year: int | None = None,
    today: date | None = None,
) -> Context:
    """Everything ``kontrakt.docx`` receives for one institution (see docs/skabeloner.md).

    Only approved goals (Godkendt/Ændret) go in when the committee's decisions are recorded;
    when none is recorded for the institution, all its proposals go in and ``er_forslag``
    is true (the template then says the contract is a proposal).
    """
    d = _data(master)
    year = year or d.year
    inst = d.institution(virksomhed_id)
    goals, proposals_only, undecided = d.contract_goals(inst.id, year)
    dialog = sorted(d.dialogs.get(inst.id, []), key=lambda r: (str(r.get("dato") or ""),))
    waiting = [g for g in d.goals_of(inst.id, year) if not g["beslutning"]]
    too_few = "" if proposals_only or len(goals) >= MIN_GOALS else (
        f"Kontrakten har kun {antal(len(goals), 'godkendt mål', 'godkendte mål')}; en kontrakt "
        f"skal have {MIN_GOALS}–5 mål."
        + (
            f" {antal(len(waiting), 'forslag afventer', 'forslag afventer')} stadig udvalgets "
            "beslutning: " + "; ".join(f"mål {g['nr'] or ''}: {tekst(g.get('titel'))}" for g in waiting)
            + "."
            if waiting
            else " Virksomheden skal sende nye forslag i stedet for de afviste."
        )
    )  # fmt: skip
    return {
        **common(d, year, today),
        "virksomhed": {
            "id": tekst(inst.id),
            "navn": tekst(inst.navn),
            "type": tekst(inst.type),
            "udvalg": tekst(inst.udvalg),
            "leder": tekst(d.leader(inst.id)),
            "beskrivelse": tekst(inst.beskrivelse),
            "oekonomisk_ramme": tekst(inst.ramme),
        },
        "er_forslag": proposals_only,
        "antal_ikke_behandlet": Antal(undecided),
        "for_faa_maal": too_few,
        "periode": {"start": dato(date(year, 1, 1)), "slut": dato(date(year, 12, 31))},
        "indsatsomraader": [
            {"titel": tekst(a.titel), "beskrivelse": tekst(a.beskrivelse)}
            for a in d.focus_areas(inst.udvalg, year)
        ],
        "maal": [{**goal(g), "forrige": d.last_year_status(g)} for g in goals],
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


def memo_context(
    master: Master | MasterData,
    udvalg: str,
    phase: Fase,
    *,
    year: int | None = None,
    today: date | None = None,
) -> Context:
    """Everything ``udvalgsnotat_<fase>.docx`` receives for one committee.

    ``phase="forslag"`` (September/October): the proposals for the year, decisions, focus
    areas × institutions, findings. ``phase="maalopfyldelse"`` (by March): attainment of the
    year's contract goals per institution and goal, unmet goals, the trend over the years.
    """
    if phase not in FASER:
        raise ValueError(f"Ukendt fase '{phase}'. Brug 'forslag' eller 'maalopfyldelse'.")
    d = _data(master)
    year = year or d.year
    if udvalg not in d.committees():
        raise KeyError(f"Fagudvalget '{udvalg}' findes ikke i masterfilen.")
    if phase == "maalopfyldelse":
        require_results(d, year, "Udvalgsnotaterne om målopfyldelse")
        body = attainment_memo(d, udvalg, year)
    else:
        body = proposals_memo(d, udvalg, year)
    return {**common(d, year, today), **body}


# --------------------------------------------------------------------------- samlet rapport


def report_context(
    master: Master | MasterData, *, year: int | None = None, today: date | None = None
) -> Context:
    """Everything ``samlet_rapport.docx`` receives: the whole municipality's attainment.

    Refused (:class:`~toolkit.documents.shared.IngenResultater`) when no result is entered.
    """
    d = _data(master)
    year = year or d.year
    require_results(d, year, "Den samlede rapport")
    committees = d.committees()
    results = d.results_of(year)
    per_committee = []
    for u in committees:
        rows = [r for r in results if d.committee_of(r) == u]
        per_committee.append(
            {"navn": tekst(u), "virksomheder": Antal(len(d.institutions_of(u))), **tally(rows)}
        )
    by_type: dict[str, list[Row]] = {}
    for r in results:
        by_type.setdefault(tekst(d.goal_for(r).get("maaltype")) or "Ikke angivet", []).append(r)
    types = [
        {"navn": name, **{k: v for k, v in tally(rows).items() if k in ("maal", "opfyldt", "andel_opfyldt")}}
        for name, rows in sorted(by_type.items(), key=lambda kv: (-len(kv[1]), sort_name(kv[0])))
    ]  # fmt: skip
    by_inst: dict[str, list[Row]] = {}
    for r in results:
        by_inst.setdefault(str(r.get("virksomhed_id")), []).append(r)
    institutions = [
        {"udvalg": tekst(i.udvalg), "navn": tekst(i.navn),
         **{k: v for k, v in tally(by_inst[i.id]).items() if k != "andel_opfyldt"}}
        for u in committees for i in d.institutions_of(u) if by_inst.get(i.id)
    ]  # fmt: skip
    rows_trend, trend_chart = trend(d, None, year)
    total = tally(results)
    n_all, n_inst = len(d.institutions), len(institutions)
    summary = (
        f"I {year} var {antal(n_all, 'virksomhed', 'virksomheder')} under "
        f"{antal(len(committees), 'fagudvalg', 'fagudvalg')} omfattet af kontraktstyring. "
        f"{tal(n_inst)} af dem havde kontraktmål, i alt "
        f"{antal(total['maal'], 'kontraktmål', 'kontraktmål')}. " + levels_sentence(total)
    )
    best = max(per_committee, key=lambda c: int(c["opfyldt"]) / (int(c["maal"]) or 1), default=None)
    return {
        **common(d, year, today),
        "resume": {"virksomheder": Antal(n_all), "fagudvalg": Antal(len(committees)), **total},
        "resume_tekst": summary,
        "indstilling": points(
            [
                f"Økonomiudvalget anbefaler Kommunalbestyrelsen at tage den samlede målopfyldelse "
                f"for {year} til efterretning",
                f"målopfyldelsen bruges som status, når fagudvalgene melder politiske "
                f"indsatsområder ud i marts {year + 1}",
            ]
        ),
        "fordeling": distribution(total),
        "fagudvalg": per_committee,
        "fagudvalg_tekst": (
            f"Andelen af opfyldte mål var højest i {best['navn']} ({best['andel_opfyldt']})."
            if best is not None and len(per_committee) > 1
            else ""
        ),
        "graf": Chart(
            "fordeling", tuple(committees), tuple(counts(c) for c in per_committee), andele=True
        ),
        "maaltyper": types,
        "har_udvikling": trend_chart is not None,
        "udvikling": rows_trend,
        "udvikling_tekst": trend_sentence(rows_trend),
        "udviklingsgraf": trend_chart,
        "virksomheder": institutions,
        **comparison_context(d.master, year),
        **involvement_context(d.master, year),
    }
