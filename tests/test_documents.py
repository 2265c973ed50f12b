"""Word contracts, committee memos and the overall report (toolkit.documents).

The documents are read back with python-docx (paragraphs and table cells) and compared
with what the master says, computed here independently of the package's own code.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import patch_part
from docx import Document
from docxtpl import DocxTemplate
from sample_master import sample_master

from toolkit.documents import (
    PdfFejl,
    SkabelonFejl,
    contract_context,
    make_contracts,
    make_memos,
    make_report,
    memo_context,
    report_context,
)
from toolkit.documents.charts import Chart, distribution_charts, render_png
from toolkit.documents.data import MasterData
from toolkit.documents.formatting import NBSP, Antal, dato, filnavn, procent, tal, tekst, vaerdi
from toolkit.documents.render import TEMPLATES, template_path
from toolkit.documents.shared import IngenResultater
from toolkit.master.model import Master, read_master
from toolkit.office import libreoffice

TODAY = date(2026, 11, 23)
APPROVED = {"Godkendt", "Ændret"}
LEVEL_COLUMNS = {
    "Opfyldt": "opfyldt",
    "Delvist opfyldt": "delvist",
    "Ikke opfyldt": "ikke_opfyldt",
    "Ikke målt": "ikke_maalt",
}
DOCS = Path(__file__).resolve().parent.parent / "docs" / "skabeloner.md"


# --------------------------------------------------------------------------- helpers


def copy_master(m: Master) -> Master:
    return Master(dict(m.settings), {k: v.copy() for k, v in m.tables.items()}, m.path)


def unique_titles(m: Master) -> Master:
    """Each goal's title ends in its key, so a title in a document names exactly one goal."""
    m = copy_master(m)
    for key in ("maal", "resultater"):
        df = m.tables[key]
        df["titel"] = df["titel"].astype(str) + " [" + df["noegle"].astype(str) + "]"
    return m


def all_text(path: Path) -> str:
    """Every paragraph and table cell of the body, headers and footers, in order."""
    doc = Document(str(path))
    parts: list[str] = []

    def walk(container: Any) -> None:
        for p in container.paragraphs:
            parts.append(p.text)
        for t in container.tables:
            for row in t.rows:
                for cell in row.cells:
                    walk(cell)

    walk(doc)
    for section in doc.sections:
        walk(section.header)
        walk(section.footer)
    return "\n".join(parts)


def tables_with_header(path: Path, first: str, second: str | None = None) -> list[list[list[str]]]:
    """The tables whose header row starts with ``first`` (and ``second``), as rows of cell texts."""
    out = []
    for t in Document(str(path)).tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        if (
            rows
            and rows[0][0] == first
            and (second is None or (len(rows[0]) > 1 and rows[0][1] == second))
        ):
            out.append(rows)
    return out


def number(text: str) -> int:
    return int(text.replace(".", "").strip())


def approved_keys(m: Master, vid: str, year: int) -> set[str]:
    goals = m["maal"][(m["maal"]["virksomhed_id"] == vid) & (m["maal"]["aar"] == year)]
    if goals["beslutning"].isna().all():
        return set(goals["noegle"])
    return set(goals[goals["beslutning"].isin(APPROVED)]["noegle"])


def keys_in(texts: list[str]) -> set[str]:
    return {k for t in texts for k in re.findall(r"\[(V\d+-\d{4}-\d+)\]", t)}


def contract_goal_titles(path: Path) -> list[str]:
    (table,) = tables_with_header(path, "Nr.", "Kontraktmål")
    return [row[1] for row in table[1:]]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def master() -> Master:
    return unique_titles(sample_master(12, seed=2027))


