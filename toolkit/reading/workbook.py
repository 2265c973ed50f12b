"""Read a filled institution workbook into the typed model (:mod:`toolkit.spec.model`).

Cells are found by the defined names and table names the spec gives — never by address —
so files re-saved by Excel or LibreOffice read the same. Whatever is wrong with a file or
a cell becomes a :class:`~toolkit.spec.model.Finding` in Danish naming file, sheet and cell;
only a file that cannot be a contract workbook at all raises :class:`WorkbookError`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from toolkit.errors import UserError

try:
    from lxml import etree

    _LXML_ERRORS: tuple[type[Exception], ...] = (etree.LxmlError,)
except ImportError:  # xlwings Lite (Pyodide): the bundled Valider reads via xw.Book, never XML
    _LXML_ERRORS = ()

from toolkit.reading.cell_values import Loc, convert
from toolkit.reading.xlsx import CellSource, RawCell, XlsxError, XlsxPackage
from toolkit.spec import catalog as C
from toolkit.spec.layout import cell_ref, defined_name, list_name, range_name
from toolkit.spec.model import RECORD_CLASSES, ROW_CLASSES, Finding, Kontraktbog, Meta, Virksomhed
from toolkit.spec.workbook import Sheet, Spec, default_spec

MAX_TABLE_ROWS = 2000  # a table taller than this is not a filled-in contract workbook
# Formats people save in by mistake: named in a finding ("gem som .xlsx").
FOREIGN_FORMATS = {
    ".xls": "det gamle Excel-format (.xls)",
    ".ods": "OpenDocument-format (.ods)",
    ".csv": "CSV-format (.csv)",
    ".numbers": "Numbers-format (.numbers)",
}


class WorkbookError(UserError):
    """The file cannot be read as a contract workbook; ``finding`` says why, in Danish."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _file_finding(path: Path, rule: str, message: str, sheet: str = "", cell: str = "") -> Finding:
    return Finding(str(path), sheet, cell, C.severity(rule), rule, message)


def _check_file(path: Path, data: bytes | None = None) -> None:
    if data is not None:
        head = data[:8]
    else:
        if not path.exists():
            raise WorkbookError(_file_finding(path, "fil_laest", "Filen findes ikke."))
        if path.is_dir():
            raise WorkbookError(_file_finding(path, "fil_type", "Det er en mappe, ikke en fil."))
        with path.open("rb") as fh:
            head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if _is_encrypted(path):
            raise WorkbookError(_file_finding(path, "fil_adgangskode",
                "Filen er beskyttet med en adgangskode og kan ikke læses. Gem den uden adgangskode "
                "(Filer > Info > Beskyt projektmappe) og send den igen."))  # fmt: skip
        raise WorkbookError(_file_finding(path, "fil_type",
            "Filen er i det gamle Excel-format (.xls). Åbn den i Excel, og gem den som Excel-projektmappe (.xlsx)."))  # fmt: skip
    foreign = FOREIGN_FORMATS.get(path.suffix.lower())
    if foreign and not _is_xlsx_package(path, data):
        raise WorkbookError(_file_finding(path, "fil_type",
            f"Filen er gemt i {foreign}. Åbn den, og gem den som Excel-projektmappe (.xlsx) — "
            "brug Filer > Gem som — og send den igen."))  # fmt: skip
    if not head.startswith(b"PK"):
        kind = "en PDF" if head.startswith(b"%PDF") else "ikke en Excel-fil"
        raise WorkbookError(
            _file_finding(
                path,
                "fil_type",
                f"Filen er {kind}. Send arbejdsbogen som Excel-projektmappe (.xlsx).",
            )
        )
    # The content decides what a file is, not its name.


def _is_xlsx_package(path: Path, data: bytes | None) -> bool:
    """Is this a zip package with a workbook part, whatever its name says?"""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
        return False


def _is_encrypted(path: Path) -> bool:
    try:
        import msoffcrypto

        with path.open("rb") as fh:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
    except Exception:  # not even a readable compound file: say what it looks like
        return False


