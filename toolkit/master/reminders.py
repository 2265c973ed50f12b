"""Påmindelser: one e-mail draft per institution that is missing, late or has errors.

Kontraktservice used to join Oversigt, Fund and the register's e-mail addresses by hand to
chase institutions. ``kontrakt paamind`` (and the master's button Påmindelser) writes, from
the master and the register,

* one ``.eml`` per institution, with ``X-Unsent: 1`` so Outlook opens it as a draft to
  read, change and send: Danish text, To: the register's e-mail, the deadline, the
  institution's own findings (errors, then warnings) of the file that was used, and its
  blank workbook attached when nothing has come in (from the folder ``opret`` wrote);
* a summary list ``Påmindelser.xlsx`` (one row per draft).

Nothing is sent. Institutions of a later rollout wave get nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

from toolkit.master.rows import FORSLAG
from toolkit.reading.inputs import Institution, Register
from toolkit.rules.cycle import LATE, MISSING, NOT_YET, deadline, phase_of, under_contract
from toolkit.spec.catalog import dansk_dato
from toolkit.spec.vocabulary import FEJL

Row = dict[str, Any]
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
XLSM_TYPE = ("application", "vnd.ms-excel.sheet.macroEnabled.12")
SUMMARY_NAME = "Påmindelser.xlsx"
MAX_FINDINGS = 40
#: Why an institution is reminded, as the summary list says it.
REASONS = {MISSING: MISSING, LATE: LATE, FEJL: "Fejl i arbejdsbogen"}


@dataclass
class Reminder:
    institution: Institution
    reason: str  # Mangler, Forsinket or Fejl
    deadline: date
    findings: list[Row] = field(default_factory=list)
    attachment: Path | None = None
    path: Path | None = None
    overdue: bool = False  # the deadline has passed


def _safe(name: str) -> str:
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", name).strip() or "virksomhed"


def _what(phase: str, year: int) -> str:
    if phase == "resultater":
        return f"resultaterne for kontraktåret {year}"
    return f"forslagene til kontraktmål for {year}"


@dataclass(frozen=True)
class Round:
    """The round reminded of, as the master's settings give it: contract year, phase
    (``forslag`` or ``resultater``) and that phase's deadline."""

    year: int
    phase: str
    due: date


def round_of(settings: Mapping[str, Any], today: date) -> Round:
    """The year (this year when the master has none), phase and deadline — derived here only."""
    year = int(settings.get("aar") or today.year)
    phase = phase_of(settings)
    return Round(year, phase, deadline(settings, phase, year))


def blank_workbook(folder: Path | None, inst: Institution, year: int) -> Path | None:
    """The institution's blank workbook in the folder ``opret`` wrote (found by its id)."""
    if folder is None or not folder.is_dir():
        return None
    for pattern in (f"Kontrakt {year} - {inst.id} *.xlsx", f"Kontrakt {year} - {inst.id} *.xlsm"):
        hits = sorted(folder.glob(pattern))
        if hits:
            return hits[0]
    return None


def collect(
    settings: Mapping[str, Any],
    rows: Mapping[str, Sequence[Row]],
    register: Register,
    today: date,
    blank_folder: Path | None = None,
    rnd: Round | None = None,
) -> list[Reminder]:
    """Who is reminded, and of what: Oversigt's status, re-judged against today's date
    (``rnd``: the round when the caller has it already, else :func:`round_of`)."""
    rnd = rnd or round_of(settings, today)
    year, phase, due = rnd.year, rnd.phase, rnd.due
    # the master keeps every year: this year's rows; in the results phase the column
    # Resultater holds the results' status (Status is the proposal's)
    status = {str(o.get("virksomhed_id")): o for o in rows.get("oversigt", [])
              if o.get("aar") in (None, year)}  # fmt: skip
    col = "resultatstatus" if phase == "resultater" else "status"
    fund = [f for f in rows.get("fund", []) if f.get("aar") in (None, year)
            and str(f.get("fase") or FORSLAG).lower() == phase]  # fmt: skip
    out: list[Reminder] = []
    for inst in register.institutions:
        if not under_contract(inst, year):
            continue
        o = status.get(inst.id)
        if phase == "resultater" and o is not None and o.get(col) in (None, ""):
            continue  # no contract this year (no proposal came in): no results expected
        st = str((o or {}).get(col) or (o or {}).get("status") or MISSING)
        if st == NOT_YET or (o or {}).get("status") == NOT_YET:
            continue
        if st in (MISSING, LATE):
            reason = LATE if today > due else MISSING
            attachment = blank_workbook(blank_folder, inst, year)
            # a file that came in but could not be used (other year, other register, ...)
            unusable = [f for f in fund if str(f.get("virksomhed_id")) == inst.id
                        and f.get("alvor") == "fejl"]  # fmt: skip
            out.append(Reminder(inst, reason, due, unusable, attachment, overdue=today > due))
        elif st == FEJL:
            used = "" if phase == "resultater" else str((o or {}).get("fil") or "")
            own = [f for f in fund if str(f.get("virksomhed_id")) == inst.id
                   and (not used or str(f.get("fil")) == used)]  # fmt: skip
            own.sort(
                key=lambda f: (f.get("alvor") != "fejl", str(f.get("ark")), str(f.get("celle")))
            )
            out.append(Reminder(inst, FEJL, due, findings=own, overdue=today > due))
    return out


def _finding_line(f: Row) -> str:
    where = ", ".join(x for x in (f"arket {f['ark']}" if f.get("ark") else "",
                                  f"celle {f['celle']}" if f.get("celle") else "") if x)  # fmt: skip
    word = "Fejl" if f.get("alvor") == "fejl" else "Advarsel"
    return f"- {word}{f' ({where})' if where else ''}: {f.get('besked') or ''}"


