"""What the committee memos receive: a dagsordenspunkt in both phases.

Top-down as a committee reads it: Resumé and Indstilling on page 1 (the sentences and the
numbered points are made here, so counts and nouns agree in number), a short
Sagsfremstilling with the key figures and one chart, Økonomi, Beslutning (left blank) and
the Bilag with the per-institution tables. The Indstilling never recommends approving a
proposal the committee rejected, and the tool's validation messages stay in the Bilag.
"""

from __future__ import annotations

from collections import Counter

from toolkit.documents.charts import Chart, distribution_charts
from toolkit.documents.comparison import comparison_context
from toolkit.documents.data import (
    AENDRET,
    AFVIST,
    GODKENDT,
    IKKE_ANGIVET,
    Context,
    MasterData,
    Row,
    level,
    sort_name,
)
from toolkit.documents.formatting import Antal, antal, flertal, tal, tekst, vaerdi
from toolkit.documents.shared import (
    NOT_ASSESSED,
    counts,
    distribution,
    goal,
    levels_sentence,
    points,
    tally,
)
from toolkit.rules.cycle import is_missing
from toolkit.spec.vocabulary import FEJL, OPFYLDT
from toolkit.spec.workbook import OWN_PROPOSAL

NO_EXPLANATION = "Virksomheden har ikke givet en forklaring."


def _virksomheder(n: int) -> str:
    return antal(n, "virksomhed", "virksomheder")


# --------------------------------------------------------------------------- forslag


def _proposal_points(year: int, r: Context, with_errors: Context) -> list[str]:
    """The numbered Indstilling of the proposal memo (see the module docstring)."""
    items = []
    if r["beslutninger"]:
        approved = int(r["godkendt"]) + int(r["aendret"])
        changed = (
            f", heraf {tal(r['aendret'])} med de ændringer, der fremgår af bilag 3"
            if r["aendret"]
            else ""
        )
        items.append(
            f"godkender {antal(approved, 'kontraktmål', 'kontraktmål')} for {year}{changed}"
        )
        if r["afvist"]:
            n = int(r["afvist"])
            what = flertal(n, "det afviste forslag", f"de {tal(n)} afviste forslag")
            items.append(f"beder virksomhederne om nye forslag i stedet for {what}")
        if r["ikke_behandlet"]:
            n = int(r["ikke_behandlet"])
            items.append(
                f"behandler {flertal(n, 'det forslag', f'de {tal(n)} forslag')}, "
                f"der endnu ikke er behandlet"
            )
    else:
        ok_insts, ok_goals = with_errors["uden_fejl"], with_errors["maal_uden_fejl"]
        if ok_goals:
            items.append(
                f"godkender de {antal(ok_goals, 'foreslåede kontraktmål', 'foreslåede kontraktmål')}"
                f" for {year} fra {_virksomheder(ok_insts)}"
                + (" uden fejl i forslagene" if r["med_fejl"] else "")
            )
        if r["med_fejl"]:
            n = int(r["med_fejl"])
            items.append(
                f"behandler forslagene fra {flertal(n, 'den virksomhed', f'de {tal(n)} virksomheder')}"
                f" med fejl, når fejlene er rettet"
            )
    if r["mangler"]:
        n = int(r["mangler"])
        who = flertal(n, "den virksomhed", f"de {tal(n)} virksomheder")
        items.append(f"beder {who}, der ikke har sendt forslag, om at gøre det inden næste møde")
    items.append(
        f"beder Kontraktservice om at udstede kontrakterne for {year} på grundlag af de "
        "godkendte mål"
    )
    return points(items)


