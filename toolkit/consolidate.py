"""Konsolider: gather every institution's workbook into the master's tables.

The core is plain data in, plain data out: :func:`gather` reads and validates an inbox
(in parallel, never writing to an institution's file), :func:`build_tables` turns the
submissions and the register into the master's rows, and :mod:`toolkit.master.write`
writes them. Kontraktservice's own columns are merged in by :mod:`toolkit.master.merge`.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.attainment import DEFAULT_RULE, IKKE_MAALT, AttainmentRule
from toolkit.batch import expand_paths, parallel_map, unexpected_finding
from toolkit.cycle import (
    LATE,
    NOT_YET,
    apply_result_statuses,
    apply_statuses,
    deadline,
    deadline_settings,
    first_years,
    is_covered,
    is_missing,
    overview_kpis,
)
from toolkit.inputs import Institution, Register, normalise_id
from toolkit.master.contract import in_force
from toolkit.master.guard import (
    TypedValuesAtRisk,
    carry_all_extras,
    check_nothing_lost,
    check_tables_found,
)
from toolkit.master.rows import FORSLAG, RESULTATER_FASE, Orphans, assemble_goals, history
from toolkit.master.save import holding_run_lock, kept_backups_note
from toolkit.measurements.master import fill_results, keep_findings
from toolkit.measurements.master import merge as merge_measurements
from toolkit.model import Finding, Kontraktbog
from toolkit.read import WorkbookError, os_reason, read_workbook_saved
from toolkit.rules import validate
from toolkit.spec import OWN_PROPOSAL

Row = dict[str, Any]


@dataclass
class Submission:
    """One file from the inbox, read and validated (or not readable)."""

    path: Path
    sha256: str
    modified: datetime
    size: int
    book: Kontraktbog | None
    findings: list[Finding]
    saved: datetime | None = None  # the workbook's own "last saved" (docProps/core.xml)
    mtime_ns: int = 0  # the file's modification time, to the nanosecond

    def order(self, by_saved: bool = True) -> tuple[datetime, int]:
        """Newer is larger: the workbook's saved time first (when every file of the group
        has one: a program that does not record it must not lose for that), then the
        file's modification time to the nanosecond."""
        return ((self.saved or datetime.min) if by_saved else datetime.min, self.mtime_ns)

    @property
    def institution_id(self) -> str | None:
        return self.book.meta.virksomhed_id if self.book else None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "fejl")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "advarsel")


MAX_FILE_BYTES = 50 * 1024 * 1024  # a contract workbook is well under 1 MB


def read_submission(path: Path) -> Submission:
    """Read, validate and fingerprint one file. Never raises for a bad file."""
    try:
        st = path.stat()
        if st.st_size > MAX_FILE_BYTES:
            f = Finding(str(path), "", "", "fejl", "fil_laest",
                        f"Filen fylder {st.st_size / 2**20:.0f} MB; en kontraktarbejdsbog fylder under "
                        "1 MB. Den er ikke læst. Send den arbejdsbog, I har fået fra Kontraktservice.")  # fmt: skip
            return Submission(path, "", datetime.min, st.st_size, None, [f], None, st.st_mtime_ns)
        data = path.read_bytes()
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        modified = datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
    except OSError as exc:
        f = Finding(
            str(path), "", "", "fejl", "fil_laest", "Filen kan ikke læses" + os_reason(exc) + "."
        )
        return Submission(path, "", datetime.min, 0, None, [f])
    try:
        book, saved = read_workbook_saved(path, data=data)
        findings = validate(book)
    except WorkbookError as exc:
        return Submission(path, digest, modified, size, None, [exc.finding], None, st.st_mtime_ns)
    except Exception as exc:  # one file never stops the run
        return Submission(path, digest, modified, size, None, [unexpected_finding(path, exc)],
                          None, st.st_mtime_ns)  # fmt: skip
    # What the master needs is the model; the cell map and lists only served validation,
    # and leaving them out makes the trip back from a worker process much cheaper.
    book.cells, book.present, book.lists = {}, set(), {}
    return Submission(path, digest, modified, size, book, findings, saved, st.st_mtime_ns)


