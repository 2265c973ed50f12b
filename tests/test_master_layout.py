"""The master's layout: its columns come from the spec, its old headers still read, nothing
retypes a header outside the layout, and the writer and the .xlsm module import one way."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from toolkit.master import columns
from toolkit.master.columns import KIND_OF_TYPE, from_spec
from toolkit.master.layout import LAYOUT, OVERBLIK, OverblikLayout
from toolkit.master.model import read_master_rows
from toolkit.spec.workbook import default_spec, load_spec

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = ROOT / "toolkit"
YEAR = 2027

#: The headers the master had before its columns were taken from the spec.
OLD_HEADERS = {
    "Frist for måling": "Frist",
    "Antal deltagere": "Deltagere",
    "SU orienteret om forslagene": "SU orienteret",
}


# ------------------------------------------------------------------ the spec drives it


def test_every_spec_column_has_the_spec_fields_header_and_kind() -> None:
    spec = default_spec()
    checked = 0
    for t, c in LAYOUT.spec_cols():
        sheet, key = str(c.spec).split(".", 1)
        f = spec.sheet(sheet).field(key)
        where = f"{t.key}.{c.key} ({c.spec})"
        assert c.header == f.label, where
        assert c.kind == KIND_OF_TYPE[f.type], where
        assert c.choices in ((), spec.lists.get(f.list or "", ())), where
        assert c.header not in c.aliases, where
        checked += 1
    assert checked >= 35  # the goals', results', groups', dialogues' and institutions' fields


def test_every_input_column_of_the_workbooks_tables_is_in_the_master() -> None:
    """A field added to a table of the institution workbook needs its master column."""
    spec = default_spec()
    for sheet in ("maal", "resultater", "gruppe", "dialog"):
        carried = {str(c.spec) for c in LAYOUT.table(sheet).spec_cols}
        for f in spec.sheet(sheet).input_fields:
            assert f"{sheet}.{f.key}" in carried, f"{sheet}.{f.key}"


def test_the_drifted_headers_are_the_spec_labels_with_the_old_ones_as_aliases() -> None:
    by_header = {c.header: c for _, c in LAYOUT.spec_cols()}
    for new, old in OLD_HEADERS.items():
        assert old in by_header[new].aliases


def test_a_changed_spec_label_changes_the_master_header(tmp_path, monkeypatch) -> None:
    src = default_spec().source
    text = src.read_text("utf-8").replace('label = "Frist for måling"', 'label = "Måles senest"')
    path = tmp_path / "kontraktbog.toml"
    path.write_text(text, "utf-8")
    changed = load_spec(path)
    monkeypatch.setattr(columns, "default_spec", lambda: changed)
    col = from_spec("maal.frist", 11, aliases=("Frist",))
    assert (col.header, col.kind, col.width, col.aliases) == (
        "Måles senest",
        "date",
        11,
        ("Frist",),
    )
    assert from_spec("maal.indsatsomraade", 20, dropdown=True).choices == ("Eget forslag",)


# ------------------------------------------------------------ no header typed twice


#: String literals equal to a master header that name something else (file → strings).
NOT_A_MASTER_HEADER = {
    "toolkit/demo/names.py": {"Dokumentation"},  # a measurement method
    "toolkit/master/overblik.py": {"Kontraktmål"},  # a key figure's label
    "toolkit/rules/cycle.py": {"Kontraktmål"},  # the same key figure, in the status text
    "toolkit/master/rows.py": {"Kontraktmål"},  # the institution workbook's sheet, in findings
    "toolkit/master/reminders.py": {"E-mail", "Frist"},  # the reminder list's own columns
    "toolkit/spec/catalog.py": {"SU orienteret om forslagene"},  # a rule's title (spec wing)
}
#: Where a master header may be typed: the spec and the layout.
LAYOUT_FILES = {"toolkit/master/tables.py", "toolkit/master/columns.py", "toolkit/master/layout.py"}


def _literals(source: str, wanted: set[str]) -> list[tuple[int, str]]:
    return [
        (n.lineno, n.value)
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in wanted
    ]


def _master_headers() -> set[str]:
    return {h for _, c in LAYOUT.spec_cols() for h in c.headers}


def test_no_module_retypes_a_header_of_a_spec_column() -> None:
    headers = _master_headers()
    found: dict[str, set[str]] = {}
    for path in sorted(TOOLKIT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in LAYOUT_FILES:
            continue
        for _line, text in _literals(path.read_text("utf-8"), headers):
            found.setdefault(rel, set()).add(text)
    retyped = {
        rel: sorted(texts - NOT_A_MASTER_HEADER.get(rel, set())) for rel, texts in found.items()
    }
    assert not {rel: t for rel, t in retyped.items() if t}, "take the header from the layout"
    # the exceptions still exist (an exception that is gone must leave the list)
    for rel, texts in NOT_A_MASTER_HEADER.items():
        assert texts <= found.get(rel, set()), rel


def test_the_header_check_finds_a_retyped_header() -> None:
    source = 'COLS = [("frist", "Frist for måling"), ("deltagere", "Deltagere")]\n'
    assert _literals(source, _master_headers()) == [(1, "Frist for måling"), (1, "Deltagere")]


# ------------------------------------------------------------------ imports one way


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, inside a function?) for every import of a module file."""
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module:
                out.append((child.module, in_function))
            elif isinstance(child, ast.Import):
                out.extend((a.name, in_function) for a in child.names)
            visit(child, inner)

    visit(ast.parse(path.read_text("utf-8")), False)
    return out


