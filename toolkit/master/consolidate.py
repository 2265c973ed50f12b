"""Konsolider on the master file: the command line's run, the I/O around the pure core.

:func:`run`, under the run lock: reads the old master from the file (:func:`read_state`),
gathers the inbox (:func:`gather`, :mod:`toolkit.master.intake`: in parallel, never writing to
an institution's file), lets the core compute the new master (:func:`consolidate`,
:mod:`toolkit.master.consolidation`: no I/O), writes it atomically after a backup
(:mod:`toolkit.master.write`, :mod:`toolkit.master.save`), then the run log and the exports.
The Excel button (:mod:`toolkit.excel.konsolider_button`) calls the same core on the open book. The
names above are importable from here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit.master.consolidation import (
    MasterState,
    Outcome,
    Row,
    build_tables,
    check_state,
    committee_summary,
    consolidate,
    focus_matrix,
    mark_approved,
    tally,
)
from toolkit.master.guard import MasterUnreadable
from toolkit.master.intake import MAX_FILE_BYTES, Intake, Submission, gather, read_submission
from toolkit.master.save import holding_run_lock, kept_backups_note
from toolkit.reading.workbook import os_reason
from toolkit.rules.attainment import AttainmentRule, RuleOverride
from toolkit.rules.cycle import is_missing


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
        return {
            "master": str(self.master),
            **tally(self.intake, self.tables, self.year),
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
    rule: AttainmentRule | RuleOverride | None = None,
    now: datetime | None = None,
    focus_path: Path | None = None,
    typed: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    measurements: list[Row] | None = None,
) -> RunResult:
    """Konsolider: read the inbox, merge with the existing master, write it safely.

    Under the run lock: the old master is read from the file, the inbox gathered, the core
    (:func:`toolkit.master.consolidation.consolidate`) computes the new master, which is
    written atomically after a backup; then the log and the exports. ``typed`` (table key →
    goal id → column → value) are values typed into the master's own columns since it was
    written, as a person does in Excel — the demo and batch use (e.g. decisions from the
    committee secretary's list) give them this way. The goals are graded by the attainment
    rule on the master's Indstillinger; ``rule`` (the command line's ``--opfyldt``/``--delvist``)
    overrides it and is written there, so the Excel button grades the same way next time."""
    import time

    from toolkit.master.save import append_log, check_not_locked, save_master
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
    old = read_state(master)
    check_state(old, rule)  # before the inbox is read (tables found, a usable rule)
    if year is None:
        year = int(old.settings.get("aar") or datetime.now().year + 1)
    intake = gather(inbox, register, year, workers=workers, exclude=master_and_copies(master))
    sources = {"register": str(register_path)}
    if focus_path is not None:
        sources["indsatsomraader"] = str(focus_path)
    outcome = consolidate(old, intake, register, year, now, rule=rule, typed=typed,
                          measurements=measurements, user=current_user(),
                          inbox=inbox_text(inbox), sources=sources)  # fmt: skip
    entry = outcome.entry
    entry["varighed"] = round(time.perf_counter() - t0, 2)
    data = master_bytes(outcome.settings, outcome.tables, (outcome.areas, outcome.matrix),
                        outcome.stats, xlsm=master.suffix.lower() == ".xlsm")  # fmt: skip
    only_copies: list[Path] = []
    copy = save_master(master, data, keep=keep_backups, kept=only_copies)
    # The master is written: what fails from here on is reported, never raised.
    log: Path | None = None
    try:
        log = append_log(master, log_line(master, entry, only_copies))
    except OSError as exc:
        warnings.append(f"Masterarbejdsbogen er opdateret, men kørselsloggen {master.with_suffix('.log').name} "
                        f"kunne ikke skrives{os_reason(exc)}.")  # fmt: skip
    tables = outcome.tables
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


def read_state(master: Path) -> MasterState:
    """The master file as the core takes it (a master not there yet: an empty state)."""
    from toolkit.master.model import read_master_rows
    from toolkit.master.save import refuse_non_master

    if not master.exists():
        return MasterState(name=master.name, exists=False)
    try:
        settings, tables = read_master_rows(master)
    except Exception as exc:
        raise MasterUnreadable(f"Den nuværende masterarbejdsbog {master.name} kan ikke læses ({exc}). "
                               "Intet er ændret. Flyt den væk, eller gendan en sikkerhedskopi.") from exc  # fmt: skip
    refuse_non_master(master, settings, tables)
    return MasterState(settings, tables, master.name)


def master_and_copies(master: Path) -> list[Path]:
    """What the inbox never reads as a submission: the master, its backups, its twin."""
    from toolkit.master.save import BACKUP_DIR

    other = ".xlsm" if master.suffix.lower() == ".xlsx" else ".xlsx"
    return [master, master.parent / BACKUP_DIR, master.with_suffix(other)]


def inbox_text(inbox: Sequence[Path]) -> str:
    """The inbox as Indstillinger and Overblik show it."""
    return str(inbox[0]) if len(inbox) == 1 else "; ".join(map(str, inbox))


def log_line(master: Path, entry: Row, kept: list[Path], **more: Any) -> dict[str, Any]:
    """The run's line in the run log beside the master."""
    return {**entry, "master": str(master), "tidspunkt": entry["tidspunkt"].isoformat(), **more,
            "filer_sha256": json.loads(str(entry["detaljer"])), **kept_backups_note(kept)}  # fmt: skip


__all__ = [  # the names other modules import from here
    "MAX_FILE_BYTES",
    "Intake",
    "MasterState",
    "MasterUnreadable",
    "Outcome",
    "Row",
    "RunResult",
    "Submission",
    "build_tables",
    "committee_summary",
    "consolidate",
    "focus_matrix",
    "gather",
    "mark_approved",
    "read_submission",
    "run",
]