@pytest.fixture(scope="module")
def made(master: Master, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("dokumenter")
    return {
        "dir": out,
        "kontrakter": make_contracts(master, out, workers=2, today=TODAY),
        "forslag": make_memos(master, out, phase="forslag", today=TODAY),
        "maalopfyldelse": make_memos(master, out, phase="maalopfyldelse", today=TODAY),
        "rapport": make_report(master, out, today=TODAY),
    }


def contract_of(made: dict[str, Any], vid: str) -> Path:
    (path,) = [p for p in made["kontrakter"] if f" - {vid} " in p.name]
    return path


def memo_of(made: dict[str, Any], fase: str, udvalg: str) -> Path:
    (path,) = [p for p in made[fase] if p.name.endswith(f" - {udvalg}.docx")]
    return path


# --------------------------------------------------------------------------- Danish formatting


def test_dates_are_danish() -> None:
    assert dato(date(2026, 11, 23)) == "23. november 2026"
    assert dato(datetime(2027, 1, 5, 14, 30)) == "5. januar 2027"
    assert dato(pd.Timestamp("2027-03-31")) == "31. marts 2027"
    assert dato("2027-12-15") == "15. december 2027"
    assert dato(None) == ""
    assert dato(float("nan")) == ""
    assert dato("snart") == "snart"  # text that is not a date stays text


def test_numbers_use_decimal_comma_and_thousands_dot() -> None:
    assert tal(1234.5) == "1.234,5"
    assert tal(1234567) == "1.234.567"
    assert tal(-1234.5) == "-1.234,5"
    assert tal(0) == "0"
    assert tal(12.0) == "12"
    assert tal(0.125) == "0,13"  # half up, not banker's rounding
    assert tal(2.675) == "2,68"
    assert tal(2, 1) == "2,0"
    assert tal(999.999) == "1.000"
    assert tal(1e6) == "1.000.000"
    assert tal(np.float64(3.5)) == "3,5"
    assert tal(np.int64(4321)) == "4.321"
    assert tal(None) == ""
    assert tal(float("inf")) == ""
    assert tal("ca. 80") == "ca. 80"


def test_percentages_and_values_with_units() -> None:
    assert procent(0.625) == f"63{NBSP}%"
    assert procent(0.625, 1) == f"62,5{NBSP}%"
    assert procent(1) == f"100{NBSP}%"
    assert procent(None) == "–"
    assert vaerdi(72, "Procent") == f"72{NBSP}%"
    assert vaerdi(12.5, "Dage") == f"12,5{NBSP}dage"
    assert vaerdi(1, "Dage") == f"1{NBSP}dag"
    assert vaerdi(1200, "Kroner") == f"1.200{NBSP}kr."
    assert vaerdi(3.8, "Point (skala 1-5)") == f"3,8{NBSP}point"
    assert vaerdi(1500, "Antal") == "1.500"
    assert vaerdi("Ja", "Ja/Nej") == "Ja"
    assert vaerdi(None, "Procent") == ""


def test_counts_print_danish_but_stay_numbers() -> None:
    n = Antal(1234)
    assert str(n) == "1.234" and n == 1234 and n + 1 == 1235
    assert not Antal(0)
    assert f"{Antal(5000)}" == "5.000"


def test_text_is_cleaned_for_word() -> None:
    assert tekst(None) == ""
    assert tekst("a\r\nb\rc") == "a\nb\nc"
    assert tekst("bip\x07bop\x0cslut\x00") == "bipbopslut"  # \a and \f would become paragraphs
    assert tekst("{_{ x }_}").replace("\u2060", "") == "{_{ x }_}"
    assert tekst("  æøå 😀  ") == "æøå 😀"


def test_file_names_are_safe_on_every_system() -> None:
    assert filnavn('A/S <"Ny">: 1|2?*') == "A S Ny 1 2"
    assert filnavn("Skole.\n") == "Skole"
    assert filnavn("   ") == "dokument"
    assert len(filnavn("x" * 400)) == 150


# --------------------------------------------------------------------------- contracts


def test_contract_holds_exactly_the_approved_goals(master: Master, made: dict[str, Any]) -> None:
    year = master.aar
    assert year is not None
    checked = 0
    for vid in master["oversigt"]["virksomhed_id"]:
        expected = approved_keys(master, vid, year)
        matches = [p for p in made["kontrakter"] if f" - {vid} " in p.name]
        if not expected:
            assert not matches, f"{vid} has no goals to contract but got a contract"
            continue
        titles = contract_goal_titles(contract_of(made, vid))
        assert keys_in(titles) == expected, vid
        assert len(titles) == len(expected)
        checked += 1
    assert checked >= 8


def test_rejected_and_undecided_goals_stay_out(master: Master, made: dict[str, Any]) -> None:
    goals = master["maal"][master["maal"]["aar"] == master.aar]
    rejected = goals[goals["beslutning"] == "Afvist"]
    assert len(rejected) >= 1, "the sample must have rejected goals"
    for _, g in rejected.iterrows():
        for path in [p for p in made["kontrakter"] if f" - {g['virksomhed_id']} " in p.name]:
            assert g["noegle"] not in all_text(path)
    changed = goals[goals["beslutning"] == "Ændret"]
    assert len(changed) >= 1
    for _, g in changed.iterrows():
        text = all_text(contract_of(made, g["virksomhed_id"]))
        assert g["noegle"] in text and str(g["kommentar"]) in text


def test_contract_without_decisions_is_marked_as_proposal(
    master: Master, made: dict[str, Any]
) -> None:
    goals = master["maal"][master["maal"]["aar"] == master.aar]
    undecided = [v for v, g in goals.groupby("virksomhed_id") if g["beslutning"].isna().all()]
    decided = [v for v, g in goals.groupby("virksomhed_id") if g["beslutning"].notna().any()]
    assert undecided and decided
    for vid in undecided:
        text = all_text(contract_of(made, vid))
        assert "Forslag." in text and "har endnu ikke behandlet målene" in text
    for vid in decided:
        if approved_keys(master, vid, master.aar or 0):
            assert "har endnu ikke behandlet målene" not in all_text(contract_of(made, vid))


def test_partly_decided_institution_says_what_is_left_out(master: Master, tmp_path: Path) -> None:
    m = copy_master(master)
    goals = m.tables["maal"]
    vid = next(v for v, g in goals[goals["aar"] == m.aar].groupby("virksomhed_id") if len(g) >= 3)
    rows = goals.index[(goals["virksomhed_id"] == vid) & (goals["aar"] == m.aar)]
    goals.loc[rows, "beslutning"] = "Godkendt"
    goals.loc[rows[0], "beslutning"] = None
    ctx = contract_context(m, vid, today=TODAY)
    assert ctx["er_forslag"] is False and ctx["antal_ikke_behandlet"] == 1
    assert len(ctx["maal"]) == len(rows) - 1
    (path,) = [
        p for p in make_contracts(m, tmp_path, workers=1, today=TODAY) if f" - {vid} " in p.name
    ]
    text = all_text(path)
    assert "1 af virksomhedens forslag er endnu ikke behandlet" in text
    waiting = str(goals.loc[rows[0], "noegle"])
    assert waiting not in keys_in(contract_goal_titles(path))
    # fewer than 3 approved goals: the contract says so and names the goal still waiting
    assert ("Ikke færdig" in text and waiting in text) == (len(rows) - 1 < 3)


def test_contract_has_parties_group_dialogue_and_follow_up(
    master: Master, made: dict[str, Any]
) -> None:
    vid = "V001"
    path = contract_of(made, vid)
    text = all_text(path)
    inst = master["oversigt"].set_index("virksomhed_id").loc[vid]
    assert "Kommunalbestyrelsen i Demokommune" in text and inst["navn"] in text
    assert f"Kontrakt {master.aar}" in text
    members = master["gruppe"][master["gruppe"]["virksomhed_id"] == vid]
    (group,) = tables_with_header(path, "Navn", "Rolle")
    assert [r[0] for r in group[1:]] == list(members["navn"])
    dialog = master["dialog"][master["dialog"]["virksomhed_id"] == vid]
    (dia,) = tables_with_header(path, "Dato", "Med hvem")
    assert len(dia) - 1 == len(dialog)
    (follow,) = tables_with_header(path, "Dato", "Hvad sker der")
    whens = [r[0] for r in follow[1:]]
    assert (
        whens[0] == f"1. januar {master.aar}"
        and whens[-1] == f"Senest 31. marts {(master.aar or 0) + 1}"
    )
    assert "Underskrifter" in text and "Formand for" in text
    assert path.name == f"Kontrakt {master.aar} - {vid} {inst['navn']}.docx"
    doc = Document(str(path))
    assert doc.core_properties.title == f"Kontrakt {master.aar} – {inst['navn']}"
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_parallel_and_serial_give_the_same_contracts(
    master: Master, made: dict[str, Any], tmp_path: Path
) -> None:
    serial = make_contracts(master, tmp_path, workers=1, today=TODAY)
    assert [p.name for p in serial] == [p.name for p in made["kontrakter"]]
    for a, b in zip(serial, made["kontrakter"], strict=True):
        assert all_text(a) == all_text(b)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], (
        "temporary files left behind"
    )