@dataclass
class Intake:
    """What the inbox held, after identification and de-duplication."""

    used: dict[str, Submission] = field(default_factory=dict)  # institution id → proposal
    results: dict[str, Submission] = field(default_factory=dict)  # institution id → results
    rejected: list[Submission] = field(default_factory=list)  # unreadable, other year, …
    superseded: list[Submission] = field(default_factory=list)  # older duplicates
    notes: list[Finding] = field(default_factory=list)  # intake-level findings
    files: int = 0

    def phase_of(self, s: Submission) -> str:
        return RESULTATER_FASE if s.book is not None and s.book.phase == "resultater" else FORSLAG


def _note(path: Path, rule: str, severity: str, message: str) -> Finding:
    return Finding(str(path), "", "", severity, rule, message)  # type: ignore[arg-type]


def gather(
    inbox: Sequence[Path],
    register: Register,
    year: int,
    *,
    workers: int | None = None,
    exclude: Sequence[Path] = (),
) -> Intake:
    """Read every workbook below ``inbox`` (except ``exclude``: the master and its backups);
    identify, check and de-duplicate them."""
    paths = list(expand_paths(inbox, exclude))
    subs = parallel_map(read_submission, paths, workers)
    intake = Intake(files=len(subs))
    known = register.by_id()
    by_inst: dict[tuple[str, str], list[Submission]] = defaultdict(list)
    for s in subs:
        if s.book is None:
            intake.rejected.append(s)
            continue
        meta = s.book.meta
        inst_id = normalise_id(meta.virksomhed_id or "")
        problem = None
        if meta.kontraktaar != year:
            problem = f"Arbejdsbogen er for kontraktår {meta.kontraktaar}, men der konsolideres for {year}."
        elif inst_id not in known:
            problem = f"Virksomheds-id '{inst_id}' findes ikke i virksomhedsregistret."
        elif meta.kommune and register.kommune and meta.kommune != register.kommune:
            problem = f"Arbejdsbogen er lavet til {meta.kommune}, ikke {register.kommune}."
        elif meta.register_id and register.register_id and meta.register_id != register.register_id:
            problem = (f"Arbejdsbogen er lavet fra et andet virksomhedsregister ({meta.register_id}) end det "
                       f"nuværende ({register.register_id}). Tjek, at det er den rigtige kommune og det rigtige år.")  # fmt: skip
            # Same municipality, other register edition: still usable, but say so.
            s.findings.append(_note(s.path, "fil_register", "advarsel", problem))
            problem = None
        if problem:
            s.findings.append(_note(s.path, "fil_fremmed", "fejl", problem))
            intake.rejected.append(s)
            continue
        by_inst[(inst_id, intake.phase_of(s))].append(s)
    for (inst_id, phase), group in by_inst.items():
        by_saved = all(s.saved is not None for s in group)
        group.sort(key=lambda s: (s.order(by_saved), s.path.name), reverse=True)
        newest, *older = group
        (intake.results if phase == RESULTATER_FASE else intake.used)[inst_id] = newest
        if older and older[0].order(by_saved) == newest.order(by_saved):
            newest.findings.append(_note(newest.path, "fil_dublet", "advarsel",
                f"{newest.path.name} og {older[0].path.name} er gemt på præcis samme tidspunkt, så det "
                f"kan ikke afgøres, hvilken der er nyest; {newest.path.name} er brugt (efter filnavn). "
                "Slet den forkerte fil, og kør Konsolider igen."))  # fmt: skip
        for o in older:
            msg = (f"{known[inst_id].navn} har indsendt flere filer. Den nyeste ({newest.path.name}, "
                   f"{newest.modified:%d-%m-%Y %H:%M}) er brugt; denne er ikke.")  # fmt: skip
            # The replaced file's own findings are history: only this note is kept.
            o.findings = [_note(o.path, "fil_dublet", "advarsel", msg)]
            newest.findings.append(_note(newest.path, "fil_dublet", "advarsel",
                f"{known[inst_id].navn} har også indsendt {o.path.name} ({o.modified:%d-%m-%Y %H:%M}); denne nyere fil er brugt."))  # fmt: skip
            intake.superseded.append(o)
    return intake