def _runtime_imports(path: Path) -> list[str]:
    """Modules imported outside ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for child in node.body
        for n in ast.walk(child)
    }
    return [
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and id(n) not in skip
    ]


MASTER = TOOLKIT / "master"


@pytest.mark.parametrize(
    ("module", "other"), [("write", "xlsm"), ("xlsm", "write"), ("write", "overblik")]
)
def test_no_function_level_import_between_writer_and_xlsm(module: str, other: str) -> None:
    imports = _imports(MASTER / f"{module}.py")
    assert f"toolkit.master.{other}" not in [m for m, in_function in imports if in_function]


def test_the_writer_imports_neither_xlsm_nor_is_imported_by_overblik() -> None:
    assert "toolkit.master.xlsm" not in [m for m, _ in _imports(MASTER / "write.py")]
    assert "toolkit.master.write" in _runtime_imports(MASTER / "xlsm.py")  # the one direction
    assert "toolkit.master.write" not in _runtime_imports(MASTER / "overblik.py")


def test_the_import_check_sees_a_function_level_import(tmp_path) -> None:
    p = tmp_path / "m.py"
    p.write_text("def f():\n    from toolkit.master.xlsm import add_buttons\n", "utf-8")
    assert _imports(p) == [("toolkit.master.xlsm", True)]


# -------------------------------------------------------------- Overblik where it says


def test_overblik_is_written_where_the_layout_says(tmp_path) -> None:
    import python_calamine
    from sample_master import sample_master

    from toolkit.master.overblik import BLOCK_HEADERS, KPI_LABELS, YEAR_LABEL
    from toolkit.master.write import master_bytes
    from toolkit.master.xlsm import _stats

    m = sample_master(4, aar=YEAR)
    tables = {t.key: m[t.key].to_dict("records") for t in LAYOUT.tables}
    path = tmp_path / "m.xlsx"
    path.write_bytes(master_bytes(m.settings, tables, ([], []), {"info": "Info", "kpis": []}))
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(OVERBLIK)
    grid = rows.to_python(skip_empty_area=False)
    at: OverblikLayout = LAYOUT.overblik
    assert grid[at.info_row][0] == "Info"
    assert grid[at.year_row][0] == YEAR_LABEL and grid[at.year_row][at.year_col] == YEAR
    labels = grid[at.kpi_label_row][at.kpi_col : at.kpi_col + len(KPI_LABELS)]
    assert tuple(labels) == KPI_LABELS
    assert tuple(grid[at.block_row][at.block_col : at.block_col + len(BLOCK_HEADERS)]) == (
        BLOCK_HEADERS
    )
    assert grid[at.block_row][at.years_col] == "År i masteren"
    assert grid[at.block_row + 1][at.years_col] in (YEAR - 1, YEAR)
    assert [k for k, _ in _stats(path)["kpis"]] == list(KPI_LABELS)
    assert at.year_cell == "$B$3"


# --------------------------------------------------------- an old master still reads


def _rename_headers(path: Path, renames: dict[str, str]) -> None:
    """What an earlier version of the toolkit wrote: the same master with the old headers."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for table in ws.tables.values():
            for tc in table.tableColumns:
                tc.name = renames.get(tc.name, tc.name)
        for row in ws.iter_rows(min_row=1, max_row=LAYOUT.header_row + 1):
            for cell in row:
                if isinstance(cell.value, str) and cell.value in renames:
                    cell.value = renames[cell.value]
    wb.save(path)