# --------------------------------------------------------------------------- memos and report


def test_proposal_memo_matches_the_master(master: Master, made: dict[str, Any]) -> None:
    goals = master["maal"][master["maal"]["aar"] == master.aar]
    for udvalg, insts in master["oversigt"].groupby("udvalg"):
        path = memo_of(made, "forslag", udvalg)
        g = goals[goals["udvalg"] == udvalg]
        (summary,) = tables_with_header(path, "Virksomheder", "Har sendt forslag")
        values = [number(x) for x in summary[1]]
        missing = int((insts["status"] == "Mangler").sum())
        own = int((g["indsatsomraade"] == "Eget forslag").sum())
        assert values == [len(insts), len(insts) - missing, missing, len(g), len(g) - own, own]
        # the focus-area overview: one row per institution with proposals, totals per row
        (matrix,) = [t for t in tables_with_header(path, "Virksomhed") if t[0][-1] == "I alt"]
        totals = {r[0]: number(r[-1]) for r in matrix[1:]}
        assert totals == {str(n): int(c) for n, c in g.groupby("navn").size().items()}
        # the rejected proposals, exactly
        rejected = g[g["beslutning"] == "Afvist"]
        tables = tables_with_header(path, "Virksomhed", "Nr.")
        shown = keys_in([r[2] for t in tables if t[0][3] == "Udvalgets bemærkning" for r in t[1:]])
        assert shown == set(rejected["noegle"])
        text = all_text(path)
        counts = Counter(g["beslutning"].dropna())
        if counts:
            assert (
                f"{counts['Godkendt']} er godkendt" in text
                and f"{counts['Afvist']} er afvist" in text
            )
        for _, f in master["fund"][master["fund"]["alvor"] == "fejl"].iterrows():
            if f["virksomhed_id"] in set(insts["virksomhed_id"]):
                assert f["besked"] in text


