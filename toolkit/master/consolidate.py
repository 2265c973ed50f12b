"""Konsolider: gather every institution's workbook into the master — the run, with its I/O.

:func:`gather` (:mod:`toolkit.master.intake`) reads and validates an inbox (in parallel, never
writing to an institution's file), :func:`build_tables` (:mod:`toolkit.master.consolidation`, plain
data in, plain data out) turns the submissions and the register into the master's rows, and
:func:`run` does the rest under the run lock: reads the old master, writes the new one with
:mod:`toolkit.master.write`, the log and the exports. Kontraktservice's own columns are
carried over by :func:`toolkit.master.rows.carry_kept` (typed values kept by the columns'
keys, the rest by :mod:`toolkit.master.extra`). The names above are importable from here.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.master.consolidation import (
    Row,
    build_tables,
    committee_summary,
    focus_matrix,
    mark_approved,
)
from toolkit.master.guard import (
    TypedValuesAtRisk,
    carry_all_extras,
    check_nothing_lost,
    check_tables_found,
)
from toolkit.master.intake import MAX_FILE_BYTES, Intake, Submission, gather, read_submission
from toolkit.master.rows import FORSLAG, RESULTATER_FASE
from toolkit.master.save import holding_run_lock, kept_backups_note
from toolkit.reading.workbook import os_reason
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule
from toolkit.rules.cycle import (
    LATE,
    NOT_YET,
    apply_result_statuses,
    apply_statuses,
    deadline,
    deadline_settings,
    first_years,
    is_missing,
    overview_kpis,
)


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

    from toolkit.master.model import read_master_rows, settings_year
    from toolkit.master.save import append_log, check_not_locked, refuse_non_master, save_master
    from toolkit.master.write import master_bytes
    from toolkit.reading.inputs import read_register

    t0 = time.perf_counter()
    now = now or datetime.now().replace(microsecond=0)
    check_not_locked(master)  # before any work: an open master changes nothing
    register = read_register(register_path)
    warnings = [*register.problems]
    if focus_path is not None:
        from toolkit.reading.inputs import focus_problems, read_focus_areas

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
    old_year = settings_year(old_settings)
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


class MasterUnreadable(Exception):
    """The existing master cannot be read; nothing was changed (Danish message)."""


__all__ = [  # the names other modules import from here
    "MAX_FILE_BYTES",
    "Intake",
    "MasterUnreadable",
    "Row",
    "RunResult",
    "Submission",
    "build_tables",
    "committee_summary",
    "focus_matrix",
    "gather",
    "mark_approved",
    "read_submission",
    "run",
]
