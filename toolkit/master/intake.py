"""Gather an inbox: read and validate every institution's workbook, pick one per institution.

:func:`gather` reads in parallel and never writes to an institution's file; one bad file
becomes a rejected :class:`Submission` with a Danish finding, never a stopped run.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit.master.rows import FORSLAG, RESULTATER_FASE
from toolkit.reading.inputs import Register, normalise_id
from toolkit.reading.workbook import WorkbookError, os_reason, read_workbook_saved
from toolkit.rules.validate import validate
from toolkit.spec.model import Finding, Kontraktbog
from toolkit.workbook.batch import expand_paths, parallel_map, unexpected_finding


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