def test_attainment_memo_matches_the_master(master: Master, made: dict[str, Any]) -> None:
    res = master["resultater"]
    rejected = set(master["maal"][master["maal"]["beslutning"] == "Afvist"]["noegle"])
    current = res[(res["aar"] == master.aar) & ~res["noegle"].isin(rejected)]
    committees = master["udvalg"].set_index("udvalg")
    for udvalg in committees.index:
        path = memo_of(made, "maalopfyldelse", udvalg)
        (summary,) = tables_with_header(path, "Målopfyldelse", "Kontraktmål")
        row = committees.loc[udvalg]
        got = {r[0]: number(r[1]) for r in summary[1:]}
        assert got == {
            "Opfyldt": row["opfyldt"],
            "Delvist opfyldt": row["delvist"],
            "Ikke opfyldt": row["ikke_opfyldt"],
            "Ikke målt": row["ikke_maalt"],
            "I alt": row["maal"],
        }
        (per_inst,) = tables_with_header(path, "Virksomhed", "Mål")
        mine = current[current["udvalg"] == udvalg]
        for r in per_inst[1:-1]:
            levels = Counter(mine[mine["navn"] == r[0]]["maalopfyldelse"])
            assert [number(x) for x in r[1:6]] == [
                sum(levels.values()),
                levels["Opfyldt"],
                levels["Delvist opfyldt"],
                levels["Ikke opfyldt"],
                levels["Ikke målt"],
            ], r[0]
        (per_goal,) = tables_with_header(path, "Virksomhed", "Nr.")
        assert keys_in([r[2] for r in per_goal[1:]]) == set(mine["noegle"])
        years = sorted(res[res["udvalg"] == udvalg]["aar"].unique())
        assert len(years) == 2
        (trend,) = tables_with_header(path, "År", "Mål")
        assert [int(r[0]) for r in trend[1:]] == years
        doc = Document(str(path))
        assert len(doc.inline_shapes) >= 2  # the attainment chart(s) and the trend chart


def test_report_matches_the_master(master: Master, made: dict[str, Any]) -> None:
    path = made["rapport"]
    (table,) = tables_with_header(path, "Fagudvalg", "Virksom\xadheder")
    committees = master["udvalg"].set_index("udvalg")
    assert [r[0] for r in table[1:-1]] == sorted(committees.index)
    assert table[-1][0] == "I alt"
    for r in table[1:-1]:
        row = committees.loc[r[0]]
        assert [number(x) for x in r[1:7]] == [
            row[k]
            for k in ("virksomheder", "maal", "opfyldt", "delvist", "ikke_opfyldt", "ikke_maalt")
        ]
    assert path.name == f"Samlet rapport målopfyldelse {master.aar} - Demokommune.docx"
    text = all_text(path)
    assert "Økonomiudvalget og Kommunalbestyrelsen" in text


