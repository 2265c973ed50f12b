"""The buttons in Excel: what VBA's RunPython and the xlwings Server add-in call.

Public API (every function takes the workbook, or finds the calling one)::

    valider(book=None) -> list[Finding] | None          # institution workbook, button Valider
    konsolider(book=None, *, now=None) -> dict | None    # master, button Konsolider
    lav_kontrakter(book=None) -> list[Path] | None       # master, button Lav kontrakter
    lav_udvalgsnotater(book=None) -> list[Path] | None   # master, button Lav udvalgsnotater
    nyt_kontraktaar(book=None) -> list[Path] | None      # master, button Nyt kontraktår
    paamind(book=None) -> list[Path] | None              # master, button Påmindelser
    read_book(book) -> Kontraktbog      BookSource(book)      read_master_book(book)
    set_root(root)                      # the server: every path inside this folder

Each is a thin adapter written against the ``xw.Book`` API only, so the same function runs
under desktop Excel (``xw.Book.caller()``, from the VBA modules in ``macros/``) and under
xlwings' remote engine (``xw.Book(json=...)``, from :mod:`toolkit.excel.server`). They read the
values that are in Excel now (the file may be unsaved), run the same core code as the
command line, write back values only, and end with a short Danish message
(``book.app.alert``). A mistake the user can fix (a missing setting, a folder that does
not exist) becomes that message; nothing has been written then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.excel.book import BookSource, read_book, saved_file
from toolkit.excel.masterbook import (
    BY_TABLE,
    MasterBook,
    master_from_book,
    matrix_cols,
    paamind,
    read_master_book,
    write_overview,
    write_setting,
    write_table,
)

if TYPE_CHECKING:
    import xlwings as xw

    from toolkit.spec.model import Finding

__all__ = [
    "BookSource",
    "ExcelFejl",
    "IkkeLavetEndnu",
    "konsolider",
    "lav_kontrakter",
    "lav_udvalgsnotater",
    "master_from_book",
    "nyt_kontraktaar",
    "paamind",
    "read_book",
    "read_master_book",
    "set_root",
    "valider",
]

TITLE = "Kontraktstyring"
MAX_IN_MESSAGE = 10


class ExcelFejl(Exception):
    """Something the user can put right; the message is Danish and shown as it is."""


class IkkeLavetEndnu(ExcelFejl):
    """A button whose work is not written yet."""


def set_root(root: Path | None) -> Path | None:
    """Confine the settings' paths and the book's name to ``root`` (None: anywhere).

    The server sets this: there the paths come from whoever sends the request
    (:mod:`toolkit.excel.confine`).
    """
    from toolkit.excel.confine import set_root as _set

    return _set(root)


def _caller(book: xw.Book | None) -> xw.Book:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _alert(book: xw.Book, text: str, title: str = TITLE, *, critical: bool = False) -> None:
    book.app.alert(text, title=title, buttons="ok", mode="critical" if critical else "info")


def _known_errors() -> tuple[type[BaseException], ...]:
    from toolkit.excel.confine import UdenforMappen
    from toolkit.master.consolidate import MasterUnreadable
    from toolkit.reading.inputs import InputError
    from toolkit.reading.workbook import WorkbookError

    known: list[type[BaseException]] = [ExcelFejl, InputError, MasterUnreadable, WorkbookError,
                                        UdenforMappen]  # fmt: skip
    try:
        from toolkit.documents import PdfFejl, SkabelonFejl
        from toolkit.documents.shared import IngenResultater

        known += [PdfFejl, SkabelonFejl, IngenResultater]
    except ImportError:
        pass
    return tuple(known)


@contextmanager
def _user_errors(book: xw.Book, title: str) -> Iterator[None]:
    """Show a mistake the user can fix as a Danish message instead of a traceback."""
    try:
        yield
    except IkkeLavetEndnu:
        raise
    except _known_errors() as exc:
        _alert(book, str(exc), title, critical=True)


# --------------------------------------------------------------------------- Valider


def valider(book: xw.Book | None = None) -> list[Finding] | None:
    """Check the institution workbook open in Excel; list and mark what is wrong."""
    from toolkit.excel.findings import findings_area, verdict, write_findings
    from toolkit.rules.validate import validate
    from toolkit.spec.workbook import default_spec

    book = _caller(book)
    with _user_errors(book, "Valider"):
        spec = default_spec()
        source = BookSource(book)
        model = read_book(book, spec)  # raises WorkbookError (Danish) for a foreign file
        findings = validate(model, spec)
        errors = sum(1 for f in findings if f.severity == "fejl")
        warnings = len(findings) - errors
        area = findings_area(source)
        if area is None:  # an .xlsx without the findings area: tell, write nothing
            _alert(
                book, _plain_report(findings, errors, warnings), "Valider", critical=bool(errors)
            )
            return findings
        write_findings(book, area, findings, model, spec, datetime.now())
        if findings:
            book.sheets[area.sheet].activate()
        _alert(book, verdict(errors, warnings), "Valider", critical=bool(errors))
        return findings
    return None


def _plain_report(findings: Sequence[Finding], errors: int, warnings: int) -> str:
    from toolkit.excel.findings import counted

    if not findings:
        return "KLAR til indsendelse: Python fandt ingen fejl eller advarsler."
    lines = [f"{'IKKE KLAR' if errors else 'KLAR'}: {counted(errors, warnings)}."]
    for f in sorted(findings, key=lambda f: f.severity != "fejl")[:MAX_IN_MESSAGE]:
        where = f"{f.sheet}!{f.cell}: " if f.sheet and f.cell else ""
        lines.append(f"• {where}{f.message}")
    if len(findings) > MAX_IN_MESSAGE:
        lines.append(f"… og {len(findings) - MAX_IN_MESSAGE} mere. Se arket Tjek.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- settings


def _base_folder(book: xw.Book) -> Path | None:
    path = saved_file(book)
    return path.parent if path else None


def _setting_path(settings: dict[str, Any], key: str, label: str, book: xw.Book, *,
                  must_exist: bool = True, folder: bool = False) -> Path:  # fmt: skip
    from toolkit.excel.confine import confine, current_root

    raw = str(settings.get(key) or "").strip()
    if not raw:
        raise ExcelFejl(f"Skriv {label} på arket Indstillinger (kolonne B), og prøv igen.")
    path = Path(raw) if current_root() else Path(raw).expanduser()
    if not path.is_absolute():
        base = _base_folder(book)
        if base is None:
            raise ExcelFejl(
                f"{label} ({raw}) skal være en fuld sti, fx C:\\Kontrakter\\{Path(raw).name}."
            )
        path = base / path
    path = confine(path, label) if current_root() else path
    if must_exist and not (path.is_dir() if folder else path.is_file()):
        what = "Mappen" if folder else "Filen"
        raise ExcelFejl(f"{what} {path} ({label}) findes ikke. Ret den på arket Indstillinger.")
    return path


def _year(settings: dict[str, Any]) -> int:
    v = settings.get("aar")
    try:
        return int(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ExcelFejl(
            "Skriv kontraktåret (fx 2027) ud for Kontraktår på arket Indstillinger."
        ) from None


def _inboxes(settings: dict[str, Any], book: xw.Book) -> list[Path]:
    from toolkit.excel.confine import confine_tree

    raw = str(settings.get("indbakke") or "")
    parts = [p.strip() for p in raw.split(";") if p.strip()] or [""]
    found = [
        _setting_path({"indbakke": p}, "indbakke", "Indbakke", book, folder=True) for p in parts
    ]
    return [confine_tree(p, "Indbakke") for p in found]


# --------------------------------------------------------------------------- Konsolider


def konsolider(
    book: xw.Book | None = None, *, now: datetime | None = None
) -> dict[str, Any] | None:
    """Konsolider into the master open in Excel, in place (the open file cannot be replaced).

    Reads the settings and the current tables — Kontraktservice's own columns included,
    saved or not — from the open book, runs the core :func:`toolkit.master.consolidate.run` on a
    temporary copy of exactly those rows (so the merge of the manual columns is the core's
    own), and writes the new tables' values into the open book. The file on disk is copied
    to ``Sikkerhedskopier/`` first and the run is logged beside it (desktop Excel, where
    the file is known); the user saves the book.
    """
    book = _caller(book)
    with _user_errors(book, "Konsolider"):
        saved_file(book)  # the server: a book name outside its folder is refused before any work
        now = now or datetime.now().replace(microsecond=0)
        mb = read_master_book(book)
        missing = [
            BY_TABLE[k].sheet for k in ("oversigt", "maal", "resultater") if k not in mb.places
        ]
        if missing:
            raise ExcelFejl(f"Det ser ikke ud til at være en masterarbejdsbog: arket {missing[0]} mangler. "
                            "Åbn masteren, og klik Konsolider der.")  # fmt: skip
        year = _year(mb.settings)
        inboxes = _inboxes(mb.settings, book)
        register_path = _setting_path(mb.settings, "register", "Virksomhedsregister", book)
        run = consolidate_rows(inboxes, register_path, year, mb, now)
        _write_master(book, mb, run)
        summary = _log(book, run, now)
        _alert(book, _summary_text(summary), "Konsolider")
        return summary
    return None


@dataclass
class Consolidated:
    """What one Konsolider computed for the open master."""

    result: Any  # toolkit.master.consolidate.RunResult
    settings: dict[str, Any]
    areas: Sequence[str]
    matrix: list[dict[str, Any]]
    stats: dict[str, Any]


def consolidate_rows(
    inboxes: Sequence[Path], register_path: Path, year: int, mb: MasterBook, now: datetime
) -> Consolidated:
    """The master's new tables from the inbox and the open master's rows (``mb``).

    The core does the work: the open book's rows go into a temporary master file, and
    :func:`toolkit.master.consolidate.run` consolidates into that — the same reading, merging of
    Kontraktservice's columns and log entry as on the command line.
    """
    import tempfile

    from toolkit.master.consolidate import focus_matrix, run
    from toolkit.master.tables import TABLES
    from toolkit.master.write import master_bytes
    from toolkit.reading.inputs import read_register
    from toolkit.rules.cycle import deadline_settings, overview_kpis

    with tempfile.TemporaryDirectory(prefix="konsolider-") as tmp:
        master = Path(tmp) / "Master.xlsx"
        rows = {t.key: mb.rows.get(t.key, []) for t in TABLES}
        master.write_bytes(master_bytes(mb.settings, rows, ([], []), {"info": "", "kpis": []}))
        result = run(list(inboxes), master, register_path, year, now=now)
    tables = result.tables
    register = read_register(register_path)
    areas, matrix_rows = focus_matrix(
        {**tables, "maal": [r for r in tables["maal"] if r.get("aar") == year]}, register
    )
    entry = tables["koersler"][-1]
    inbox_text = str(inboxes[0]) if len(inboxes) == 1 else "; ".join(map(str, inboxes))
    goals = sum(1 for r in tables["maal"] if r.get("aar") == year)
    stats = {
        "info": f"Sidst konsolideret {now:%d-%m-%Y %H:%M} af {entry['bruger']} fra {inbox_text}",
        "kpis": overview_kpis(result.current("oversigt"), goals, len(tables["fund"])),
    }
    settings = {**mb.settings, "kommune": register.kommune, "aar": year}
    settings.update(deadline_settings(mb.settings if mb.settings.get("aar") == year else {}, year))
    return Consolidated(result, settings, areas, matrix_rows, stats)


def _write_master(book: xw.Book, mb: MasterBook, run: Consolidated) -> None:
    tables = run.result.tables
    for key, place in mb.places.items():
        if key == "matrix":
            write_table(book, place, matrix_cols(run.areas), run.matrix, header=True)
        elif key in tables:
            write_table(book, place, BY_TABLE[key].cols, tables[key])
    for key in ("kommune", "aar"):
        write_setting(book, mb, key, run.settings.get(key))
    write_overview(book, run.settings, run.stats, tables)


def _log(book: xw.Book, run: Consolidated, now: datetime) -> dict[str, Any]:
    import json

    from toolkit.master.save import append_log, backup, kept_backups_note, prune_backups

    summary = {k: v for k, v in run.result.summary().items() if k not in ("master", "sekunder")}
    summary["backup"] = None
    path = saved_file(book)
    if path is not None:
        try:  # the last saved version; Excel lets others read the file it has open
            copy = backup(path, prune=False)
            summary["backup"] = str(copy) if copy else None
            kept = prune_backups(path)
        except OSError:
            kept = []
        entry = run.result.tables["koersler"][-1]
        append_log(path, {**entry, "master": str(path), "tidspunkt": now.isoformat(), "i_excel": True,
                          "filer_sha256": json.loads(str(entry["detaljer"])), **kept_backups_note(kept)})  # fmt: skip
    return summary


def _summary_text(s: dict[str, Any]) -> str:
    text = (f"Masterarbejdsbogen er opdateret: {s['filer']} filer læst, {s['brugt']} brugt, "
            f"{s['afvist']} afvist. {s['mangler']} virksomheder mangler, {s['med_fejl']} har fejl; "
            f"{s['maal']} kontraktmål, {s['fund']} fund.\n"
            "Jeres egne kolonner er bevaret. Husk at gemme arbejdsbogen.")  # fmt: skip
    if s.get("backup"):
        text += f"\nDen gemte udgave er kopieret til {s['backup']}."
    return text


# --------------------------------------------------------------------------- documents


def _documents() -> Any:
    try:
        import toolkit.documents as documents
    except ImportError as exc:
        raise ExcelFejl(
            "Kontrakter og udvalgsnotater kan ikke laves på denne computer: dokumentdelen "
            f"af værktøjet mangler ({exc.name or exc}). Installér kontraktstyring igen."
        ) from exc
    return documents


def _document_folder(
    book: xw.Book,
    settings: dict[str, Any],
    sub: str,
    *,
    beside: str = "Dokumenter",
    unsaved: str = "Skriv en Dokumentmappe på arket Indstillinger (kolonne B), og prøv igen.",
) -> Path:
    """``sub`` in the Dokumentmappe setting, else in ``beside`` next to the saved master."""
    if str(settings.get("udmappe") or "").strip():
        base = _setting_path(settings, "udmappe", "Dokumentmappe", book, must_exist=False)
    else:
        folder = _base_folder(book)
        if folder is None:
            raise ExcelFejl(unsaved)
        base = folder / beside if beside else folder
    return base / sub


def lav_kontrakter(book: xw.Book | None = None) -> list[Path] | None:
    """One Word contract per institution, from the open master (decisions typed count)."""
    book = _caller(book)
    with _user_errors(book, "Lav kontrakter"):
        documents = _documents()
        master = master_from_book(book)
        aar = _year(master.settings)
        out = _document_folder(book, master.settings, f"Kontrakter {aar}")
        paths: list[Path] = documents.make_contracts(master, out)
        if not paths:
            raise ExcelFejl(
                f"Ingen virksomheder har kontraktmål for {aar} endnu: der er ingen kontrakter at lave."
            )
        _alert(book, f"{len(paths)} kontrakter er lavet i {out}.", "Lav kontrakter")
        return paths
    return None


def lav_udvalgsnotater(book: xw.Book | None = None) -> list[Path] | None:
    """One memo per committee: proposals (fase Forslag) or goal attainment (Resultater)."""
    book = _caller(book)
    with _user_errors(book, "Lav udvalgsnotater"):
        documents = _documents()
        master = master_from_book(book)
        aar = _year(master.settings)
        fase = (
            "maalopfyldelse"
            if str(master.settings.get("fase") or "").strip().lower() == "resultater"
            else "forslag"
        )
        out = _document_folder(book, master.settings, f"Udvalgsnotater {aar}")
        paths: list[Path] = documents.make_memos(master, out, phase=fase)
        what = "målopfyldelse" if fase == "maalopfyldelse" else "forslag"
        _alert(
            book, f"{len(paths)} udvalgsnotater ({what}) er lavet i {out}.", "Lav udvalgsnotater"
        )
        return paths
    return None


def nyt_kontraktaar(book: xw.Book | None = None) -> list[Path] | None:
    """Next year's workbooks from the open master: last year's goals and results carried over.

    Reads Virksomhedsregister and Indsatsområder from Indstillinger, writes the workbooks to
    "Udsendt <år>" beside the master (or in the Dokumentmappe), and moves the master's
    Kontraktår one year on, phase Forslag.
    """
    book = _caller(book)
    with _user_errors(book, "Nyt kontraktår"):
        from toolkit.master.carryover import next_year_inputs
        from toolkit.reading.inputs import read_focus_areas, read_register
        from toolkit.workbook.batch import BuildJob, build_many

        mb = read_master_book(book)
        if "maal" not in mb.places or "resultater" not in mb.places:
            raise ExcelFejl("Det ser ikke ud til at være en masterarbejdsbog: arkene Kontraktmål og "
                            "Resultater mangler. Åbn masterarbejdsbogen, og prøv igen.")  # fmt: skip
        master = master_from_book(book)
        settings = master.settings
        new_year = _year(settings) + 1
        register = read_register(_setting_path(settings, "register", "Virksomhedsregister", book))
        areas = read_focus_areas(_setting_path(settings, "indsatsomraader", "Indsatsområder", book))
        rows = {key: df.to_dict("records") for key, df in master.tables.items()}
        out = _document_folder(
            book, settings, f"Udsendt {new_year}", beside="",
            unsaved="Gem masterarbejdsbogen først, eller skriv en Dokumentmappe på arket Indstillinger.",
        )  # fmt: skip
        paths = build_many(
            [BuildJob(out, inp) for inp in next_year_inputs(rows, register, areas, new_year)]
        )
        write_setting(book, mb, "aar", new_year)
        write_setting(book, mb, "fase", "Forslag")
        _alert(book, f"{len(paths)} arbejdsbøger til kontraktår {new_year} er lavet i {out}. "
                     f"Kontraktår på arket Indstillinger er nu {new_year}. Husk at gemme.", "Nyt kontraktår")  # fmt: skip
        return paths
    return None