def proposals_memo(d: MasterData, udvalg: str, year: int) -> Context:
    insts = d.institutions_of(udvalg)
    goals_by = {i.id: d.goals_of(i.id, year) for i in insts}
    all_goals = [g for gs in goals_by.values() for g in gs]
    decisions = Counter(g["beslutning"] for g in all_goals)
    missing = [i for i in insts if is_missing(i.status) or (not goals_by[i.id] and not i.status)]
    missing_ids = {i.id for i in missing}
    with_errors = [i for i in insts if i.status == FEJL]

    def area(g: Row) -> str:
        return str(g.get("indsatsomraade") or "").strip() or IKKE_ANGIVET

    focus = [a.titel for a in d.focus_areas(udvalg, year)]
    used = {area(g) for g in all_goals}
    extra = sorted(used - set(focus) - {OWN_PROPOSAL, IKKE_ANGIVET}, key=sort_name)
    columns = focus + extra + [a for a in (OWN_PROPOSAL, IKKE_ANGIVET) if a in used]
    own = sum(1 for g in all_goals if area(g) in (OWN_PROPOSAL, IKKE_ANGIVET))
    per_area = Counter(area(g) for g in all_goals)

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
    registered = any(g["beslutning"] for g in all_goals)
    resume = {
        "virksomheder": Antal(len(insts)),
        "modtaget": Antal(len(insts) - len(missing)),
        "mangler": Antal(len(missing)),
        "med_fejl": Antal(len(with_errors)),
        "forslag": Antal(len(all_goals)),
        "under_indsatsomraader": Antal(len(all_goals) - own),
        "egne_forslag": Antal(own),
        "godkendt": Antal(decisions[GODKENDT]),
        "aendret": Antal(decisions[AENDRET]),
        "afvist": Antal(decisions[AFVIST]),
        "ikke_behandlet": Antal(decisions[None]),
        "beslutninger": registered,
    }
    error_ids = {i.id for i in with_errors}
    ok = {
        "uden_fejl": len(insts) - len(missing) - len(with_errors),
        "maal_uden_fejl": sum(len(goals_by[i.id]) for i in insts if i.id not in error_ids),
    }
    r = resume
    sentences = [
        f"{_virksomheder(len(insts))} under {udvalg} er omfattet af kontraktstyring. "
        f"{tal(r['modtaget'])} har sendt forslag til i alt "
        f"{antal(r['forslag'], 'kontraktmål', 'kontraktmål')} for {year}: "
        f"{tal(r['under_indsatsomraader'])} under udvalgets politiske indsatsområder og "
        f"{antal(own, 'eget forslag', 'egne forslag')} fra virksomhederne."
    ]
    if r["mangler"]:
        sentences.append(
            f"{_virksomheder(r['mangler'])} mangler at sende forslag."
            if int(r["mangler"]) != 1
            else "1 virksomhed mangler at sende forslag."
        )
    if r["med_fejl"]:
        n = int(r["med_fejl"])
        sentences.append(
            f"{_virksomheder(n)} har stadig fejl i "
            f"{flertal(n, 'sit forslag', 'deres forslag')}; fejlene er nævnt i bilag 3."
        )
    decision_text = ""
    if registered:
        decision_text = (
            f"Udvalget har behandlet forslagene: {tal(r['godkendt'])} er godkendt, "
            f"{tal(r['aendret'])} er godkendt med ændringer, og {tal(r['afvist'])} er afvist"
            + (
                f"; {tal(r['ikke_behandlet'])} er endnu ikke behandlet"
                if r["ikke_behandlet"]
                else ""
            )
            + "."
        )
    warnings = len(findings) - len(errors)
    return {
        "udvalg": tekst(udvalg),
        "resume": resume,
        "resume_tekst": " ".join(sentences),
        "indstilling": _proposal_points(year, r, ok),
        "beslutninger_registreret": registered,
        "beslutning_tekst": decision_text,
        "beslutninger": [
            {"navn": name, "antal": r[key]}
            for name, key in (
                ("Godkendt", "godkendt"),
                ("Godkendt med ændringer", "aendret"),
                ("Afvist", "afvist"),
                ("Ikke behandlet", "ikke_behandlet"),
            )
        ],
        "omraadegraf": Chart(
            "antal",
            tuple(_area_label(a) for a in columns),
            tuple((per_area[a],) for a in columns),
            what="foreslåede kontraktmål",
        ),
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
                "maal": [goal(g) for g in goals_by[i.id]],
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
        "antal_advarsler": Antal(warnings),
        "advarsler_tekst": (
            f"Virksomhederne har desuden fået {antal(warnings, 'advarsel', 'advarsler')} om "
            "forhold, de bør se på. En advarsel forhindrer ikke, at målet godkendes."
            if warnings
            else ""
        ),
        "afviste": decided(AFVIST),
        "aendrede": decided(AENDRET),
    }