def _oversigt_row(inst: Institution, sub: Submission | None, old: Row | None) -> Row:
    base = {"virksomhed_id": inst.id, "navn": inst.navn, "type": inst.type, "udvalg": inst.udvalg}
    if sub is not None and sub.book is not None:
        v = sub.book.virksomhed
        return {**base, "status": "Fejl" if sub.errors else "Modtaget", "fejl": sub.errors,
                "advarsler": sub.warnings, "antal_maal": len(sub.book.maal), "fil": sub.path.name,
                "sidst_aendret": sub.modified, "sha256": sub.sha256[:12],
                "udfyldt_af": v.udfyldt_af, "beskrivelse": v.beskrivelse,
                "su_orienteret": v.su_orienteret}  # fmt: skip
    kept = {k: (old or {}).get(k) for k in ("fejl", "advarsler", "antal_maal", "fil", "sidst_aendret",
                                             "sha256", "udfyldt_af", "beskrivelse", "su_orienteret")}  # fmt: skip
    status = "Mangler" if not kept["fil"] else ("Fejl" if kept["fejl"] else "Modtaget")
    return {**base, "status": status, **kept}


def _fund_rows(s: Submission, names: dict[str, str], year: int, phase: str) -> list[Row]:
    return [{"virksomhed_id": s.institution_id, "virksomhed": names.get(s.institution_id or ""),
             "fil": s.path.name, "aar": year, "fase": phase, "ark": f.sheet, "celle": f.cell,
             "alvor": f.severity, "regel": f.rule, "besked": f.message} for f in s.findings]  # fmt: skip


def build_tables(
    intake: Intake, register: Register, year: int, rule: AttainmentRule = DEFAULT_RULE,
    *, old: dict[str, list[Row]] | None = None, old_year: int | None = None,
    now: datetime | None = None, phase: str | None = None, measurements: list[Row] | None = None,
) -> dict[str, list[Row]]:  # fmt: skip
    """The master's rows: the inbox applied to the master as it was (``old``); new survey
    ``measurements`` (toolkit.measurements.master) join the Målinger table."""
    old = old or {}
    now = now or datetime.now().replace(microsecond=0)
    orphans = Orphans(old.get("foraeldede", []))
    goals, results = assemble_goals(intake, register, year, old, orphans, now, rule)
    old_over = {
        str(r.get("virksomhed_id")): r
        for r in old.get("oversigt", [])
        if (r.get("aar") if r.get("aar") is not None else old_year) in (None, year)
    }
    results_phase = phase == RESULTATER_FASE or bool(intake.results)
    proposal_run = bool(intake.used)  # the proposals inbox is the truth for proposals
    oversigt: list[Row] = []
    gruppe: list[Row] = []
    dialog: list[Row] = []
    kept: dict[str, defaultdict[str, list[Row]]] = {
        "gruppe": defaultdict(list),
        "dialog": defaultdict(list),
    }
    for t in kept:
        for r in old.get(t, []):
            if (r.get("aar") if r.get("aar") is not None else old_year) == year:
                kept[t][str(r.get("virksomhed_id"))].append(dict(r, aar=year))
    for inst in sorted(register.institutions, key=lambda i: (i.udvalg, i.navn)):
        sub = intake.used.get(inst.id)
        before = None if proposal_run else old_over.get(inst.id)
        row = {"aar": year, **_oversigt_row(inst, sub, before)}
        res = intake.results.get(inst.id)
        if res is not None:
            row["resultatstatus"] = "Fejl" if res.errors else "Modtaget"
        else:
            prev = None if intake.results else (old_over.get(inst.id) or {}).get("resultatstatus")
            row["resultatstatus"] = prev or (
                "Mangler" if results_phase and row["status"] != "Mangler" else None
            )
        oversigt.append(row)
        base = {
            "virksomhed_id": inst.id,
            "aar": year,
            "virksomhed": inst.navn,
            "udvalg": inst.udvalg,
        }
        if (sub is None or sub.book is None) and not proposal_run:
            gruppe += [
                dict(r, virksomhed=inst.navn, udvalg=inst.udvalg) for r in kept["gruppe"][inst.id]
            ]
            dialog += [
                dict(r, virksomhed=inst.navn, udvalg=inst.udvalg) for r in kept["dialog"][inst.id]
            ]
            continue
        if sub is None or sub.book is None:
            continue
        for m in sub.book.gruppe:
            gruppe.append(
                {**base, "navn": m.navn, "rolle": m.rolle, "stilling": m.stilling, "email": m.email}
            )
        for d in sub.book.dialog:
            dialog.append({**base, "dato": d.dato, "med_hvem": d.med_hvem, "form": d.form,
                           "deltagere": d.deltagere, "tema": d.tema, "udbytte": d.udbytte})  # fmt: skip
    names = {i.id: i.navn for i in register.institutions}
    fund: list[Row] = []
    fresh = {
        (s.institution_id, intake.phase_of(s))
        for s in [*intake.used.values(), *intake.results.values()]
    }
    for r in old.get("fund", []):
        r_year = r.get("aar") if r.get("aar") is not None else old_year
        key = (r.get("virksomhed_id"), r.get("fase") or FORSLAG)
        this_run = intake.results if key[1] == RESULTATER_FASE else intake.used
        if r_year == year and r.get("virksomhed_id") in names and key not in fresh and not this_run:
            fund.append(dict(r, aar=year, fase=key[1]))  # kept with the submission it is about
    subs = [*intake.used.values(), *intake.results.values(), *intake.rejected, *intake.superseded]
    for s in sorted(subs, key=lambda s: str(s.path)):
        fund += _fund_rows(s, names, year, intake.phase_of(s))
    maalinger = merge_measurements(old.get("maalinger", []), measurements or [])
    fund = keep_findings(fund) + fill_results(results, goals, maalinger, year, rule)
    return {
        "oversigt": oversigt + history("oversigt", old, year, old_year),
        "maal": goals + history("maal", old, year, old_year),
        "resultater": results + history("resultater", old, year, old_year),
        "gruppe": gruppe + history("gruppe", old, year, old_year),
        "dialog": dialog + history("dialog", old, year, old_year),
        "maalinger": maalinger,
        "fund": fund,
        "foraeldede": orphans.out(),
        "koersler": list(old.get("koersler", [])),
    }


