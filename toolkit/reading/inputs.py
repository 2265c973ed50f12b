"""The inputs Kontraktservice maintains: the institution register and the focus areas.

Both are plain workbooks whose layout is declared in ``workbook/inddata.toml``; columns
are found by their header, so a municipality may reorder them or add its own. Reading
uses python-calamine (fast, and indifferent to which program saved the file). Problems
are reported in Danish naming the file, sheet and cell; good rows are still used.
"""

from __future__ import annotations

import hashlib
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine
import xlsxwriter

from toolkit.errors import UserError
from toolkit.spec.layout import cell_ref
from toolkit.spec.paths import data_dir


class InputError(UserError):
    """An input workbook cannot be used at all (message in Danish)."""


@dataclass(frozen=True)
class Institution:
    id: str
    navn: str
    type: str
    udvalg: str
    leder: str
    email: str
    foerste_kontraktaar: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class FocusArea:
    udvalg: str
    aar: int  # the fields are the layout's keys (write_focus_areas)
    nr: int | None
    titel: str
    beskrivelse: str = ""


@dataclass
class Register:
    kommune: str
    register_id: str
    institutions: list[Institution]
    problems: list[str] = field(default_factory=list)
    path: Path | None = None

    def by_id(self) -> dict[str, Institution]:
        return {i.id: i for i in self.institutions}

    @property
    def committees(self) -> list[str]:
        return sorted({i.udvalg for i in self.institutions})


@dataclass
class FocusAreas:
    areas: list[FocusArea]
    problems: list[str] = field(default_factory=list)

    def titles(self, udvalg: str, year: int) -> tuple[str, ...]:
        rows = [a for a in self.areas if a.udvalg == udvalg and a.aar == year]
        rows.sort(key=lambda a: (a.nr if a.nr is not None else 10**6, a.titel))
        return tuple(a.titel for a in rows)


def _layout(key: str) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(
        (data_dir("workbook") / "inddata.toml").read_text("utf-8")
    )[key]
    return data


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime | date):
        return v.strftime("%d-%m-%Y")
    return " ".join(str(v).split())


# Characters that show as nothing: copied from web pages and e-mails into ids.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)


def normalise_id(value: Any) -> str:
    """An institution id as it is compared everywhere (register and workbooks): compatible
    characters folded (NFKC: no-break spaces, full-width digits), invisible characters
    removed, spaces trimmed and collapsed."""
    text = _text(value) if not isinstance(value, str) else value
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def focus_problems(register: Register, areas: FocusAreas) -> list[str]:
    """Focus-area committees the register does not know (their areas reach no one)."""
    known = set(register.committees)
    unknown = sorted({a.udvalg for a in areas.areas} - known)
    return [
        f"Fagudvalget '{u}' i indsatsområderne findes ikke i virksomhedsregistret, så dets "
        f"indsatsområder når ingen virksomhed. Ret navnet, så det står præcis som i registret "
        f"({', '.join(sorted(known))})."
        for u in unknown
    ]


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float) and float(v).is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _read_rows(path: Path, sheet: str) -> tuple[list[list[Any]], str]:
    if not path.exists():
        raise InputError(f"{path}: filen findes ikke.")
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(f"{path}: filen kan ikke læses som Excel-projektmappe ({exc}).") from exc
    names = wb.sheet_names
    match = next((n for n in names if n.strip().lower() == sheet.lower()), None)
    if match is None:
        raise InputError(
            f"{path}: arket '{sheet}' findes ikke (arkene hedder: {', '.join(names)})."
        )
    return wb.get_sheet_by_name(match).to_python(skip_empty_area=False), match


def _columns(
    path: Path, sheet: str, header: list[Any], spec: list[dict[str, Any]]
) -> dict[str, int]:
    norm = {_text(h).lower(): i for i, h in enumerate(header) if _text(h)}
    out: dict[str, int] = {}
    missing = []
    for col in spec:
        idx = next((norm[n.lower()] for n in col["navne"] if n.lower() in norm), None)
        if idx is None:
            if col.get("paakraevet"):
                missing.append(col["navne"][0])
            continue
        out[col["key"]] = idx
    if missing:
        raise InputError(
            f"{path}, ark '{sheet}': kolonnen {', '.join(repr(m) for m in missing)} mangler i række 1."
        )
    return out


