"""What every button shares: the calling book, the Danish message, the settings' paths — and Valider.

Each button is a thin adapter written against the ``xw.Book`` API only, so the same function
runs under desktop Excel (``xw.Book.caller()``, from the VBA modules in ``macros/``) and under
xlwings' remote engine (``xw.Book(json=...)``, from :mod:`toolkit.excel.server`). A mistake the
user can fix — any :class:`toolkit.errors.UserError` — becomes a Danish message
(:func:`user_errors`); nothing has been written then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import UserError
from toolkit.excel.book import BookSource, read_book, saved_file

if TYPE_CHECKING:
    import xlwings as xw

    from toolkit.spec.model import Finding

TITLE = "Kontraktstyring"
MAX_IN_MESSAGE = 10


class ExcelFejl(UserError):
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


def caller(book: xw.Book | None) -> xw.Book:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def alert(book: xw.Book, text: str, title: str = TITLE, *, critical: bool = False) -> None:
    book.app.alert(text, title=title, buttons="ok", mode="critical" if critical else "info")


@contextmanager
def user_errors(book: xw.Book, title: str) -> Iterator[None]:
    """Show a mistake the user can fix as a Danish message instead of a traceback."""
    try:
        yield
    except IkkeLavetEndnu:
        raise
    except UserError as exc:
        alert(book, str(exc), title, critical=True)


# --------------------------------------------------------------------------- settings


def base_folder(book: xw.Book) -> Path | None:
    path = saved_file(book)
    return path.parent if path else None


def setting_path(settings: dict[str, Any], key: str, label: str, book: xw.Book, *,
                 must_exist: bool = True, folder: bool = False) -> Path:  # fmt: skip
    """The path on Indstillinger (relative: beside the saved book), checked to exist."""
    from toolkit.excel.confine import confine, current_root

    raw = str(settings.get(key) or "").strip()
    if not raw:
        raise ExcelFejl(f"Skriv {label} på arket Indstillinger (kolonne B), og prøv igen.")
    path = Path(raw) if current_root() else Path(raw).expanduser()
    if not path.is_absolute():
        base = base_folder(book)
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


def year_of(settings: dict[str, Any]) -> int:
    """Kontraktår on Indstillinger."""
    v = settings.get("aar")
    try:
        return int(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ExcelFejl(
            "Skriv kontraktåret (fx 2027) ud for Kontraktår på arket Indstillinger."
        ) from None


def inboxes_of(settings: dict[str, Any], book: xw.Book) -> list[Path]:
    """The inbox folders on Indstillinger (several: separated by ;)."""
    from toolkit.excel.confine import confine_tree

    raw = str(settings.get("indbakke") or "")
    parts = [p.strip() for p in raw.split(";") if p.strip()] or [""]
    found = [
        setting_path({"indbakke": p}, "indbakke", "Indbakke", book, folder=True) for p in parts
    ]
    return [confine_tree(p, "Indbakke") for p in found]


def document_folder(
    book: xw.Book,
    settings: dict[str, Any],
    sub: str,
    *,
    beside: str = "Dokumenter",
    unsaved: str = "Skriv en Dokumentmappe på arket Indstillinger (kolonne B), og prøv igen.",
) -> Path:
    """``sub`` in the Dokumentmappe setting, else in ``beside`` next to the saved master."""
    if str(settings.get("udmappe") or "").strip():
        base = setting_path(settings, "udmappe", "Dokumentmappe", book, must_exist=False)
    else:
        folder = base_folder(book)
        if folder is None:
            raise ExcelFejl(unsaved)
        base = folder / beside if beside else folder
    return base / sub


# --------------------------------------------------------------------------- Valider


def valider(book: xw.Book | None = None) -> list[Finding] | None:
    """Check the institution workbook open in Excel; list and mark what is wrong."""
    from toolkit.excel.findings import findings_area, verdict, write_findings
    from toolkit.rules.validate import validate
    from toolkit.spec.workbook import default_spec

    book = caller(book)
    with user_errors(book, "Valider"):
        spec = default_spec()
        source = BookSource(book)
        model = read_book(book, spec)  # raises WorkbookError (Danish) for a foreign file
        findings = validate(model, spec)
        errors = sum(1 for f in findings if f.severity == "fejl")
        warnings = len(findings) - errors
        area = findings_area(source)
        if area is None:  # an .xlsx without the findings area: tell, write nothing
            alert(book, _plain_report(findings, errors, warnings), "Valider", critical=bool(errors))
            return findings
        write_findings(book, area, findings, model, spec, datetime.now())
        if findings:
            book.sheets[area.sheet].activate()
        alert(book, verdict(errors, warnings), "Valider", critical=bool(errors))
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