class _Reader:
    def __init__(self, path: Path, spec: Spec, pkg: CellSource) -> None:
        self.path, self.spec, self.pkg = path, spec, pkg
        self.file = str(path)
        self.findings: list[Finding] = []
        self.cells: dict[tuple[str, str, int | None], tuple[str, str]] = {}
        self.present: set[tuple[str, str, int | None]] = set()
        self._sheet_cache: dict[str, dict[tuple[int, int], RawCell]] = {}
        self.version: str | None = None  # the workbook's template version, once known

    def sheet_cells(self, sheet: str) -> dict[tuple[int, int], RawCell]:
        if sheet not in self._sheet_cache:
            self._sheet_cache[sheet] = self.pkg.cells(sheet, self._areas.get(sheet))
        return self._sheet_cache[sheet]

    @cached_property
    def _areas(self) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
        """Per sheet, the bounding box of every name the reader may look at (labels and help
        texts beside the input cells are never decoded)."""
        names = self.pkg.defined_names
        wanted = [range_name(s) for s in self.spec.sheets if s.kind == "tabel"]
        wanted += [
            defined_name(s, f)
            for s in self.spec.sheets
            if s.kind in ("felter", "meta")
            for f in s.fields
        ]
        wanted += [list_name(k) for k in self.spec.lists]
        boxes: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
        for n in wanted:
            dn = names.get(n)
            if dn is None:
                continue
            (r0, c0), (r1, c1) = dn.first, dn.last
            if dn.sheet in boxes:
                (a0, b0), (a1, b1) = boxes[dn.sheet]
                r0, c0, r1, c1 = min(r0, a0), min(c0, b0), max(r1, a1), max(c1, b1)
            boxes[dn.sheet] = ((r0, c0), (r1, c1))
        return boxes

    def structure(self, message: str, sheet: str = "", cell: str = "") -> None:
        self.findings.append(_file_finding(self.path, "fil_struktur", message, sheet, cell))

    def record(self, sheet: Sheet) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in sheet.fields:
            name = defined_name(sheet, f)
            dn = self.pkg.defined_names.get(name)
            if dn is None or dn.sheet not in self.pkg.sheets:
                if f.since and _older(self.version, f.since):
                    continue  # a field added after this workbook's template: read as blank
                self.structure(f"Feltet '{f.label}' (navnet {name}) mangler i arbejdsbogen. Brug en ny arbejdsbog fra Kontraktservice.", sheet.name)  # fmt: skip
                continue
            ref = cell_ref(*dn.first)
            raw = self.sheet_cells(dn.sheet).get(dn.first)
            loc = Loc(self.file, dn.sheet, ref, f.label, None)
            conv = convert(raw, f, self.spec, loc)
            self.findings.extend(conv.findings)
            values[f.key] = conv.value
            self.cells[(sheet.key, f.key, None)] = (dn.sheet, ref)
            if conv.present:
                self.present.add((sheet.key, f.key, None))
        return values

    def table(self, sheet: Sheet) -> list[dict[str, Any]]:
        area = self._table_area(sheet)
        if area is None:
            return []
        sheet_name, (r0, c0), (r1, _c1), headers = area
        cells = self.sheet_cells(sheet_name)
        col_of: dict[str, int] = {}
        for f in sheet.fields:
            try:
                col_of[f.key] = c0 + headers.index(f.label)
            except ValueError:
                if f.since and _older(self.version, f.since):
                    continue  # a column added after this workbook's template: read as blank
                self.structure(
                    f"Kolonnen '{f.label}' mangler i tabellen på arket {sheet_name}.",
                    sheet_name,
                    cell_ref(r0, c0),
                )
        rows: list[dict[str, Any]] = []
        if r1 - r0 > MAX_TABLE_ROWS:
            self.structure(
                f"Tabellen på arket {sheet_name} går til række {r1 + 1}; kun de første "
                f"{MAX_TABLE_ROWS} rækker er læst. Brug en ny arbejdsbog fra Kontraktservice.",
                sheet_name,
                cell_ref(r0, c0),
            )
            r1 = r0 + MAX_TABLE_ROWS
        for i, r in enumerate(range(r0 + 1, r1 + 1)):
            where = C.where_row(sheet.key, i, i + 1)
            row: dict[str, Any] = {"raekke": i}
            used = False
            pending: list[Finding] = []
            for f in sheet.fields:
                if f.key not in col_of:
                    continue
                c = col_of[f.key]
                ref = cell_ref(r, c)
                self.cells[(sheet.key, f.key, i)] = (sheet_name, ref)
                raw = cells.get((r, c))
                if raw is None:  # the common case: an empty cell
                    row[f.key] = None
                    continue
                conv = convert(raw, f, self.spec, Loc(self.file, sheet_name, ref, f.label, where))
                row[f.key] = conv.value
                if f.is_input and conv.present:
                    used = True
                    self.present.add((sheet.key, f.key, i))
                if f.is_input:
                    pending.extend(conv.findings)
            self.findings.extend(pending)
            if used:
                if sheet.numbered and not isinstance(row.get("nr"), int):
                    row["nr"] = i + 1
                rows.append(row)
        return rows

    def _table_area(
        self, sheet: Sheet
    ) -> tuple[str, tuple[int, int], tuple[int, int], list[str]] | None:
        """The table's header+data area: by its ``omr_`` name (cheap), else by the table part.

        Both are written by the builder and both survive Excel and LibreOffice; the name is
        tried first because finding a table means reading the sheet's relationships.
        """
        assert sheet.table is not None
        area: tuple[str, tuple[int, int], tuple[int, int]] | None = None
        dn = self.pkg.defined_names.get(range_name(sheet))
        if dn is not None and dn.sheet in self.pkg.sheets:
            area = (dn.sheet, dn.first, dn.last)
        else:
            t = self.pkg.table(sheet.table, sheet.name)
            if t is not None and t.sheet in self.pkg.sheets:
                area = (t.sheet, t.first, t.last)
        if area is None:
            self.structure(f"Tabellen på arket '{sheet.name}' mangler. Brug en ny arbejdsbog fra Kontraktservice.", sheet.name)  # fmt: skip
            return None
        name, first, last = area
        cells = self.sheet_cells(name)
        headers = [self._header(cells.get((first[0], c))) for c in range(first[1], last[1] + 1)]
        return name, first, last, headers

    @staticmethod
    def _header(raw: RawCell | None) -> str:
        return str(raw.value).strip() if raw is not None and raw.value is not None else ""

    def lists(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for key in self.spec.lists:
            dn = self.pkg.defined_names.get(list_name(key))
            if dn is None or dn.sheet not in self.pkg.sheets:
                continue
            cells = self.sheet_cells(dn.sheet)
            vals = []
            for r in range(dn.first[0], min(dn.last[0], dn.first[0] + MAX_TABLE_ROWS) + 1):
                raw = cells.get((r, dn.first[1]))
                if raw is not None and raw.value not in (None, ""):
                    vals.append(str(raw.value).strip())
            out[key] = tuple(vals)
        return out


def _older(version: str | None, than: str) -> bool:
    """Whether template ``version`` ("1.0") is older than ``than`` ("1.1")."""

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split(".") if x.isdigit())

    return version is not None and parts(version) < parts(than)