def test_memo_file_names(master: Master, made: dict[str, Any]) -> None:
    names = {p.name for p in made["forslag"]}
    assert f"Udvalgsnotat forslag {master.aar} - Børne- og Undervisningsudvalget.docx" in names
    assert len(made["forslag"]) == len(made["maalopfyldelse"]) == master["udvalg"].shape[0]


def test_focus_area_overview_spreads_its_columns(master: Master, made: dict[str, Any]) -> None:
    from docx.oxml.ns import qn

    path = memo_of(made, "forslag", "Børne- og Undervisningsudvalget")
    ctx = memo_context(master, "Børne- og Undervisningsudvalget", "forslag", today=TODAY)
    for t in Document(str(path)).tables:
        if t.rows[0].cells[0].text == "Virksomhed" and t.rows[0].cells[-1].text == "I alt":
            widths = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert len(widths) == len(ctx["omraader"]) + 2
            assert len(set(widths[1:-1])) == 1  # the focus-area columns are equally wide
            assert abs(sum(widths) - 16 * 567) < 600  # and the table keeps the text width
            break
    else:
        pytest.fail("no focus-area overview")


# --------------------------------------------------------------------------- templates and variables


def contexts(master: Master) -> dict[str, dict[str, Any]]:
    d = MasterData(master)
    return {
        "kontrakt": contract_context(d, "V001", today=TODAY),
        "forslag": memo_context(d, "Børne- og Undervisningsudvalget", "forslag", today=TODAY),
        "maalopfyldelse": memo_context(
            d, "Børne- og Undervisningsudvalget", "maalopfyldelse", today=TODAY
        ),
        "rapport": report_context(d, today=TODAY),
    }


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_templates_use_only_variables_that_exist(master: Master, name: str) -> None:
    ctx = contexts(master)[name]
    tpl = DocxTemplate(str(template_path(name)))
    assert tpl.get_undeclared_template_variables(context=ctx) == set()
    used = tpl.get_undeclared_template_variables()
    assert {"kommune", "aar"} <= used <= set(ctx)


def paths_of(value: Any, prefix: str = "") -> set[str]:
    """'maal.titel'-style paths of every value and list in a context (not of plain groups
    such as ``virksomhed``, whose fields are listed instead)."""
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{prefix}.{k}" if prefix else k
            if not isinstance(v, dict):
                out.add(p)
            out |= paths_of(v, p)
    elif isinstance(value, list):
        for item in value:
            out |= paths_of(item, prefix)
    return out


def documented(template_file: str) -> set[str]:
    text = DOCS.read_text("utf-8")
    common = text.split("## Alle skabeloner", 1)[1].split("\n## ", 1)[0]
    section = text.split(f"## {template_file}", 1)[1].split("\n## ", 1)[0]
    return {m for part in (common, section) for m in re.findall(r"^\| `([a-z_.]+)` \|", part, re.M)}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_docs_list_every_variable(master: Master, name: str) -> None:
    ctx = contexts(master)[name]
    assert documented(TEMPLATES[name]) == paths_of(ctx)


def broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "skabeloner"
    folder.mkdir(exist_ok=True)
    for f in TEMPLATES.values():
        shutil.copy(template_path(name).parent / f, folder / f)

    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert old in text
        return text.replace(old, new, 1).encode("utf-8")

    patch_part(folder / TEMPLATES[name], "word/document.xml", edit)
    return folder


def test_unknown_variable_fails_with_a_danish_message(master: Master, tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "kontrakt", "{{ virksomhed.navn }}", "{{ virksomhed_navn }}")
    out = tmp_path / "ud"
    with pytest.raises(SkabelonFejl) as exc:
        make_contracts(master, out, templates=folder, workers=2)
    msg = str(exc.value)
    assert "'virksomhed_navn'" in msg and "som ikke findes" in msg and "kontrakt.docx" in msg
    assert "docs/skabeloner.md" in msg
    assert not out.exists() or not list(out.iterdir()), "nothing is made from a broken template"