def read_register(path: str | Path) -> Register:
    """Read the institution register."""
    path = Path(path)
    lay = _layout("register")
    rows, sheet = _read_rows(path, lay["ark"])
    if not rows:
        raise InputError(f"{path}, ark '{sheet}': arket er tomt.")
    cols = _columns(path, sheet, rows[0], lay["kolonner"])
    kommune, register_id = "", ""
    try:
        krows, _ = _read_rows(path, lay["kommune_ark"])
        for r in krows:
            if len(r) >= 2 and _text(r[0]).lower() == "kommune":
                kommune = _text(r[1])
            if len(r) >= 2 and _text(r[0]).lower() == "register-id":
                register_id = _text(r[1])
    except InputError:
        pass
    problems: list[str] = []
    if not kommune:
        problems.append(
            f"{path}: arket '{lay['kommune_ark']}' med kommunens navn mangler (A1 'Kommune', B1 navnet)."
        )
    required = [c["key"] for c in lay["kolonner"] if c.get("paakraevet")]
    out: list[Institution] = []
    seen: dict[str, int] = {}
    by_row: dict[str, Institution] = {}
    for r_i, row in enumerate(rows[1:], start=1):
        vals = {k: (row[i] if i < len(row) else None) for k, i in cols.items()}
        if all(_text(v) == "" for v in vals.values()):
            continue
        miss = [k for k in required if not _text(vals.get(k))]
        if miss:
            labels = {c["key"]: c["navne"][0] for c in lay["kolonner"]}
            cell = cell_ref(r_i, cols[miss[0]])
            problems.append(
                f"{path}, ark '{sheet}', celle {cell}: {', '.join(labels[m] for m in miss)} mangler — rækken er sprunget over."
            )
            continue
        raw_id = vals["id"] if isinstance(vals["id"], str) else _text(vals["id"])
        inst_id = normalise_id(raw_id)
        if inst_id != raw_id:
            problems.append(
                f"{path}, ark '{sheet}', celle {cell_ref(r_i, cols['id'])}: id'et {raw_id!r} har "
                f"mellemrum eller usynlige tegn; det er læst som '{inst_id}'. Ret cellen."
            )
        inst = Institution(
            id=inst_id,
            navn=_text(vals["navn"]),
            type=_text(vals["type"]),
            udvalg=_text(vals["udvalg"]),
            leder=_text(vals["leder"]),
            email=_text(vals["email"]),
            foerste_kontraktaar=_int(vals.get("foerste_kontraktaar")),
        )
        if inst.id in seen:
            problems.append(
                f"{path}, ark '{sheet}', celle {cell_ref(r_i, cols['id'])}: id '{inst.id}' står også i række {seen[inst.id] + 1} "
                f"({by_row[inst.id].navn}, {by_row[inst.id].udvalg}) — denne række ({inst.navn}, {inst.udvalg}) "
                "er sprunget over. Giv hver virksomhed sit eget id."
            )
            continue
        seen[inst.id] = r_i
        by_row[inst.id] = inst
        out.append(inst)
    if not register_id:
        digest = hashlib.sha256("|".join(i.id for i in out).encode()).hexdigest()[:12]
        register_id = f"{kommune or 'kommune'}-{digest}"
    return Register(kommune, register_id, out, problems, path)


def read_focus_areas(path: str | Path) -> FocusAreas:
    """Read the political focus areas per committee and year."""
    path = Path(path)
    lay = _layout("indsatsomraader")
    rows, sheet = _read_rows(path, lay["ark"])
    if not rows:
        raise InputError(f"{path}, ark '{sheet}': arket er tomt.")
    cols = _columns(path, sheet, rows[0], lay["kolonner"])
    areas: list[FocusArea] = []
    problems: list[str] = []
    for r_i, row in enumerate(rows[1:], start=1):
        vals = {k: (row[i] if i < len(row) else None) for k, i in cols.items()}
        if all(_text(v) == "" for v in vals.values()):
            continue
        year = _int(vals.get("aar"))
        if year is None or not _text(vals.get("udvalg")) or not _text(vals.get("titel")):
            problems.append(
                f"{path}, ark '{sheet}', række {r_i + 1}: fagudvalg, år og titel skal udfyldes — rækken er sprunget over."
            )
            continue
        titel = _text(vals["titel"])
        if len(titel) > 250:
            problems.append(
                f"{path}, ark '{sheet}', række {r_i + 1}: titlen er over 250 tegn og er forkortet."
            )
            titel = titel[:250]
        areas.append(
            FocusArea(
                _text(vals["udvalg"]),
                year,
                _int(vals.get("nr")),
                titel,
                _text(vals.get("beskrivelse")),
            )
        )
    return FocusAreas(areas, problems)


# ------------------------------------------------------------------ writing (demo, templates)


def _write_table(
    path: Path, sheet: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], extra: Any = None
) -> None:
    import io

    from toolkit.files import write_atomic

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    if extra is not None:
        extra(wb)
    ws = wb.add_worksheet(sheet)
    for c, h in enumerate(headers):
        ws.set_column(
            c, c, max(12, min(60, 1.2 * max([len(h)] + [len(_text(r[c])) for r in rows[:200]])))
        )
    ws.add_table(0, 0, max(len(rows), 1), len(headers) - 1, {
        "columns": [{"header": h} for h in headers], "data": [list(r) for r in rows] or None,
        "style": "Table Style Medium 2"})  # fmt: skip
    ws.freeze_panes(1, 0)
    wb.close()
    write_atomic(path, buf.getvalue())


def write_register(
    path: Path, kommune: str, institutions: Sequence[Institution], register_id: str = ""
) -> None:
    lay = _layout("register")
    headers = [c["navne"][0] for c in lay["kolonner"]]
    rows = [[getattr(i, c["key"]) for c in lay["kolonner"]] for i in institutions]

    def kommune_sheet(wb: Any) -> None:
        ws = wb.add_worksheet(lay["kommune_ark"])
        bold = wb.add_format({"bold": True})
        ws.write_string(0, 0, "Kommune", bold)
        ws.write_string(0, 1, kommune)
        ws.write_string(1, 0, "Register-id", bold)
        ws.write_string(1, 1, register_id)
        ws.write_string(3, 0, lay["vejledning"])
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 40)

    _write_table(path, lay["ark"], headers, rows, kommune_sheet)


def write_focus_areas(path: Path, areas: Sequence[FocusArea]) -> None:
    lay = _layout("indsatsomraader")
    headers = [c["navne"][0] for c in lay["kolonner"]]
    rows = [[getattr(a, c["key"]) for c in lay["kolonner"]] for a in areas]
    _write_table(path, lay["ark"], headers, rows)
