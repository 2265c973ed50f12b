"""Committee-ready documents (issue 9): a dagsordenspunkt a politician can read, numbers that
add up, accessible Word and PDF files, templates that cannot silently lose text.

The documents are read back (python-docx for the Word text and XML, pdftotext/pdfinfo for
the PDFs) and every count is compared with the master, computed here from its tables.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from sample_master import sample_master

from toolkit.documents import (
    make_contracts,
    make_memos,
    make_report,
    memo_context,
)
from toolkit.documents.charts import Chart, alt_text
from toolkit.documents.formatting import antal, flertal
from toolkit.documents.make import make_pdfs
from toolkit.documents.shared import IngenResultater
from toolkit.master.model import Master
from toolkit.office import libreoffice

TODAY = date(2026, 11, 23)
BOU = "Børne- og Undervisningsudvalget"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
LEVELS = ["Opfyldt", "Delvist opfyldt", "Ikke opfyldt", "Ikke målt"]


def _copy(m: Master) -> Master:
    return Master(dict(m.settings), {k: v.copy() for k, v in m.tables.items()}, m.path)


@pytest.fixture(scope="module")
def master() -> Master:
    return sample_master(16, seed=909)


@pytest.fixture(scope="module")
def docs(master: Master, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("udvalg")
    forslag = make_memos(master, out, phase="forslag", today=TODAY)
    maal = make_memos(master, out, phase="maalopfyldelse", today=TODAY)
    return {
        "kontrakt": make_contracts(master, out, workers=1, today=TODAY)[0],
        "forslag": next(p for p in forslag if BOU in p.name),
        "maalopfyldelse": next(p for p in maal if BOU in p.name),
        "rapport": make_report(master, out, today=TODAY),
    }


def text_of(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def table(path: Path, first: str, second: str) -> list[list[str]]:
    (rows,) = [
        [[c.text for c in r.cells] for r in t.rows]
        for t in Document(str(path)).tables
        if t.rows and [c.text for c in t.rows[0].cells][:2] == [first, second]
    ]
    return rows


def n(text: str) -> int:
    return int(text.replace(".", "").strip())


def body_xml(path: Path) -> Any:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


# --------------------------------------------------------------------------- numbers


def test_proposal_memo_counts_equal_the_master(master: Master, docs: dict[str, Path]) -> None:
    path = docs["forslag"]
    goals = master["maal"][
        (master["maal"]["aar"] == master.aar) & (master["maal"]["udvalg"] == BOU)
    ]
    insts = master["oversigt"][master["oversigt"]["udvalg"] == BOU]
    missing = int((insts["status"] == "Mangler").sum())
    own = int((goals["indsatsomraade"].fillna("Eget forslag") == "Eget forslag").sum())
    text = text_of(path)
    assert (
        f"{len(insts)} virksomheder under {BOU} er omfattet af kontraktstyring. "
        f"{len(insts) - missing} har sendt forslag til i alt {len(goals)} kontraktmål for "
        f"{master.aar}: {len(goals) - own} under udvalgets politiske indsatsområder og {own} "
    ) in text
    assert "har kontrakt" not in text
    decisions = table(path, "Udvalgets beslutning", "Forslag")
    c = Counter(goals["beslutning"].fillna("-"))
    got = {r[0]: n(r[1]) for r in decisions[1:]}
    assert got == {
        "Godkendt": c["Godkendt"],
        "Godkendt med ændringer": c["Ændret"],
        "Afvist": c["Afvist"],
        "Ikke behandlet": c["-"],
        "I alt": len(goals),
    }
    assert sum(v for k, v in got.items() if k != "I alt") == got["I alt"]
    # the focus-area chart's alt text names the total
    assert f"i alt {len(goals)}." in alt_texts(path)[0]


def test_attainment_memo_counts_add_up(master: Master, docs: dict[str, Path]) -> None:
    path = docs["maalopfyldelse"]
    res = master["resultater"]
    rejected = set(master["maal"][master["maal"]["beslutning"] == "Afvist"]["noegle"])
    mine = res[(res["aar"] == master.aar) & (res["udvalg"] == BOU) & ~res["noegle"].isin(rejected)]
    levels = Counter(mine["maalopfyldelse"].fillna("Ikke vurderet"))
    rows = table(path, "Målopfyldelse", "Kontraktmål")
    got = {r[0]: n(r[1]) for r in rows[1:]}
    assert got.pop("I alt") == len(mine) == sum(got.values())
    assert got == {k: levels[k] for k in got} and set(levels) <= set(got)
    per_inst = table(path, "Virksomhed", "Mål")
    for r in per_inst[1:]:
        assert n(r[1]) == sum(n(x) for x in r[2:7]), r  # each row: total = its parts
    for col in range(1, 7):  # each column: the I alt row = the sum of the rows
        assert n(per_inst[-1][col]) == sum(n(r[col]) for r in per_inst[1:-1])
    text = text_of(path)
    for k in LEVELS:
        noun = " mål" if k == LEVELS[0] else ""  # "18 mål blev opfyldt (55 %), 4 blev delvist …"
        assert f"{levels[k]}{noun} blev {k.lower()}" in text
    assert f"i alt {len(mine)} kontraktmål" in text


def test_report_counts_add_up(master: Master, docs: dict[str, Path]) -> None:
    path = docs["rapport"]
    committees = master["udvalg"].set_index("udvalg")
    rows = table(path, "Fagudvalg", "Virksom\xadheder")
    for r in rows[1:-1]:
        row = committees.loc[r[0]]
        assert [n(x) for x in r[1:7]] == [
            row[k]
            for k in ("virksomheder", "maal", "opfyldt", "delvist", "ikke_opfyldt", "ikke_maalt")
        ]
        assert n(r[2]) == sum(n(x) for x in r[3:8])
    for col in range(1, 8):
        assert n(rows[-1][col]) == sum(n(r[col]) for r in rows[1:-1])
    text = text_of(path)
    assert "projektets formål" not in text and "har kontrakt" not in text
    assert f"{committees['maal'].sum()} kontraktmål" in text
    # the committee chart compares committees: in percentages
    assert "Søjlediagram over målopfyldelse i procent" in alt_texts(path)[0]


def test_attainment_documents_are_refused_without_results(master: Master, tmp_path: Path) -> None:
    m = _copy(master)
    res = m.tables["resultater"]
    this_year = res["aar"] == m.aar
    for col in ("resultat", "manuel"):
        res.loc[this_year, col] = None
    res.loc[this_year, ["beregnet", "maalopfyldelse"]] = "Ikke målt"
    with pytest.raises(IngenResultater, match=f"ingen resultater for {m.aar}"):
        make_report(m, tmp_path, today=TODAY)
    with pytest.raises(
        IngenResultater, match="Udvalgsnotaterne om målopfyldelse laves derfor ikke"
    ):
        make_memos(m, tmp_path, phase="maalopfyldelse", today=TODAY)
    assert not list(tmp_path.iterdir())


def test_indstilling_never_recommends_the_rejected(master: Master) -> None:
    goals = master["maal"]
    goals = goals[(goals["aar"] == master.aar) & (goals["udvalg"] == BOU)]
    c = Counter(goals["beslutning"].fillna("-"))
    ctx = memo_context(master, BOU, "forslag", today=TODAY)
    first = ctx["indstilling"][0]
    assert first.startswith(f"godkender {c['Godkendt'] + c['Ændret']} kontraktmål")
    assert c["Afvist"] and any("afviste forslag" in p for p in ctx["indstilling"])
    # without decisions: only the proposals of institutions without errors are recommended
    m = _copy(master)
    m.tables["maal"]["beslutning"] = None
    m.tables["maal"]["kommentar"] = None
    ctx = memo_context(m, BOU, "forslag", today=TODAY)
    ov = m["oversigt"][m["oversigt"]["udvalg"] == BOU]
    ok = set(ov[~ov["status"].isin(["Fejl", "Mangler"])]["virksomhed_id"])
    n_ok = int(goals["virksomhed_id"].isin(ok).sum())
    assert ctx["indstilling"][0].startswith(f"godkender de {n_ok} foreslåede kontraktmål")
    assert ctx["indstilling"][-1].endswith(".") and all(
        p.endswith((",", ", og")) for p in ctx["indstilling"][:-1]
    )


def test_danish_number_agreement() -> None:
    assert antal(1, "fejl", "fejl") == "1 fejl"
    assert antal(1, "advarsel", "advarsler") == "1 advarsel"
    assert antal(2, "advarsel", "advarsler") == "2 advarsler"
    assert antal(1234, "virksomhed", "virksomheder") == "1.234 virksomheder"
    assert flertal(1, "den virksomhed", "de 2 virksomheder") == "den virksomhed"


def test_memo_sentences_agree_in_number(master: Master) -> None:
    m = _copy(master)
    ov = m.tables["oversigt"]
    bou = ov.index[ov["udvalg"] == BOU]
    ov.loc[bou, "status"] = "Modtaget"
    ov.loc[bou[0], "status"] = "Mangler"
    ov.loc[bou[1], "status"] = "Fejl"
    ctx = memo_context(m, BOU, "forslag", today=TODAY)
    words = " ".join([ctx["resume_tekst"], *ctx["indstilling"]])
    assert "1 virksomhed mangler at sende forslag" in words
    assert "1 virksomhed har stadig fejl i sit forslag" in words
    assert "beder den virksomhed, der ikke har sendt forslag" in words
    assert not re.search(r"\b1 virksomheder\b|\bde 1\b|\b1 advarsler\b", words)


# --------------------------------------------------------------------------- accessibility


def alt_texts(path: Path) -> list[str]:
    return [pr.get("descr") or "" for pr in body_xml(path).iter(f"{WP}docPr")]


def test_pictures_have_alt_text_and_unique_names(docs: dict[str, Path]) -> None:
    for name in ("forslag", "maalopfyldelse", "rapport"):
        prs = list(body_xml(docs[name]).iter(f"{WP}docPr"))
        assert prs, name
        for pr in prs:
            assert re.search(r"\d", pr.get("descr") or ""), (name, pr.attrib)
        assert len({pr.get("id") for pr in prs}) == len(prs)
        assert len({pr.get("name") for pr in prs}) == len(prs)


def test_tables_have_captions_repeated_headers_and_rows_that_never_split(
    docs: dict[str, Path],
) -> None:
    for name, path in docs.items():
        root = body_xml(path)
        for tbl in root.iter(qn("w:tbl")):
            caption = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
            assert caption is not None and caption.get(qn("w:val")), name
            assert caption.get(qn("w:val")) != "Dynamiske kolonner"
            rows = tbl.findall(qn("w:tr"))
            for tr in rows:
                assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, name
        # a table with a header row marks it to repeat on every page
        headed = [
            t for t in Document(str(path)).tables if t._tbl.tblPr.find(qn("w:tblLook")) is not None
        ]
        for t in headed:
            look = t._tbl.tblPr.find(qn("w:tblLook"))
            if look.get(qn("w:firstRow")) == "1":
                assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_chart_names_are_never_clipped() -> None:
    from toolkit.documents import charts

    long = "Plejecenter og aktivitetscenter Sommerfuglen i Avedøre Stationsby"
    chart = Chart("fordeling", (long, "Kort"), ((1, 2, 0, 1, 0), (3, 0, 0, 0, 0)))
    fig = charts._draw_distribution(chart)
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text() == charts._short(long)]
    assert texts and all(t.get_window_extent(renderer).x0 >= 0 for t in texts)
    assert "Kort: 3 mål, 3 opfyldt" in alt_text(chart)


# --------------------------------------------------------------------------- LibreOffice: PDF and pages


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout.split("\f")


@pytest.mark.libreoffice
def test_every_document_as_tagged_pdf_a_with_the_indstilling_on_page_1(
    master: Master, docs: dict[str, Path], tmp_path: Path
) -> None:
    if libreoffice.find_soffice() is None or shutil.which("pdfinfo") is None:
        pytest.skip("LibreOffice eller poppler-utils er ikke installeret")
    pdfs = dict(zip(docs, make_pdfs(list(docs.values()), tmp_path / "pdf"), strict=True))
    for name, pdf in pdfs.items():
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), (name, info)
        meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True).stdout
        assert "<pdfaid:part>2</pdfaid:part>" in meta, name
        assert b"/Lang(da-DK)" in pdf.read_bytes(), name  # the document language
        assert re.search(r"^Title:\s+\S", info, re.M)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-l", "1", str(pdf), str(tmp_path / name)], check=True
        )
        assert list(tmp_path.glob(f"{name}*.png"))
    for name in ("forslag", "maalopfyldelse", "rapport"):
        page1 = pdf_pages(pdfs[name])[0]
        assert "Resumé" in page1 and "Indstilling" in page1, name
        fase = {"forslag": "forslag", "maalopfyldelse": "maalopfyldelse"}.get(name)
        if fase:
            first_point = memo_context(master, BOU, fase, today=TODAY)["indstilling"][0]  # type: ignore[arg-type]
            assert " ".join(first_point.split()[:4]) in " ".join(page1.split()), name
        assert "Bilag 1" not in page1
    contract = " ".join(" ".join(pdf_pages(pdfs["kontrakt"])).split())
    for section in (
        "Parterne",
        "Formål",
        "Politiske indsatsområder",
        "Kontraktmål",
        "Økonomisk ramme",
        "Ændringer undervejs",
        "Opfølgning",
        "Underskrifter",
    ):
        assert section in contract
