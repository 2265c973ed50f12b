"""Who is under contract, and who is late: rollout waves and deadlines of the årshjul.

* **Rollout waves.** An institution is under contract ("omfattet af kontraktstyring") from
  the register's *Første kontraktår*; an empty cell means from the start. Later waves get no
  workbook, show as *Ikke omfattet endnu* in the master's Oversigt, and count in no totals.
* **Deadlines.** Each phase has a deadline, kept on the master's Indstillinger where
  Kontraktservice can type another date. Defaults follow the årshjul (DOMAIN.md): proposals
  for contract year N by 1 September of year N-1, results by 31 January of N+1 (so the
  attainment can go to the committees by March). An institution still missing after the
  deadline is *Forsinket*.

Consolidation, the Excel buttons, reminders and documents share these functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from toolkit.spec.vocabulary import FEJL, FORSINKET, MANGLER

MISSING = MANGLER
LATE = FORSINKET
NOT_YET = "Ikke omfattet endnu"
#: Statuses of an institution under contract whose workbook has not come in.
MISSING_STATUSES = (MISSING, LATE)

#: The deadlines (and where the blank workbooks are) on the master's Indstillinger
#: (key, Danish label, help).
CYCLE_SETTINGS = (
    ("frist_forslag", "Frist for forslag",
     "Sidste dag for virksomhedernes forslag (standard 1. september året før kontraktåret)."),
    ("frist_resultater", "Frist for resultater",
     "Sidste dag for resultaterne (standard 31. januar året efter kontraktåret)."),
    ("udsendt", "Udsendte arbejdsbøger",
     "Mappen med de tomme arbejdsbøger fra kontrakt opret; Påmindelser vedhæfter dem."),
)  # fmt: skip
_PHASE_SETTING = {"forslag": "frist_forslag", "resultater": "frist_resultater"}
_EXCEL_EPOCH = date(1899, 12, 30)


class _Registered(Protocol):
    @property
    def foerste_kontraktaar(self) -> int | None: ...


_R = TypeVar("_R", bound=_Registered)


def under_contract(inst: _Registered, year: int) -> bool:
    """Is the institution under contract in ``year`` (its first contract year ≤ year)?"""
    first = inst.foerste_kontraktaar
    return first is None or first <= year


def is_missing(status: Any) -> bool:
    """Mangler or Forsinket: under contract, and nothing has come in."""
    return str(status or "") in MISSING_STATUSES


def is_covered(status: Any) -> bool:
    """For documents: does an Oversigt row count (institution under contract)?"""
    return str(status or "") != NOT_YET


def default_deadline(phase: str, year: int) -> date:
    if phase.lower() == "resultater":
        return date(year + 1, 1, 31)
    return date(year - 1, 9, 1)


def as_date(v: Any) -> date | None:
    """A date typed on Indstillinger: a date cell, a serial number, or text dd-mm-yyyy."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool) and 1 < v < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(v))
    if isinstance(v, str):
        for fmt in ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(v.strip(), fmt).date()
            except ValueError:
                continue
    return None


def deadline(settings: Mapping[str, Any], phase: str, year: int) -> date:
    """The phase's deadline: the date on Indstillinger, else the årshjul's default."""
    typed = as_date(settings.get(_PHASE_SETTING.get(phase.lower(), "frist_forslag")))
    return typed or default_deadline(phase, year)


def deadline_settings(settings: Mapping[str, Any], year: int) -> dict[str, date]:
    """Both deadlines, as they go onto Indstillinger (typed dates are kept)."""
    return {key: deadline(settings, phase, year) for phase, key in _PHASE_SETTING.items()}


def phase_of(settings: Mapping[str, Any]) -> str:
    return (
        "resultater"
        if str(settings.get("fase") or "").strip().lower() == "resultater"
        else "forslag"
    )


def apply_statuses(
    oversigt: Sequence[dict[str, Any]],
    register_first_years: Mapping[str, int | None],
    year: int,
    due: date,
    today: date,
) -> None:
    """Missing institutions of a later rollout wave become *Ikke omfattet endnu* (one that
    sent a workbook anyway keeps its status), the others *Forsinket* after ``due``."""
    for o in oversigt:
        if o.get("status") != MISSING:
            continue
        first = register_first_years.get(str(o.get("virksomhed_id")))
        if first is not None and first > year:
            o["status"] = NOT_YET
        elif today > due:
            o["status"] = LATE


def apply_result_statuses(oversigt: Sequence[dict[str, Any]], due: date, today: date) -> None:
    """Results still missing after the results deadline are *Forsinket* (column Resultater)."""
    for o in oversigt:
        if o.get("resultatstatus") == MISSING and today > due:
            o["resultatstatus"] = LATE


def first_years(institutions: Iterable[_Registered]) -> dict[str, int | None]:
    return {str(i.id): i.foerste_kontraktaar for i in institutions}  # type: ignore[attr-defined]


def overview_kpis(
    oversigt: Sequence[Mapping[str, Any]], goals: int, findings: int
) -> list[tuple[str, int]]:
    """The key figures on Overblik; institutions not yet under contract count nowhere."""
    statuses = Counter(str(o.get("status") or "") for o in oversigt)
    covered = len(oversigt) - statuses[NOT_YET]
    missing = statuses[MISSING] + statuses[LATE]
    kpis = [
        ("Virksomheder", covered),
        ("Modtaget", covered - missing),
        ("Mangler", missing),
    ]
    if statuses[LATE]:
        kpis.append(("Heraf forsinket", statuses[LATE]))
    kpis += [("Med fejl", statuses[FEJL]), ("Kontraktmål", goals), ("Fund", findings)]
    if statuses[NOT_YET]:
        kpis.append(("Ikke omfattet endnu", statuses[NOT_YET]))
    return kpis


def split_waves(institutions: Iterable[_R], year: int) -> tuple[list[_R], list[_R]]:
    """(under contract in ``year``, later rollout waves), in register order."""
    now: list[_R] = []
    later: list[_R] = []
    for i in institutions:
        (now if under_contract(i, year) else later).append(i)
    return now, later


def later_waves_text(later: Sequence[_Registered], year: int) -> str:
    """'2 virksomheder er ikke omfattet af kontraktstyring i 2027 endnu (Første kontraktår
    i registret: 2028 (2)) og har ikke fået en arbejdsbog.'"""
    years = Counter(i.foerste_kontraktaar for i in later)
    spread = ", ".join(f"{y} ({n})" for y, n in sorted(years.items(), key=lambda x: x[0] or 0))
    noun = "virksomhed" if len(later) == 1 else "virksomheder"
    return (
        f"{len(later)} {noun} er ikke omfattet af kontraktstyring i {year} endnu "
        f"(Første kontraktår i registret: {spread}) og har ikke fået en arbejdsbog."
    )