def read_meta(pkg: CellSource, path: Path, spec: Spec, reader: _Reader | None = None) -> Meta:
    """Read and check the meta sheet: is this our workbook, and a version we can read?"""
    r = reader or _Reader(path, spec, pkg)
    meta_sheet = spec.sheet("meta")
    names = pkg.defined_names
    if defined_name(meta_sheet, meta_sheet.field("version")) not in names:
        raise WorkbookError(_file_finding(path, "fil_fremmed",
            "Filen er ikke en kontraktarbejdsbog fra Kontraktservice (den har ingen skabelonoplysninger). "
            "Brug den arbejdsbog, I har fået tilsendt."))  # fmt: skip
    meta = Meta(**r.record(meta_sheet))
    if meta.skabelon is not None and meta.skabelon != spec.name:
        raise WorkbookError(
            _file_finding(
                path, "fil_fremmed", f"Filen er en '{meta.skabelon}', ikke en {spec.name}."
            )
        )
    if meta.version not in spec.readable_versions:
        raise WorkbookError(_file_finding(path, "fil_version",
            f"Arbejdsbogen er lavet med skabelonversion {meta.version or 'ukendt'}, men værktøjet læser version "
            f"{', '.join(spec.readable_versions)}. Bed Kontraktservice om en ny arbejdsbog."))  # fmt: skip
    return meta


