"""The master's content as plain data: one pandas DataFrame per table of the layout
(:data:`toolkit.master.layout.LAYOUT`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.master.extra import EXTRA, extra_headers
from toolkit.master.layout import (
    HEADER_ROW,
    LAYOUT,
    SETTINGS,
    SETTINGS_SHEET,
    TITLE_ROW,
    TableDef,
)

if TYPE_CHECKING:
    import pandas as pd


def empty_frame(t: TableDef) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c.key: pd.Series(dtype="object") for c in t.cols})


@dataclass
class Master:
    """Everything the master workbook holds."""

    settings: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # pandas is imported lazily
    path: Path | None = None

    def __post_init__(self) -> None:
        for t in LAYOUT.tables:
            if t.key not in self.tables:
                self.tables[t.key] = empty_frame(t)

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    @property
    def kommune(self) -> str:
        return str(self.settings.get("kommune") or "")

    @property
    def aar(self) -> int | None:
        return settings_year(self.settings)


def settings_year(settings: dict[str, Any]) -> int | None:
    """The contract year on the master's Indstillinger (None if blank or not a number)."""
    v = settings.get("aar")
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _clean(v: Any, kind: str) -> Any:
    if v is None or (isinstance(v, str) and v == ""):
        return None
    if kind == "int" and isinstance(v, float) and v.is_integer():
        return int(v)
    if kind == "date" and isinstance(v, datetime):
        return v.date()
    if kind == "value" and isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, date) and not isinstance(v, datetime) and kind == "datetime":
        return datetime(v.year, v.month, v.day)
    return v


def read_master(path: str | Path) -> Master:
    """Read a master workbook (ours, or re-saved by Excel/LibreOffice) into a :class:`Master`."""
    settings, rows = read_master_rows(path)
    import pandas as pd

    tables = {
        t.key: (
            pd.DataFrame.from_records(rows[t.key], columns=t.keys)
            if rows.get(t.key)
            else empty_frame(t)
        )
        for t in LAYOUT.tables
    }
    return Master(settings, tables, Path(path))


def read_master_rows(path: str | Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The master's settings and table rows as plain dicts (fast: no pandas)."""
    import python_calamine

    path = Path(path)
    wb = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    names = set(wb.sheet_names)
    settings: dict[str, Any] = {}
    if LAYOUT.settings_sheet in names:
        labels = {label: key for key, label, _ in LAYOUT.settings}
        for row in wb.get_sheet_by_name(LAYOUT.settings_sheet).to_python():
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in labels:
                v = row[1]
                settings[labels[row[0].strip()]] = (
                    int(v) if isinstance(v, float) and v.is_integer() else v
                )
    tables: dict[str, list[dict[str, Any]]] = {}
    for t in LAYOUT.tables:
        sheet = _sheet_of(wb, t, names)
        if sheet is None:
            continue
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        found = find_header(rows, t)
        if found is None:
            continue
        header_i, header = found
        idx: dict[str, int] = {}
        for c in t.cols:
            pos = next((i for i, h in enumerate(header) if h in c.headers), None)
            if pos is not None:
                idx[c.key] = pos
        extra = extra_headers(header, t)
        records = []
        for r in rows[header_i + 1 :]:
            if not any(x not in (None, "") for x in r):
                continue
            rec = {
                c.key: (
                    _clean(r[idx[c.key]], c.kind) if c.key in idx and idx[c.key] < len(r) else None
                )
                for c in t.cols
            }
            if extra:  # a person's own columns: kept by header, in the sheet's order
                rec[EXTRA] = {h: _clean(r[i], "value") if i < len(r) else None for i, h in extra}
            records.append(rec)
        tables[t.key] = records
    return settings, tables


def _sheet_of(wb: Any, t: TableDef, names: set[str]) -> str | None:
    """The sheet holding a table: by the Excel table's name first (it survives a renamed
    sheet), else by the sheet's name."""
    try:
        if t.table in wb.table_names:
            sheet = str(wb.get_table_by_name(t.table).sheet)
            if sheet in names:
                return sheet
    except Exception:  # a file whose table parts calamine cannot read: fall back to the name
        pass
    return t.sheet if t.sheet in names else None


def find_header(rows: list[list[Any]], t: TableDef) -> tuple[int, list[str]] | None:
    """The header row (anywhere in the first 50 rows, in any column — people insert rows
    and columns): the row holding the key column's header and most of the others."""
    wanted = {h for c in t.cols for h in c.headers}
    best: tuple[int, int, list[str]] | None = None
    for i, r in enumerate(rows[:50]):
        header = [_header_text(h) for h in r]
        if not any(h in t.cols[0].headers for h in header):
            continue
        score = sum(1 for h in header if h in wanted)
        if best is None or score > best[0]:
            best = (score, i, header)
    return (best[1], best[2]) if best else None


def _header_text(h: Any) -> str:
    """A header cell as text (a person may head a column with a number: 2027, not 2027.0)."""
    if h is None:
        return ""
    if isinstance(h, float) and h.is_integer():
        return str(int(h))
    return str(h).strip()


def table_def(key: str) -> TableDef:
    return LAYOUT.table(key)


#: Also importable from here, as before the layout had its own module.
__all__ = ["HEADER_ROW", "SETTINGS", "SETTINGS_SHEET", "TITLE_ROW", "Master", "empty_frame",
           "read_master", "read_master_rows", "settings_year", "table_def"]  # fmt: skip