def test_unknown_field_fails_with_a_danish_message(master: Master, tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "forslag", "{{ resume.modtaget }}", "{{ resume.modtagne }}")
    with pytest.raises(SkabelonFejl, match="feltet 'modtagne', som ikke findes"):
        make_memos(master, tmp_path / "ud", phase="forslag", templates=folder)


def test_broken_tag_fails_with_a_danish_message(master: Master, tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "rapport", "{%p if har_udvikling %}", "{%p if har_udvikling")
    with pytest.raises(
        SkabelonFejl, match=re.escape("ikke lukket rigtigt i afsnittet »{%p if har_udvikling«")
    ):
        make_report(master, tmp_path / "ud", templates=folder)


def test_templates_are_real_word_documents() -> None:
    for name in TEMPLATES:
        path = template_path(name)
        doc = Document(str(path))
        section = doc.sections[0]
        assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
        styles = {p.style.name for p in doc.paragraphs}
        assert {"Title", "Heading 1"} <= styles
        assert any(t.style.name == "Kontrakttabel" for t in doc.tables)
        assert "{{ kommune }}" in section.header.paragraphs[0].text
        assert "PAGE" in section.footer._element.xml
        with zipfile.ZipFile(path) as z:
            assert 'w:val="da-DK"' in z.read("word/styles.xml").decode()


# --------------------------------------------------------------------------- hostile text

HOSTILE = (
    "A & B <b>fed</b> \"citat\" 'enkelt' {{ kommune }} {% if x %}y{% endif %} {#k#} {_{ 😀 æøå ÆØÅ"
)
LONG = ("Lang beskrivelse med æøå & <tegn>. " * 150)[:5000]


def hostile_master(master: Master) -> Master:
    m = copy_master(master)
    vid = "V001"
    m.settings["kommune"] = 'Kommune & <Co> "A/S"'
    for key in ("oversigt",):
        m.tables[key].loc[m.tables[key]["virksomhed_id"] == vid, "navn"] = f"Skolen {HOSTILE}"
    goals = m.tables["maal"]
    rows = goals.index[(goals["virksomhed_id"] == vid) & (goals["aar"] == m.aar)]
    goals.loc[rows, "beslutning"] = "Godkendt"
    goals.loc[rows[0], "titel"] = f"Mål {HOSTILE}"
    goals.loc[rows[0], "beskrivelse"] = LONG
    goals.loc[rows[0], "indikator"] = "Linje 1\nLinje 2\r\nLinje 3"
    goals.loc[rows[0], "dokumentationskrav"] = "bip\x07bop\x0cslut"
    goals.loc[rows[1], "beslutning"] = "Ændret"
    goals.loc[rows[1], "kommentar"] = f"Ændret: {HOSTILE}"
    res = m.tables["resultater"]
    r = res.index[(res["virksomhed_id"] == vid) & (res["aar"] == m.aar)][0]
    res.loc[r, ["titel", "maalopfyldelse", "forklaring"]] = [
        f"Mål {HOSTILE}",
        "Ikke opfyldt",
        f"Forklaring\n{HOSTILE}",
    ]
    m.tables["gruppe"].loc[m.tables["gruppe"]["virksomhed_id"] == vid, "stilling"] = HOSTILE
    m.tables["dialog"].loc[m.tables["dialog"]["virksomhed_id"] == vid, "udbytte"] = (
        f"To\nlinjer {HOSTILE}"
    )
    return m