def read_source(pkg: CellSource, path: Path, spec: Spec) -> Kontraktbog:
    """Assemble the model from any cell source (a file, or values about to be stamped)."""
    r = _Reader(path, spec, pkg)
    meta = read_meta(pkg, path, spec, r)
    r.version = meta.version
    records: dict[str, Any] = {}
    tables: dict[str, list[Any]] = {}
    for sheet in spec.sheets:
        if sheet.kind == "felter":
            records[sheet.key] = RECORD_CLASSES[sheet.key](**r.record(sheet))
        elif sheet.kind == "tabel":
            cls = ROW_CLASSES[sheet.key]
            tables[sheet.key] = [cls(**row) for row in r.table(sheet)]
    return Kontraktbog(
        path=path,
        meta=meta,
        virksomhed=records.get("virksomhed", Virksomhed()),
        gruppe=tables.get("gruppe", []),
        dialog=tables.get("dialog", []),
        maal=tables.get("maal", []),
        resultater=tables.get("resultater", []),
        cells=r.cells,
        findings=r.findings,
        present=r.present,
        lists=r.lists(),
    )


def os_reason(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return " (adgang nægtet)"
    if isinstance(exc, FileNotFoundError):
        return " (filen findes ikke længere)"
    return " (fejl i filsystemet)" if isinstance(exc, OSError) else " (filen er beskadiget)"


#: What a damaged or hostile file can make the parsers raise.
_DAMAGE: tuple[type[BaseException], ...] = (
    ValueError, KeyError, IndexError, TypeError, OverflowError, RecursionError,
    RuntimeError, zlib.error, *_LXML_ERRORS,
)  # fmt: skip


_SAVED_TIME_ERRORS: tuple[type[BaseException], ...] = (XlsxError, *_DAMAGE)


def _saved_time(pkg: XlsxPackage) -> datetime | None:
    try:
        return pkg.core_modified()
    except _SAVED_TIME_ERRORS:
        return None


def read_workbook(
    path: str | Path, spec: Spec | None = None, *, data: bytes | None = None
) -> Kontraktbog:
    """Read one institution workbook. Raises :class:`WorkbookError` if it is not one at all.

    ``data`` is the file's content when the caller has read it already (Konsolider hashes
    every file, and reads it once).
    """
    return read_workbook_saved(path, spec, data=data)[0]


def read_workbook_saved(
    path: str | Path, spec: Spec | None = None, *, data: bytes | None = None
) -> tuple[Kontraktbog, datetime | None]:
    """:func:`read_workbook`, and when the workbook says it was last saved (docProps/core.xml
    dcterms:modified, naive UTC; None when it does not say) — from the same open package."""
    path = Path(path)
    spec = spec or default_spec()
    _check_file(path, data)
    try:
        with XlsxPackage(io.BytesIO(data) if data is not None else str(path)) as pkg:
            return read_source(pkg, path, spec), _saved_time(pkg)
    except XlsxError as exc:
        raise WorkbookError(_file_finding(path, "fil_laest", f"Filen er beskadiget og kan ikke læses ({exc}). Gem den igen i Excel, og send den på ny.", exc.sheet, exc.cell)) from exc  # fmt: skip
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise WorkbookError(
            _file_finding(path, "fil_laest", "Filen kan ikke læses" + os_reason(exc) + ".")
        ) from exc
    except _DAMAGE as exc:
        # Whatever else a damaged or hostile file does to the parsers: it is this file's
        # finding, not the end of the run.
        raise WorkbookError(_file_finding(path, "fil_laest", f"Filen er beskadiget og kan ikke læses ({type(exc).__name__}). Gem den igen i Excel, og send den på ny.")) from exc  # fmt: skip
