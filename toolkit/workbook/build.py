"""Build an institution's workbook: the base (:mod:`toolkit.workbook.render_base`) with its values stamped in.

The base is rendered once per year, phase and municipality and cached; per institution this
module stamps the typed and register values into its cells and the cached results of its
formulas (:mod:`toolkit.workbook.stamp`), and writes the file atomically (:mod:`toolkit.files`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from toolkit.files import current_umask, workbook_filename, write_atomic
from toolkit.reading.workbook import read_source
from toolkit.reading.xlsx import OverlaySource, RawCell, XlsxPackage
from toolkit.rules import checks
from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule, attainment
from toolkit.rules.validate import validate
from toolkit.spec.catalog import RULES
from toolkit.spec.layout import (
    TITLE_ROW,
    TJEK_PY_COL,
    TJEK_STATUS_ROW,
    cell_ref,
    layout,
)
from toolkit.spec.model import Kontraktbog
from toolkit.spec.workbook import Sheet, Spec, default_spec
from toolkit.workbook.lite.addin import with_addin
from toolkit.workbook.protection import excel_password_hash, lock_structure
from toolkit.workbook.render_base import BaseBuilder, BaseKey, fmt_text
from toolkit.workbook.stamp import Base, date_serial, escape
from toolkit.workbook.tjek_text import (
    TJEK_HEADER_ROW,
    TJEK_RANK_COL,
    TJEK_TOP_HEADER_ROW,
    TJEK_TOP_ROWS,
    more_text,
    status_text,
)


class FillingLike(Protocol):
    """What an institution typed: the spec's keys per sheet (see toolkit.demo.filling)."""

    @property
    def virksomhed(self) -> Mapping[str, Any]: ...
    @property
    def gruppe(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def dialog(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def maal(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def resultater(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass
class Filling:
    """What is typed into a workbook, by the spec's keys: the builder fills its cells from it."""

    virksomhed: dict[str, Any] = field(default_factory=dict)
    gruppe: list[dict[str, Any]] = field(default_factory=list)
    dialog: list[dict[str, Any]] = field(default_factory=list)
    maal: list[dict[str, Any]] = field(default_factory=list)
    resultater: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WorkbookInput:
    """What one institution's workbook is built from."""

    institution: Mapping[str, Any]  # id, navn, type, udvalg, leder, email
    year: int
    kommune: str
    focus_areas: Sequence[str] = ()
    phase: str = "forslag"
    register_id: str = ""
    created: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    filling: FillingLike | None = None
    #: Previous year's status text etc., written into input cells (carry-over).
    prefill: Mapping[str, Any] = field(default_factory=dict)
    #: Build a macro-enabled .xlsm with the VBA project, a Valider button and the Python
    #: findings area on the Tjek sheet (see toolkit.excel.valider).
    xlsm: bool = False
    #: The attainment rule of the Resultater sheet's formula (the master's, when built from it).
    rule: AttainmentRule = DEFAULT_RULE


@dataclass(frozen=True)
class _PreparedBase:
    base: Base
    source: XlsxPackage
    cells: dict[str, dict[tuple[int, int], RawCell]]
    checks: tuple[checks.Check, ...]


@lru_cache(maxsize=32)
def _prepared_base(spec: Spec, key: BaseKey) -> _PreparedBase:
    buf = io.BytesIO()
    BaseBuilder(spec, key, buf).build()
    data = with_addin(lock_structure(buf.getvalue(), spec.password))
    # XlsxWriter names the worksheet parts sheet1.xml, sheet2.xml, ... in the order added.
    parts = {s.name: f"xl/worksheets/sheet{i + 1}.xml" for i, s in enumerate(spec.sheets)}
    pkg = XlsxPackage(io.BytesIO(data))
    if list(pkg.sheets) != [s.name for s in spec.sheets]:
        raise RuntimeError("the base workbook's sheets are not the spec's")
    cells = {
        s.name: pkg.cells(s.name)
        for s in spec.sheets
        if s.kind in ("felter", "tabel", "lister", "meta")
    }
    chk = tuple(checks.sheet_checks(spec, layout(spec), key.year))
    return _PreparedBase(Base.from_bytes(data, parts), pkg, cells, chk)


def _to_raw(value: Any) -> RawCell | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return RawCell("b", value)
    if isinstance(value, int | float):
        return RawCell("n", float(value))
    if isinstance(value, date):
        return RawCell("n", date_serial(value), date_style=True)
    return RawCell("s", str(value))


def cell_values(spec: Spec, inp: WorkbookInput) -> dict[str, dict[tuple[int, int], Any]]:
    """Sheet name → {(row, col): value} for everything that differs between institutions."""
    lay = layout(spec)
    out: dict[str, dict[tuple[int, int], Any]] = {}
    inst = inp.institution
    filling = inp.filling

    def put(sheet: Sheet, row: int, col: int, value: Any) -> None:
        out.setdefault(sheet.name, {})[(row, col)] = value

    virk = spec.sheet("virksomhed")
    record: dict[str, Any] = {f.key: inst.get(f.key) for f in virk.fields if f.source == "register"}
    record.update(inp.prefill)
    if filling is not None:
        record.update(filling.virksomhed)
    for key, value in record.items():
        pos = lay.field(virk.key, key)
        put(virk, pos.row, pos.col, value)
    meta = spec.sheet("meta")
    for key, value in (
        ("virksomhed_id", inst.get("id")),
        ("oprettet", inp.created.isoformat(timespec="seconds")),
        ("register_id", inp.register_id),
    ):
        pos = lay.field(meta.key, key)
        put(meta, pos.row, pos.col, value)
    if filling is not None:
        for sheet in spec.sheets:
            if sheet.kind != "tabel":
                continue
            t = lay.table(sheet.key)
            rows: Sequence[Mapping[str, Any]] = getattr(filling, sheet.key)
            if len(rows) > t.n_rows:
                raise ValueError(f"{sheet.name}: {len(rows)} rows, the table has {t.n_rows}")
            for i, row in enumerate(rows):
                for f in sheet.fields:  # inputs, and the hidden ids the toolkit keeps
                    if (f.is_input or f.hidden) and f.key in row:
                        put(sheet, t.first_row + i, t.col(f.key), row[f.key])
    return out


def _cached_values(
    spec: Spec, prep: _PreparedBase, book: Kontraktbog, rule: AttainmentRule = DEFAULT_RULE
) -> dict[str, dict[str, Any]]:
    """The cached results of the base's formulas for this institution's values (the
    attainment by ``rule``, the formula's)."""
    lay = layout(spec)
    found = {(f.rule, f.sheet, f.cell) for f in validate(book, spec)}
    tjek = spec.sheet("tjek")
    statuses: dict[str, Any] = {}
    failing: list[tuple[str, checks.Check]] = []
    n_err = n_warn = 0
    for k, chk in enumerate(prep.checks):
        bad = (chk.rule, chk.sheet, chk.cell) in found
        word = ("Fejl" if chk.severity == "fejl" else "Advarsel") if bad else "OK"
        n_err += word == "Fejl"
        n_warn += word == "Advarsel"
        if word != "OK":  # the base already says OK (and "I orden")
            row = TJEK_HEADER_ROW + 1 + k
            statuses[cell_ref(row, 0)] = word
            statuses[cell_ref(row, 3)] = chk.message
            failing.append((word, chk))
            statuses[cell_ref(row, TJEK_RANK_COL)] = len(failing)
    for k, (word, chk) in enumerate(failing[:TJEK_TOP_ROWS], start=1):
        values = (word, chk.sheet, chk.cell, chk.message, RULES[chk.rule].title)
        for c, v in enumerate(values):
            statuses[cell_ref(TJEK_TOP_HEADER_ROW + k, c)] = v
    statuses[cell_ref(TJEK_TOP_HEADER_ROW + TJEK_TOP_ROWS + 1, 0)] = more_text(len(failing))
    status = status_text(n_err, n_warn, "i listen nedenfor")
    statuses[cell_ref(TJEK_STATUS_ROW, 1)] = status
    statuses[cell_ref(TJEK_STATUS_ROW + 1, 1)] = n_err
    statuses[cell_ref(TJEK_STATUS_ROW + 2, 1)] = n_warn
    vejl = spec.sheet("vejledning")
    title = fmt_text(vejl.title, {"aar": book.year, "kommune": ""})
    cached: dict[str, dict[str, Any]] = {
        tjek.name: statuses,
        vejl.name: {
            cell_ref(TITLE_ROW, 0): f"{title} — {book.virksomhed.navn or ''}",
            cell_ref(3, 0): status_text(n_err, n_warn, f"på arket {tjek.name}"),
        },
    }
    res_sheet = spec.sheet("resultater")
    t = lay.table("resultater")
    goals = {g.raekke: g for g in book.maal}
    results = {r.raekke: r for r in book.resultater}
    res_cells: dict[str, Any] = {}
    for i in range(t.n_rows):
        g = goals.get(i)
        r = results.get(i)
        res_cells[t.cell(i, "titel")] = g.titel if g and g.titel is not None else ""
        res_cells[t.cell(i, "maalvaerdi")] = g.maalvaerdi if g and g.maalvaerdi is not None else ""
        level = ""
        if g is not None:
            result = r.resultat if r else None
            level = attainment(g.retning, g.baseline, g.maalvaerdi, result, rule) or ""
        res_cells[t.cell(i, "maalopfyldelse")] = level
    cached[res_sheet.name] = res_cells
    return cached


def build_with_model(inp: WorkbookInput, spec: Spec | None = None) -> tuple[bytes, Kontraktbog]:
    """The finished workbook's bytes, and the model the reader will read from it."""
    spec = spec or default_spec()
    key = BaseKey(
        inp.year, inp.phase.lower(), inp.kommune, tuple(inp.focus_areas), inp.xlsm, inp.rule
    )
    prep = _prepared_base(spec, key)
    values = cell_values(spec, inp)
    overlay = {
        sheet: {rc: _to_raw(v) for rc, v in cells.items()} for sheet, cells in values.items()
    }
    book = read_source(
        OverlaySource(prep.source, prep.cells, overlay),
        Path(workbook_filename(inp.institution, inp.year)),
        spec,
    )
    cached = _cached_values(spec, prep, book, inp.rule)
    stamped_values = {
        sheet: {cell_ref(*rc): v for rc, v in cells.items()} for sheet, cells in values.items()
    }
    title = f"Kontraktarbejdsbog {inp.year}".encode()
    full = f"Kontraktarbejdsbog {inp.year} — {inp.institution.get('navn', '')}"
    replace = {
        "docProps/core.xml": {
            b"<dc:title>" + title + b"</dc:title>": b"<dc:title>"
            + escape(full).encode()
            + b"</dc:title>"
        }
    }
    return prep.base.stamp(stamped_values, cached, replace), book


def workbook_bytes(inp: WorkbookInput, spec: Spec | None = None) -> bytes:
    """The finished workbook as bytes."""
    return build_with_model(inp, spec)[0]


def build_workbook(path: Path, inp: WorkbookInput, spec: Spec | None = None) -> Path:
    """Build one institution's workbook at ``path`` (atomically).

    With ``inp.xlsm`` the file is macro-enabled and is stored with the suffix .xlsm.
    """
    if inp.xlsm:
        path = path.with_suffix(".xlsm")
    write_atomic(path, workbook_bytes(inp, spec))
    return path


__all__ = [  # the names other modules import from here (the helpers live in their own modules)
    "TJEK_HEADER_ROW",
    "TJEK_PY_COL",
    "TJEK_STATUS_ROW",
    "TJEK_TOP_HEADER_ROW",
    "TJEK_TOP_ROWS",
    "BaseKey",
    "Filling",
    "FillingLike",
    "WorkbookInput",
    "build_with_model",
    "build_workbook",
    "cell_values",
    "current_umask",
    "excel_password_hash",
    "more_text",
    "status_text",
    "workbook_bytes",
    "workbook_filename",
    "write_atomic",
]