def test_hostile_text_renders_literally(master: Master, tmp_path: Path) -> None:
    m = hostile_master(master)
    contracts = make_contracts(m, tmp_path, workers=1, today=TODAY)
    (contract,) = [p for p in contracts if " - V001 " in p.name]
    udvalg = m["oversigt"].set_index("virksomhed_id").loc["V001", "udvalg"]
    memos = make_memos(m, tmp_path, phase="forslag", today=TODAY) + make_memos(
        m, tmp_path, phase="maalopfyldelse", today=TODAY
    )
    text = all_text(contract).replace("\u2060", "")
    assert f"Mål {HOSTILE}" in text
    assert f"Skolen {HOSTILE}" in text
    assert LONG.strip() in text
    assert "Linje 1\nLinje 2\nLinje 3" in text  # line breaks kept as breaks
    assert "bipbopslut" in text
    assert f"Ændret: {HOSTILE}" in text and f"To\nlinjer {HOSTILE}" in text
    assert 'Kommune & <Co> "A/S"' in text  # the header, too
    assert not set('<>:"/\\|?*') & set(contract.name)  # a file name every system accepts
    for memo in memos:
        if udvalg in memo.name:
            memo_text = all_text(memo).replace("\u2060", "")
            assert f"Mål {HOSTILE}" in memo_text
            if "målopfyldelse" in memo.name:
                assert f"Forklaring\n{HOSTILE}" in memo_text
    # the package is well-formed XML that Word's own parser accepts
    with zipfile.ZipFile(contract) as z:
        from lxml import etree

        etree.fromstring(z.read("word/document.xml"))

    if libreoffice.find_soffice() is None:
        print("LibreOffice mangler: PDF-delen af testen er sprunget over")
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    chosen = [contract, next(p for p in memos if udvalg in p.name and "målopfyldelse" in p.name)]
    pdfs = libreoffice.convert(chosen, "pdf", tmp_path / "pdf")
    assert all(p.stat().st_size > 5000 for p in pdfs)
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "A & B <b>fed</b>" in out
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-l", "1", str(pdfs[0]), str(tmp_path / "side")],
            check=True,
        )
        assert list(tmp_path.glob("side*.png"))


# --------------------------------------------------------------------------- PDF