def body(r: Reminder, phase: str, year: int, kommune: str) -> str:
    inst, what = r.institution, _what(phase, year)
    lines = [f"Kære {inst.leder or inst.navn}", ""]
    frist = dansk_dato(r.deadline)
    if r.reason == MISSING:
        lines.append(f"Vi har endnu ikke modtaget arbejdsbogen med {what} fra {inst.navn}. "
                     f"Husk, at fristen er {frist}.")  # fmt: skip
    elif r.reason == LATE:
        lines.append(f"Fristen for {what} var {frist}, og vi har endnu ikke modtaget "
                     f"arbejdsbogen fra {inst.navn}. Send den venligst hurtigst muligt.")  # fmt: skip
    if r.reason in (MISSING, LATE) and r.findings:
        lines += ["", "Vi har modtaget en fil fra jer, men den kunne ikke bruges:", ""]
        lines += [_finding_line(f) for f in r.findings[:MAX_FINDINGS]]
    elif r.reason not in (MISSING, LATE):
        errors = sum(1 for f in r.findings if f.get("alvor") == "fejl")
        fil = next((str(f["fil"]) for f in r.findings if f.get("fil")), "")
        lines.append(f"Tak for jeres arbejdsbog{f' ({fil})' if fil else ''} med {what}. "
                     f"Den har {errors} fejl, som skal rettes, "
                     "før den kan behandles:")  # fmt: skip
        lines.append("")
        lines += [_finding_line(f) for f in r.findings[:MAX_FINDINGS]]
        if len(r.findings) > MAX_FINDINGS:
            lines.append(f"- … og {len(r.findings) - MAX_FINDINGS} fund mere (se arket Tjek).")
        lines += ["", "Arket Tjek i arbejdsbogen viser de samme fund og hvor de er. Ret dem, og "
                      "send arbejdsbogen igen " + ("hurtigst muligt." if r.overdue else f"senest {frist}.")]  # fmt: skip
    if r.attachment is not None:
        lines += ["", f"Jeres arbejdsbog er vedhæftet ({r.attachment.name}), hvis I skal bruge "
                      "den igen. Udfyld de gule celler, og se arket Tjek, før I sender den."]  # fmt: skip
    lines += ["", "Skriv endelig, hvis I har spørgsmål.", "", "Venlig hilsen", "Kontraktservice"]
    if kommune:
        lines.append(kommune)
    return "\n".join(lines) + "\n"


def subject(r: Reminder, phase: str, year: int) -> str:
    thing = "resultater" if phase == "resultater" else "forslag til kontraktmål"
    if r.reason == MISSING:
        return (
            f"Påmindelse: {thing} {year} fra {r.institution.navn} — frist {dansk_dato(r.deadline)}"
        )
    if r.reason == LATE:
        return f"Fristen er overskredet: {thing} {year} fra {r.institution.navn}"
    return f"Ret fejl i arbejdsbogen: {thing} {year} fra {r.institution.navn}"


def message(r: Reminder, phase: str, year: int, kommune: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["To"] = r.institution.email
    msg["Subject"] = subject(r, phase, year)
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft, ready to send
    msg.set_content(body(r, phase, year, kommune))
    if r.attachment is not None:
        maintype, subtype = XLSM_TYPE if r.attachment.suffix.lower() == ".xlsm" else XLSX_TYPE
        msg.add_attachment(r.attachment.read_bytes(), maintype=maintype, subtype=subtype,
                           filename=r.attachment.name)  # fmt: skip
    msg["Content-Language"] = "da-DK"  # after the content: set_content drops Content-* headers
    return msg


def write_reminders(
    settings: Mapping[str, Any],
    rows: Mapping[str, Sequence[Row]],
    register: Register,
    out_dir: Path,
    today: date,
    blank_folder: Path | None = None,
) -> list[Reminder]:
    """Write the drafts and the summary list into ``out_dir``; returns what was written."""
    from toolkit.files import write_atomic
    from toolkit.reading.inputs import _write_table

    rnd = round_of(settings, today)
    kommune = str(settings.get("kommune") or register.kommune or "")
    out_dir.mkdir(parents=True, exist_ok=True)
    reminders = collect(settings, rows, register, today, blank_folder, rnd)
    for r in reminders:
        r.path = out_dir / f"{_safe(r.institution.id + ' ' + r.institution.navn)}.eml"
        write_atomic(r.path, message(r, rnd.phase, rnd.year, kommune).as_bytes())
    headers = ["Id", "Virksomhed", "Fagudvalg", "E-mail", "Årsag", "Frist", "Fejl", "Advarsler",
               "Arbejdsbog vedhæftet", "Kladde"]  # fmt: skip
    table = [
        [r.institution.id, r.institution.navn, r.institution.udvalg, r.institution.email,
         REASONS.get(r.reason, r.reason), r.deadline.strftime("%d-%m-%Y"),
         sum(1 for f in r.findings if f.get("alvor") == "fejl"),
         sum(1 for f in r.findings if f.get("alvor") != "fejl"),
         "Ja" if r.attachment else "Nej", r.path.name if r.path else ""]
        for r in reminders
    ]  # fmt: skip
    _write_table(out_dir / SUMMARY_NAME, "Påmindelser", headers, table)
    return reminders


def make_reminders(
    master: Path, register_path: Path, out_dir: Path, *, blank_folder: Path | None = None,
    today: date | None = None,
) -> list[Reminder]:  # fmt: skip
    """``kontrakt paamind``: from the master file and the register."""
    from toolkit.master.model import read_master_rows
    from toolkit.reading.inputs import read_register

    settings, rows = read_master_rows(master)
    return write_reminders(settings, rows, read_register(register_path), out_dir,
                           today or date.today(), blank_folder)  # fmt: skip