def mark_approved(tables: dict[str, list[Row]], year: int) -> None:
    """Status *Godkendt*: received without errors, and every goal has a recorded decision
    (Godkendt or Ændret) still in force — the committee has dealt with the whole proposal."""
    goals: dict[str, list[Row]] = defaultdict(list)
    for g in tables["maal"]:
        if g.get("aar") == year:
            goals[g["virksomhed_id"]].append(g)
    for o in tables["oversigt"]:
        if o.get("aar") != year:
            continue
        gs = goals.get(o["virksomhed_id"], [])
        if o["status"] == "Modtaget" and gs and all(in_force(g) for g in gs):
            o["status"] = "Godkendt"


def committee_summary(tables: dict[str, list[Row]]) -> list[Row]:
    """One row per committee: submissions and attainment counts (contract goals only:
    rejected proposals have no result row)."""
    out: dict[str, Row] = {}
    for o in tables["oversigt"]:
        r = out.setdefault(o["udvalg"], {"udvalg": o["udvalg"], "virksomheder": 0, "modtaget": 0, "mangler": 0,
                                          "med_fejl": 0, "maal": 0, "opfyldt": 0, "delvist": 0,
                                          "ikke_opfyldt": 0, "ikke_maalt": 0})  # fmt: skip
        if not is_covered(o["status"]):  # a later rollout wave counts in no totals
            continue
        r["virksomheder"] += 1
        r["mangler"] += is_missing(o["status"])
        r["modtaget"] += not is_missing(o["status"])
        r["med_fejl"] += o["status"] == "Fejl"
    levels = {
        "Opfyldt": "opfyldt",
        "Delvist opfyldt": "delvist",
        "Ikke opfyldt": "ikke_opfyldt",
        IKKE_MAALT: "ikke_maalt",
    }
    for res in tables["resultater"]:
        if res["udvalg"] not in out:
            continue
        r = out[res["udvalg"]]
        r["maal"] += 1
        level = res.get("maalopfyldelse") or res.get("beregnet")
        if level in levels:
            r[levels[level]] += 1
    return [out[k] for k in sorted(out)]


def focus_matrix(tables: dict[str, list[Row]], register: Register) -> tuple[list[str], list[Row]]:
    """Focus area × institution: how many goals each institution has under each area."""
    counts: Counter[tuple[str, str]] = Counter()
    areas_by_committee: dict[str, set[str]] = defaultdict(set)
    for g in tables["maal"]:
        area = g.get("indsatsomraade") or "(ikke angivet)"
        counts[(g["virksomhed_id"], area)] += 1
        areas_by_committee[g["udvalg"]].add(area)
    areas = sorted(
        {a for s in areas_by_committee.values() for a in s}, key=lambda a: (a == OWN_PROPOSAL, a)
    )
    rows = []
    for inst in sorted(register.institutions, key=lambda i: (i.udvalg, i.navn)):
        row: Row = {"virksomhed_id": inst.id, "navn": inst.navn, "udvalg": inst.udvalg}
        for a in areas:
            row[a] = counts.get((inst.id, a)) or None
        rows.append(row)
    return areas, rows