def _type_decisions(path: Path, n: int) -> dict[str, str]:
    """Kontraktservice types a decision and a comment on the first ``n`` goals."""
    import openpyxl

    t = LAYOUT.table("maal")
    wb = openpyxl.load_workbook(path)
    ws = wb[t.sheet]
    header = [c.value for c in ws[LAYOUT.header_row + 1]]
    c_key, c_dec, c_com = (
        header.index(next(h for h in t.cols[t.keys.index(k)].headers if h in header)) + 1
        for k in ("noegle", "beslutning", "kommentar")
    )
    typed = {}
    for r in range(LAYOUT.header_row + 2, LAYOUT.header_row + 2 + n):
        key = ws.cell(r, c_key).value
        ws.cell(r, c_dec).value = "Godkendt"
        ws.cell(r, c_com).value = f"Drøftet på mødet ({key})"
        typed[key] = f"Drøftet på mødet ({key})"
    wb.save(path)
    return typed


def test_an_old_master_with_the_old_headers_reads_and_a_rerun_keeps_typed_values(
    tmp_path,
) -> None:
    from toolkit.demo.pipeline import run_demo
    from toolkit.master.consolidate import run

    folder = tmp_path / "kommune"
    run_demo(folder, antal=4, year=YEAR, seed=11, with_master=False, with_documents=False)
    master = folder / "master.xlsx"

    def konsolider() -> None:
        run([folder / "indbakke"], master, folder / "inddata" / "Virksomhedsregister.xlsx",
            YEAR, workers=1)  # fmt: skip

    konsolider()
    _, new_rows = read_master_rows(master)
    assert any(r["frist"] for r in new_rows["maal"]) and any(
        r["deltagere"] for r in new_rows["dialog"]
    )

    old = tmp_path / "gammel.xlsx"
    shutil.copy(master, old)
    _rename_headers(old, {new: old_h for new, old_h in OLD_HEADERS.items()})
    import python_calamine

    maal_header = (
        python_calamine.CalamineWorkbook.from_path(str(old))
        .get_sheet_by_name(LAYOUT.table("maal").sheet)
        .to_python()[LAYOUT.header_row]
    )
    assert "Frist" in maal_header and "Frist for måling" not in maal_header
    _, old_rows = read_master_rows(old)
    for key in ("maal", "dialog", "oversigt"):
        assert old_rows[key] == new_rows[key], key

    typed = _type_decisions(old, 3)
    shutil.copy(old, master)
    konsolider()  # a re-run over the old master
    _, rerun = read_master_rows(master)
    by_key = {r["noegle"]: r for r in rerun["maal"]}
    for key, comment in typed.items():
        assert by_key[key]["beslutning"] == "Godkendt" and by_key[key]["kommentar"] == comment
    for r, before in zip(rerun["maal"], new_rows["maal"], strict=True):
        assert r["frist"] == before["frist"]
    header = (
        python_calamine.CalamineWorkbook.from_path(str(master))
        .get_sheet_by_name(LAYOUT.table("maal").sheet)
        .to_python()[LAYOUT.header_row]
    )
    assert "Frist for måling" in header  # the re-run writes today's headers