def _area_label(area: str) -> str:
    return {OWN_PROPOSAL: "Virksomhedernes egne forslag", IKKE_ANGIVET: "Intet indsatsområde"}.get(
        area, area
    )


def _area_columns(areas: list[str]) -> list[tuple[str, str]]:
    """(column label, legend text) of each column in the focus-area overview."""
    special = {
        OWN_PROPOSAL: ("Eget", "Virksomhedernes egne forslag"),
        IKKE_ANGIVET: ("?", "Intet indsatsområde angivet"),
    }
    return [special.get(a, (str(n), tekst(a))) for n, a in enumerate(areas, start=1)]


# --------------------------------------------------------------------------- målopfyldelse


def trend(d: MasterData, udvalg: str | None, year: int) -> tuple[list[Context], Chart | None]:
    rows = [{"aar": y, **tally(d.results_of(y, udvalg))} for y in d.years(udvalg, upto=year)]
    if len(rows) < 2:
        return rows, None
    chart = Chart("udvikling", tuple(str(r["aar"]) for r in rows), tuple(counts(r) for r in rows))
    return rows, chart


def trend_sentence(rows: list[Context]) -> str:
    if len(rows) < 2:
        return ""
    last, before = rows[-1], rows[-2]
    return (
        f"Året før, i {before['aar']}, blev {before['andel_opfyldt']} af målene opfyldt "
        f"({tal(before['opfyldt'])} af {antal(before['maal'], 'mål', 'mål')}); i {last['aar']} "
        f"var andelen {last['andel_opfyldt']}."
    )


def attainment_memo(d: MasterData, udvalg: str, year: int) -> Context:
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
        if rows:
            per_inst.append({"id": tekst(i.id), "navn": tekst(i.navn), **tally(rows)})
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
                # a goal that continues last year's: how that one went (issue 8, history)
                "forrige": d.last_year_status(d.goal_for(r)),
            })  # fmt: skip
            if lvl != OPFYLDT:
                explanation = (
                    tekst(r.get("forklaring")) or tekst(r.get("begrundelse")) or NO_EXPLANATION
                )
                unmet.append({**goal_rows[-1], "forklaring": explanation})
    rows_trend, trend_chart = trend(d, udvalg, year)
    total = tally(results)
    with_goals = len(per_inst)
    summary = (
        f"{_virksomheder(with_goals)} under {udvalg} havde kontraktmål i {year}, i alt "
        f"{antal(total['maal'], 'kontraktmål', 'kontraktmål')}. " + levels_sentence(total)
    )
    return {
        "udvalg": tekst(udvalg),
        "resume": {"virksomheder": Antal(with_goals), **total},
        "resume_tekst": summary,
        "indstilling": points(
            [
                f"tager orienteringen om målopfyldelsen for {year} til efterretning",
                f"bruger målopfyldelsen som status, når udvalget melder politiske indsatsområder "
                f"ud i marts {year + 1}",
            ]
        ),
        "fordeling": distribution(total),
        "udvikling_tekst": trend_sentence(rows_trend),
        "grafer": distribution_charts([v["navn"] for v in per_inst], [counts(v) for v in per_inst]),
        "virksomheder": per_inst,
        "maal": goal_rows,
        "ikke_opfyldte": unmet,
        "har_udvikling": trend_chart is not None,
        "udvikling": rows_trend,
        "udviklingsgraf": trend_chart,
        **comparison_context(d.master, year, udvalg),
    }
