"""The master's table rows, written straight into the sheet XML after XlsxWriter is done.

XlsxWriter writes each table's header and first data row — the template row that fixes every
column's style — and :func:`inject_rows` then puts all the other rows after it in the
template's styles, and widens each Excel table to its rows. It is what makes a master of
thousands of institutions quick to write: a large one is rendered by two processes.
Every value is data (text as an inline string), never a formula.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from toolkit.spec.layout import col_letter
from toolkit.workbook.stamp import Base, date_serial, deflated_part, ooxml_escape, write_zip
from toolkit.workbook.stamp import Part as _PartT

Row = dict[str, Any]
#: sheet name → (columns, rows after the template row, zero-based template row)
Bulk = dict[str, tuple[list[Any], list[Row], int]]

_TEMPLATE_CELL = re.compile(rb'<c r="([A-Z]+)[0-9]+"(?: s="([0-9]+)")?')


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _cell_xml(ref: str, s: str, v: Any, keep_blank: bool) -> str:
    """One cell as SpreadsheetML text: data only (text is an inline string, never a formula)."""
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return f'<c r="{ref}"{s}/>' if keep_blank else ""
    if isinstance(v, str):
        v = v[:32767]
        if _NEEDS_ESCAPE.search(v):
            v = ooxml_escape(v)
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{"Ja" if v else "Nej"}</t></is></c>'
    if isinstance(v, int):
        return f'<c r="{ref}"{s}><v>{v}</v></c>'
    if isinstance(v, float):
        return (
            f'<c r="{ref}"{s}><v>{int(v) if v.is_integer() and abs(v) < 1e15 else repr(v)}</v></c>'
        )
    if isinstance(v, date):
        serial = date_serial(v)
        return f'<c r="{ref}"{s}><v>{int(serial) if float(serial).is_integer() else repr(serial)}</v></c>'
    return _cell_xml(ref, s, str(v), keep_blank)


_Job = tuple[str, bytes, list[Any], list[Row], int]
_PENDING: list[_Job] = []  # handed to a forked helper process without pickling


def _render(job: _Job) -> _PartT:
    """One sheet: the template row followed by every data row, deflated."""
    part, xml, cols, rows, first = job
    n = first + 1  # 1-based number of the template row
    m = re.search(rb'<row r="' + str(n).encode() + rb'"[^>]*>(.*?)</row>', xml, re.S)
    if m is None:
        raise RuntimeError(f"template row missing in {part}")
    styles = {
        col.decode(): s.decode() if s else "0" for col, s in _TEMPLATE_CELL.findall(m.group(1))
    }
    letters = [col_letter(c) for c in range(len(cols))]
    keep_blank = [bool(getattr(col, "manual", False)) for col in cols]
    keys = [col.key for col in cols]
    attrs = [f' s="{styles.get(letters[c], "0")}"' for c in range(len(cols))]
    out: list[str] = []
    for i, row in enumerate(rows):
        rn = n + 1 + i
        out.append(f'<row r="{rn}">')
        for c, key in enumerate(keys):
            cell = _cell_xml(f"{letters[c]}{rn}", attrs[c], row.get(key), keep_blank[c])
            if cell:
                out.append(cell)
        out.append("</row>")
    new = xml[: m.end()] + "".join(out).encode("utf-8") + xml[m.end() :]
    return deflated_part(part, new, 1 if len(new) > 1 << 20 else 6)


def _render_pending(_: int) -> list[_PartT]:
    return [_render(j) for j in _PENDING]


def inject_rows(
    data: bytes,
    sheet_names: list[str],
    bulk: Bulk,
    table_refs: dict[str, str] | None = None,
) -> bytes:
    """Write the data rows after each table's template row, in the template's styles.

    A large master (thousands of institutions) is rendered by two processes: the tables are
    split in two halves of about equal size, and a forked helper renders one half while
    this process renders the other (fork shares the rows; nothing is pickled but the result).
    """
    if not bulk and not table_refs:
        return data
    base = Base(
        data, {name: f"xl/worksheets/sheet{i + 1}.xml" for i, name in enumerate(sheet_names)}
    )
    jobs: list[_Job] = []
    for sheet, (cols, rows, first) in bulk.items():
        part = base.sheet_parts[sheet]
        jobs.append((part, base.parts[part].data, cols, rows, first))
    cells = sum(len(j[3]) * len(j[2]) for j in jobs)
    rendered: dict[str, _PartT] = {}
    if cells > 200_000 and _can_fork():
        import multiprocessing as mp

        jobs.sort(key=lambda j: -len(j[3]) * len(j[2]))
        mine: list[_Job] = []
        theirs: list[_Job] = []
        load = [0, 0]
        for j in jobs:  # greedy halves
            k = 0 if load[0] <= load[1] else 1
            (mine if k == 0 else theirs).append(j)
            load[k] += len(j[3]) * len(j[2])
        _PENDING[:] = theirs
        try:
            with mp.get_context("fork").Pool(1) as pool:
                res = pool.map_async(_render_pending, [0])
                for j in mine:
                    p = _render(j)
                    rendered[p.name] = p
                for p in res.get()[0]:
                    rendered[p.name] = p
        finally:
            _PENDING.clear()
    else:
        for j in jobs:
            p = _render(j)
            rendered[p.name] = p
    for nm in base.order:  # widen each table (and its filter) to all of its rows
        if nm.startswith("xl/tables/") and table_refs:
            xml = base.parts[nm].data
            m = re.search(rb' displayName="([^"]+)"', xml)
            ref = table_refs.get(m.group(1).decode()) if m else None
            if ref:
                new = re.sub(
                    rb' ref="[A-Z]+[0-9]+:[A-Z]+[0-9]+"', b' ref="' + ref.encode() + b'"', xml
                )
                rendered[nm] = deflated_part(nm, new)
    parts = [rendered.get(nm, base.parts[nm]) for nm in base.order]
    return write_zip(parts)


def _can_fork() -> bool:
    import multiprocessing as mp
    import os

    return os.name == "posix" and "fork" in mp.get_all_start_methods()