@pytest.mark.libreoffice
def test_pdf_uses_one_libreoffice_for_the_batch(
    master: Master, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if libreoffice.find_soffice() is None:
        print("LibreOffice mangler")
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    small = copy_master(master)
    keep = {"V001", "V002", "V003"}
    for key in ("oversigt", "maal", "resultater", "gruppe", "dialog"):
        small.tables[key] = small.tables[key][small.tables[key]["virksomhed_id"].isin(keep)]
    calls: list[int] = []
    real = libreoffice.convert

    def counting(paths: Any, *args: Any, **kw: Any) -> list[Path]:
        calls.append(len(paths))
        return real(paths, *args, **kw)

    monkeypatch.setattr(libreoffice, "convert", counting)
    docs = make_contracts(small, tmp_path, pdf=True, today=TODAY)
    assert calls == [len(docs)] and len(docs) >= 2
    for d in docs:
        assert d.with_suffix(".pdf").stat().st_size > 5000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_missing_libreoffice_still_gives_the_word_files(
    master: Master, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: None)
    with pytest.raises(PdfFejl) as exc:
        make_report(master, tmp_path, pdf=True, today=TODAY)
    msg = str(exc.value)
    assert "er lavet i" in msg and "LibreOffice blev ikke fundet" in msg
    assert [p.suffix for p in exc.value.documents] == [".docx"]
    assert exc.value.documents[0].is_file()
    assert not list(tmp_path.glob("*.pdf"))


def test_partly_failed_pdf_keeps_what_was_made(
    master: Master, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half(paths: list[Path], fmt: str, outdir: Path, **kw: Any) -> list[Path]:
        made = outdir / (paths[0].stem + ".pdf")
        made.write_bytes(b"%PDF-1.4 test")
        raise libreoffice.ConversionError(
            "LibreOffice kunne ikke konvertere til PDF: x.", paths[1:], [made]
        )

    monkeypatch.setattr(libreoffice, "convert", half)
    with pytest.raises(PdfFejl, match="ikke alle blev til PDF") as exc:
        make_memos(master, tmp_path, phase="forslag", pdf=True, today=TODAY)
    assert [p.name for p in exc.value.pdfs] == [exc.value.documents[0].with_suffix(".pdf").name]
    assert exc.value.pdfs[0].is_file() and len(exc.value.documents) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- charts


def test_charts_are_png_and_split_on_one_scale() -> None:
    labels = [f"Virksomhed {i}" for i in range(95)]
    counts = [(i % 4, 1, i % 3, 0) for i in range(95)]
    charts = distribution_charts(labels, counts)
    assert len(charts) == 3 and sum(len(c.labels) for c in charts) == 95
    assert len({c.xmax for c in charts}) == 1
    png = render_png(charts[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    trend = render_png(Chart("udvikling", ("2026", "2027"), ((5, 2, 1, 0), (6, 1, 1, 1))))
    assert trend[:4] == b"\x89PNG"
    assert render_png(Chart("fordeling", (), ()))[:4] == b"\x89PNG"  # an empty committee


# --------------------------------------------------------------------------- against kontrakt demo


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The master.xlsx that ``kontrakt demo`` makes (the test skips while it makes none)."""
    from toolkit.demo.pipeline import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=20)
    master_file = folder / "master.xlsx"
    if not master_file.is_file():
        print(f"kontrakt demo laver endnu ingen {master_file.name}; testen er sprunget over")
        pytest.skip("kontrakt demo laver endnu ingen master.xlsx")
    return master_file


@pytest.mark.slow
def test_documents_from_the_demo_master(demo_master: Path, tmp_path: Path) -> None:
    out = tmp_path / "dokumenter"
    contracts = make_contracts(demo_master, out, today=TODAY)
    memos = make_memos(demo_master, out, phase="forslag", today=TODAY)
    demo = read_master(demo_master)
    data = MasterData(demo)
    assert len(contracts) >= 15 and len(memos) == len(data.committees()) >= 3
    # the demo master is in the proposal phase: no attainment document full of zeros
    assert not data.has_results(data.year)
    with pytest.raises(IngenResultater, match=f"ingen resultater for {data.year}"):
        make_report(demo_master, out, today=TODAY)
    with pytest.raises(IngenResultater):
        make_memos(demo_master, out, phase="maalopfyldelse", today=TODAY)
    assert not list(out.glob("Samlet rapport*")) and not list(out.glob("*målopfyldelse*"))
    for path in contracts[:5]:
        vid = path.name.split(" - ", 1)[1].split(" ", 1)[0]
        goals = demo["maal"][demo["maal"]["virksomhed_id"] == vid]
        if goals["beslutning"].notna().any():
            goals = goals[goals["beslutning"].isin(APPROVED)]
        assert sorted(contract_goal_titles(path)) == sorted(tekst(t) for t in goals["titel"])


@pytest.mark.slow
def test_command_line(demo_master: Path, tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from toolkit.cli.documents import kontrakter, notater, rapport

    app = typer.Typer()
    for command in (kontrakter, notater, rapport):
        app.command()(command)
    run = CliRunner().invoke
    out = tmp_path / "ud"
    res = run(app, ["kontrakter", "--master", str(demo_master), "--ud", str(out)])
    assert res.exit_code == 0, res.output
    assert re.search(r"\d+ kontrakter lavet i", res.output)
    res = run(
        app, ["notater", "--master", str(demo_master), "--fase", "målopfyldelse", "--ud", str(out)]
    )
    assert res.exit_code == 2 and "ingen resultater" in res.output, res.output
    assert not list(out.glob("Udvalgsnotat målopfyldelse *.docx"))
    res = run(app, ["rapport", "--master", str(demo_master), "--ud", str(out)])
    assert res.exit_code == 2 and "ingen resultater" in res.output, res.output
    assert not list(out.glob("Samlet rapport *.docx"))
    res = run(app, ["notater", "--master", str(demo_master), "--fase", "budget", "--ud", str(out)])
    assert res.exit_code == 2
    res = run(app, ["rapport", "--master", str(tmp_path / "findes-ikke.xlsx"), "--ud", str(out)])
    # rich wraps the message at the terminal's width (a long temp path): compare the words
    assert res.exit_code == 2 and "findes ikke" in " ".join(res.output.split()), res.output


def test_attainment_memo_says_how_a_continued_goal_went_last_year(
    master: Master, tmp_path: Path
) -> None:
    """Issue 8 (history): a goal that continues last year's (Forrige mål-id) shows, in the
    attainment memo's goal table, how that goal went — and only there."""
    m = copy_master(master)
    goals, results = m.tables["maal"], m.tables["resultater"]
    prev = results[(results["aar"] == m.aar - 1) & results["resultat"].notna()].iloc[0]
    now = MasterData(m).results_of(m.aar, prev["udvalg"])[0]  # a contract goal (not rejected)
    goals["forrige"] = goals["noegle"].map({now["noegle"]: prev["noegle"]}).astype(object)
    paths = make_memos(m, tmp_path, phase="maalopfyldelse", today=TODAY)
    text = all_text(next(p for p in paths if str(prev["udvalg"]) in p.name))
    want = f"Fortsætter mål {int(prev['nr'])} i kontrakt {m.aar - 1}: "
    assert want in text and text.count("Fortsætter mål") == 1, text[:3000]
