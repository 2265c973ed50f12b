"""``kontrakt maaling``: a survey export into the master, through the normal Konsolider.

The measurements are computed (:mod:`toolkit.master.measurements.compute`), added to the master's
Målinger table and the results filled (:mod:`toolkit.master.measurements.rows`) by one ordinary
Konsolider run over the master's inbox, so the master is written one way only: locked,
checked that no typed value is lost, backed up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.master.measurements.compute import Result, compute
from toolkit.master.measurements.rows import Row, measurement_rows
from toolkit.master.measurements.survey import Mapping, SurveyError, load_mapping, read_export
from toolkit.reading.inputs import Institution, read_register
from toolkit.rules.indicators import Library, default_library

if TYPE_CHECKING:
    from toolkit.master.consolidate import RunResult


def measure(
    export_path: Path, mapping: Path | Mapping, institutions: list[Institution], year: int,
    now: datetime, library: Library | None = None,
) -> tuple[Result, list[Row]]:  # fmt: skip
    """The indicator per institution and its Målinger rows."""
    m = load_mapping(mapping) if isinstance(mapping, Path) else mapping
    result = compute(read_export(export_path), m, library or default_library(), institutions)
    return result, measurement_rows(result, year, export_path.name, now, institutions)


@dataclass
class Imported:
    result: Result
    run: RunResult
    year: int


def inbox_of(master: Path) -> tuple[list[Path], int | None]:
    """The inbox and year Konsolider last used for this master (its Indstillinger)."""
    from toolkit.master.model import read_master_rows

    settings, _ = read_master_rows(master)
    raw = str(settings.get("indbakke") or "")
    year = settings.get("aar")
    return [Path(p.strip()) for p in raw.split(";") if p.strip()], int(year) if year else None


def import_survey(
    export_path: Path, mapping: Path | Mapping, master: Path, register_path: Path, *,
    inbox: list[Path] | None = None, year: int | None = None, now: datetime | None = None,
    library: Library | None = None, workers: int | None = None,
) -> Imported:  # fmt: skip
    from toolkit.master.consolidate import run

    if not master.exists():
        raise SurveyError(f"Masterarbejdsbogen {master} findes ikke. Kør Konsolider først.")
    now = now or datetime.now().replace(microsecond=0)
    register = read_register(register_path)
    known_inbox, known_year = inbox_of(master)
    year = year or known_year
    if year is None:
        raise SurveyError("Kontraktåret er ukendt: angiv --aar.")
    inbox = inbox or known_inbox
    if not inbox:
        raise SurveyError("Masterarbejdsbogen har ingen indbakke: angiv --indbakke.")
    result, rows = measure(export_path, mapping, register.institutions, year, now, library)
    done = run(inbox, master, register_path, year, now=now, measurements=rows, workers=workers)
    return Imported(result, done, year)