def current_user() -> str:
    for var in ("USERNAME", "USER", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    return "ukendt"


# ---------------------------------------------------------------------------- the whole run


@dataclass
class RunResult:
    master: Path
    backup: Path | None
    intake: Intake
    tables: dict[str, list[Row]]
    seconds: float
    log: Path | None = None
    exported: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Danish: register problems, export/log

    @property
    def missing(self) -> list[str]:
        return [r["virksomhed_id"] for r in self.current("oversigt") if is_missing(r["status"])]

    @property
    def year(self) -> int | None:
        years = [r.get("aar") for r in self.tables["koersler"][-1:]]
        return years[0] if years else None

    def current(self, table: str) -> list[Row]:
        """The rows of the year this run consolidated (the master also keeps other years)."""
        return [r for r in self.tables[table] if self.year is None or r.get("aar") == self.year]

    def summary(self) -> dict[str, Any]:
        statuses = Counter(r["status"] for r in self.current("oversigt"))
        return {
            "master": str(self.master),
            "filer": self.intake.files,
            "brugt": len(self.intake.used),
            "afvist": len(self.intake.rejected),
            "erstattet": len(self.intake.superseded),
            "mangler": statuses.get("Mangler", 0) + statuses.get(LATE, 0),
            "forsinket": statuses.get(LATE, 0),
            "ikke_omfattet": statuses.get(NOT_YET, 0),
            "med_fejl": statuses.get("Fejl", 0),
            "maal": len(self.current("maal")),
            "fund": len(self.tables["fund"]),
            "sekunder": round(self.seconds, 2),
        }


@holding_run_lock
def run(
    inbox: Sequence[Path],
    master: Path,
    register_path: Path,
    year: int | None = None,
    *,
    workers: int | None = None,
    export_dir: Path | None = None,
    keep_backups: int = 10,
    rule: AttainmentRule = DEFAULT_RULE,
    now: datetime | None = None,
    focus_path: Path | None = None,
    typed: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    measurements: list[Row] | None = None,
) -> RunResult:
    """Konsolider: read the inbox, merge with the existing master, write it safely.

    ``typed`` (table key → goal id → column → value) are values typed into the master's
    own columns since it was written, as a person does in Excel — the demo and batch use
    (e.g. decisions from the committee secretary's list) give them this way."""
    import json
    import time

    from toolkit.inputs import read_register
    from toolkit.master.model import read_master_rows
    from toolkit.master.save import append_log, check_not_locked, refuse_non_master, save_master
    from toolkit.master.write import master_bytes

    t0 = time.perf_counter()
    now = now or datetime.now().replace(microsecond=0)
    check_not_locked(master)  # before any work: an open master changes nothing
    register = read_register(register_path)
    warnings = [*register.problems]
    if focus_path is not None:
        from toolkit.inputs import focus_problems, read_focus_areas

        warnings += focus_problems(register, read_focus_areas(focus_path))
    old_settings: dict[str, Any] = {}
    old: dict[str, list[Row]] = {}
    if master.exists():
        try:
            old_settings, old = read_master_rows(master)
        except Exception as exc:
            raise MasterUnreadable(f"Den nuværende masterarbejdsbog {master.name} kan ikke læses ({exc}). "
                                   "Intet er ændret. Flyt den væk, eller gendan en sikkerhedskopi.") from exc  # fmt: skip
        refuse_non_master(master, old_settings, old)
        _guarded(check_tables_found, master, old)
    for table, by_id in (typed or {}).items():
        for r in old.get(table, []):
            r.update(by_id.get(str(r.get("noegle")), {}))
    if year is None:
        year = int(old_settings.get("aar") or datetime.now().year + 1)
    from toolkit.master.save import BACKUP_DIR

    exclude = [
        master,
        master.parent / BACKUP_DIR,
        master.with_suffix(".xlsm" if master.suffix.lower() == ".xlsx" else ".xlsx"),
    ]
    intake = gather(inbox, register, year, workers=workers, exclude=exclude)
    old_year = _int(old_settings.get("aar"))
    tables = build_tables(intake, register, year, rule, old=old, old_year=old_year, now=now,
                          phase=str(old_settings.get("fase") or "") if old_year == year else None,
                          measurements=measurements)  # fmt: skip
    mark_approved(tables, year)
    same_year = old_settings if old_settings.get("aar") == year else {}
    current = [r for r in tables["oversigt"] if r.get("aar") == year]
    today = now.date()
    apply_statuses(
        current,
        first_years(register.institutions),
        year,
        deadline(same_year, "forslag", year),
        today,
    )
    apply_result_statuses(current, deadline(same_year, "resultater", year), today)
    tables["udvalg"] = committee_summary(
        {
            **tables,
            "resultater": [r for r in tables["resultater"] if r.get("aar") == year],
            "oversigt": [r for r in tables["oversigt"] if r.get("aar") == year],
        }
    )
    _guarded(carry_all_extras, master, old, tables, now)
    _guarded(check_nothing_lost, master, old, tables)
    areas, matrix_rows = focus_matrix(
        {**tables, "maal": [r for r in tables["maal"] if r.get("aar") == year]}, register
    )
    used = sorted(intake.used.values(), key=lambda s: s.path.name)
    duration = round(time.perf_counter() - t0, 2)
    entry = {
        "tidspunkt": now, "bruger": current_user(), "aar": year, "filer": intake.files, "gyldige": len(used),
        "fejl": sum(1 for r in tables["oversigt"] if r.get("aar") == year and r["status"] == "Fejl"), "varighed": duration,
        "detaljer": json.dumps([[s.path.name, s.sha256] for s in [*used, *intake.results.values(), *intake.rejected, *intake.superseded]], ensure_ascii=False),
    }  # fmt: skip
    tables["koersler"] = [*tables["koersler"], entry]
    settings = {**old_settings, "kommune": register.kommune, "aar": year,
                "indbakke": str(inbox[0]) if len(inbox) == 1 else "; ".join(map(str, inbox)),
                "register": str(register_path)}  # fmt: skip
    if focus_path is not None:
        settings["indsatsomraader"] = str(focus_path)
    if intake.results:
        settings["fase"] = RESULTATER_FASE
    elif old_year != year or not settings.get("fase"):
        settings["fase"] = FORSLAG
    settings.update(deadline_settings(same_year, year))
    goals_now = [r for r in tables["maal"] if r.get("aar") == year]
    stats = {
        "info": f"Sidst konsolideret {now:%d-%m-%Y %H:%M} af {entry['bruger']} fra {settings['indbakke']}",
        "kpis": overview_kpis(current, len(goals_now), len(tables["fund"])),
    }
    data = master_bytes(
        settings, tables, (areas, matrix_rows), stats, xlsm=master.suffix.lower() == ".xlsm"
    )
    only_copies: list[Path] = []
    copy = save_master(master, data, keep=keep_backups, kept=only_copies)
    # The master is written: what fails from here on is reported, never raised.
    log: Path | None = None
    try:
        log = append_log(master, {**entry, "master": str(master), "tidspunkt": now.isoformat(),
                                  "filer_sha256": json.loads(str(entry["detaljer"])),
                                  **kept_backups_note(only_copies)})  # fmt: skip
    except OSError as exc:
        warnings.append(f"Masterarbejdsbogen er opdateret, men kørselsloggen {master.with_suffix('.log').name} "
                        f"kunne ikke skrives{os_reason(exc)}.")  # fmt: skip
    result = RunResult(
        master, copy, intake, tables, time.perf_counter() - t0, log, warnings=warnings
    )
    if export_dir is not None:
        from toolkit.master.export import export

        try:
            result.exported = export(export_dir, tables)
        except OSError as exc:
            warnings.append(f"Masterarbejdsbogen er opdateret, men eksporten til {export_dir} kunne ikke "
                            f"skrives{os_reason(exc)}. Vælg en mappe, du kan skrive i, og kør igen.")  # fmt: skip
    return result


def _guarded(check: Any, *args: Any) -> None:
    try:
        check(*args)
    except TypedValuesAtRisk as exc:
        raise MasterUnreadable(str(exc)) from exc


def _int(v: Any) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


class MasterUnreadable(Exception):
    """The existing master cannot be read; nothing was changed (Danish message)."""
