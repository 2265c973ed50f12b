"""Create the Word templates in this folder: ``python templates/make_templates.py``.

The templates are ordinary .docx files with docxtpl/Jinja tags (``{{ navn }}``,
``{%p if ... %}``, ``{%tr for ... %}``). Kontraktservice edits them in Word afterwards;
this script only makes the first version, with real Word styles (Title, Heading 1-3, the
table style "Kontrakttabel", the paragraph styles "Tabeltekst", "Tabeloverskrift" and
"Bemærkning"), A4 pages, the municipality's name in the header and page numbers as a
PAGE field in the footer. Every text is Danish. The variables each template may use are
documented in ``docs/skabeloner.md``.

The templates may have been edited in Word, so re-running refuses to overwrite them
unless asked: ``python templates/make_templates.py --overskriv``. A test keeps the committed
templates equal to what this script makes (``OUT`` can point elsewhere for that).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
TEMPLATE_FILES = ("kontrakt.docx", "udvalgsnotat_forslag.docx",
                  "udvalgsnotat_maalopfyldelse.docx", "samlet_rapport.docx")  # fmt: skip
FONT = "Arial"
INK = RGBColor(0x1F, 0x2A, 0x44)  # dark blue-grey: prints as near-black
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) minus 2.5 cm margins

# Column widths (cm) that add up to the text width.
Widths = Sequence[float]


# --------------------------------------------------------------------------- styles


TABLE_STYLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Kontrakttabel">
  <w:name w:val="Kontrakttabel"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr>
    <w:tblStyleRowBandSize w:val="1"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="45" w:type="dxa"/>
      <w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/>
      <w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="band2Horz">
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""

PLAIN_TABLE_STYLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Tabeluden">
  <w:name w:val="Tabel uden kanter"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="60"/>
  <w:qFormat/>
  <w:tblPr>
    <w:tblCellMar>
      <w:top w:w="0" w:type="dxa"/>
      <w:left w:w="0" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/>
      <w:right w:w="113" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
</w:style>
"""


# Child order of the elements we touch, from the WordprocessingML schema: Word refuses files
# whose children are out of order, so every element is inserted at its place.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)  # fmt: skip
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath",
)  # fmt: skip
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
)  # fmt: skip


def put(parent: OxmlElement, child: OxmlElement, order: Sequence[str]) -> OxmlElement:
    """Insert ``child`` into ``parent`` at its schema position, replacing an existing twin."""
    local = child.tag.split("}")[1]
    existing = parent.find(child.tag)
    if existing is not None:
        parent.replace(existing, child)
        return child
    later = set(order[order.index(local) + 1 :])
    for i, el in enumerate(parent):
        if el.tag.split("}")[-1] in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _el(tag: str, **attrs: str) -> OxmlElement:
    el = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), v)
    return el


def _set_fonts(rpr_parent: OxmlElement, size_pt: float | None = None) -> None:
    """Arial for every script, Danish language, on a w:rPr (docDefaults or a style)."""
    rpr = rpr_parent
    put(rpr, _el("rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT), RPR_ORDER)
    put(rpr, _el("lang", val="da-DK", eastAsia="da-DK", bidi="ar-SA"), RPR_ORDER)
    if size_pt is not None:
        half_points = str(int(size_pt * 2))
        put(rpr, _el("sz", val=half_points), RPR_ORDER)
        put(rpr, _el("szCs", val=half_points), RPR_ORDER)


def setup_styles(doc: DocumentObject) -> None:
    styles = doc.styles
    # Document defaults: Arial 10.5 pt, Danish.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, 10.5)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _set_fonts(normal.element.get_or_add_rPr())

    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
        st = styles[name]
        st.font.name = FONT
        _set_fonts(st.element.get_or_add_rPr())

    for name in ("Header", "Footer"):
        ppr = styles[name].element.get_or_add_pPr()
        tabs = _el("tabs")
        tabs.append(_el("tab", val="right", pos=str(int(TEXT_WIDTH_CM * 567))))
        put(ppr, tabs, PPR_ORDER)

    title = styles["Title"]
    title.font.size = Pt(24)
    title.font.bold = False
    title.font.color.rgb = INK
    title.paragraph_format.space_after = Pt(4)
    subtitle = styles["Subtitle"]
    subtitle.font.size = Pt(14)
    subtitle.font.italic = False
    subtitle.font.color.rgb = GREY
    subtitle.paragraph_format.space_after = Pt(14)

    for name, size, before in (("Heading 1", 14, 18), ("Heading 2", 12, 12), ("Heading 3", 11, 10)):
        st = styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = INK
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True

    for name in ("List Bullet", "List Number"):
        st = styles[name]
        st.paragraph_format.space_after = Pt(3)

    cell = styles.add_style("Tabeltekst", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.space_before = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    cell.quick_style = True

    head = styles.add_style("Tabeloverskrift", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = cell
    head.font.bold = True
    head.font.size = Pt(8.5)
    head.quick_style = True

    num = styles.add_style("Tabeltal", WD_STYLE_TYPE.PARAGRAPH)
    num.base_style = cell
    num.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    num.quick_style = True

    note = styles.add_style("Bemærkning", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.paragraph_format.left_indent = Cm(0.4)
    note.quick_style = True
    ppr = note.element.get_or_add_pPr()
    border = _el("pBdr")
    border.append(_el("left", val="single", sz="18", space="8", color="7F7F7F"))
    put(ppr, border, PPR_ORDER)
    put(ppr, _el("shd", val="clear", color="auto", fill="F2F2F2"), PPR_ORDER)

    small = styles.add_style("Lille tekst", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9)
    small.font.color.rgb = GREY
    small.quick_style = True

    styles.element.append(parse_xml(TABLE_STYLE_XML))
    styles.element.append(parse_xml(PLAIN_TABLE_STYLE_XML))


# --------------------------------------------------------------------------- page, header, footer


def _field(paragraph: Paragraph, code: str, placeholder: str = "1") -> None:
    """Insert a complex field (PAGE, NUMPAGES) that Word and LibreOffice update."""
    for kind, text in (
        ("begin", None),
        ("instr", code),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text or ""
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def setup_page(doc: DocumentObject, header_right: str, footer_left: str) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2.2)
    section.header_distance = Cm(1.1)
    section.footer_distance = Cm(1.0)

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    run = header.add_run("{{ kommune }}")
    run.bold = True
    run.font.color.rgb = INK
    run = header.add_run("\t" + header_right)
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    _bottom_border(header)

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    run = footer.add_run(footer_left + "\tSide ")
    footer.add_run()
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")
    for r in footer.runs:
        r.font.size = Pt(8.5)
        r.font.color.rgb = GREY


def _bottom_border(paragraph: Paragraph) -> None:
    border = _el("pBdr")
    border.append(_el("bottom", val="single", sz="4", space="4", color="7F7F7F"))
    put(paragraph._p.get_or_add_pPr(), border, PPR_ORDER)


def new_document(title: str, header_right: str, footer_left: str) -> DocumentObject:
    doc = Document()
    setup_styles(doc)
    setup_page(doc, header_right, footer_left)
    # python-docx's default template starts with one empty paragraph: remove it.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    settings = doc.settings.element
    tab = settings.find(qn("w:defaultTabStop"))
    if tab is not None:
        tab.addnext(_el("autoHyphenation"))
    props = doc.core_properties
    props.title = title
    props.author = "Kontraktservice"
    props.last_modified_by = "Kontraktservice"
    props.comments = ""
    props.subject = "Dialogbaseret kontraktstyring"
    props.keywords = "kontraktstyring; skabelon"
    props.language = "da-DK"
    props.created = props.modified = datetime(2026, 11, 23, 12, 0)
    props.revision = 1
    return doc


# --------------------------------------------------------------------------- building blocks


def para(doc: DocumentObject, *parts: str | tuple[str, str], style: str | None = None) -> Paragraph:
    """A paragraph from plain strings and ``("b", text)`` / ``("i", text)`` bold/italic runs."""
    p = doc.add_paragraph(style=style)
    for part in parts:
        if isinstance(part, tuple):
            kind, text = part
            run = p.add_run(text)
            run.bold = kind == "b"
            run.italic = kind == "i"
        else:
            p.add_run(part)
    return p


def tag(doc: DocumentObject, text: str) -> Paragraph:
    """A paragraph that holds only a template tag such as ``{%p if x %}`` (removed on rendering)."""
    return doc.add_paragraph(text)


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    return doc.add_heading(text, level=level)


#: A cell: plain text, or a list of paragraphs, each a list of text parts where a part is a
#: string or ("b"|"i", text) for a bold or italic run.
Part = str | tuple[str, str]
Cell = str | Sequence[Sequence[Part]]


def _cell_text(cell: Any, spec: Cell, style: str) -> None:
    paragraphs = [[spec]] if isinstance(spec, str) else spec
    for i, parts in enumerate(paragraphs):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.style = style
        for part in parts:
            kind, text = part if isinstance(part, tuple) else ("", part)
            run = p.add_run(text)
            run.bold = True if kind == "b" else None
            run.italic = True if kind == "i" else None


def _set_widths(table: Table, widths: Widths) -> None:
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    put(tbl_pr, _el("tblW", w=str(int(sum(widths) * 567)), type="dxa"), TBLPR_ORDER)
    put(tbl_pr, _el("tblLayout", type="fixed"), TBLPR_ORDER)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)


def _look(table: Table, first_row: bool = True, banded: bool = True) -> None:
    look = _el(
        "tblLook",
        val="04A0" if first_row else "0400",
        firstRow="1" if first_row else "0",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="0" if banded else "1",
        noVBand="1",
    )
    put(table._tbl.tblPr, look, TBLPR_ORDER)


def _header_row(table: Table) -> None:
    """Mark the first row as a header row that repeats on every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _rows_whole(table: Table) -> None:
    """No row splits across pages (``w:cantSplit`` first in every row's properties)."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _caption(table: Table, caption: str, description: str = "") -> None:
    """The table's title (and description) for screen readers: Word's "Alternativ tekst"."""
    put(table._tbl.tblPr, _el("tblCaption", val=caption), TBLPR_ORDER)
    if description:
        put(table._tbl.tblPr, _el("tblDescription", val=description), TBLPR_ORDER)


def _intro_with_table(doc: DocumentObject) -> None:
    """The paragraph that introduces a table stays on the table's page (tags are skipped:
    they are removed on rendering)."""
    for p in reversed(doc.paragraphs):
        if not p.text.startswith("{%"):
            picture = p.text.startswith("{{") and p.text.endswith("}}")
            if p.text and not picture and not p.style.name.startswith("Heading"):
                p.paragraph_format.keep_with_next = True
            return


def keep_next(p: Paragraph) -> Paragraph:
    """Keep ``p`` on the page of the next paragraph (a heading's intro with its figure)."""
    p.paragraph_format.keep_with_next = True
    return p


def loop_table(
    doc: DocumentObject,
    headers: Sequence[str],
    cells: Sequence[Cell],
    loop: str,
    widths: Widths,
    numeric: Sequence[int] = (),
    *,
    caption: str,
    total: Sequence[Cell] = (),
) -> Table:
    """A table with a header row, one row repeated by ``{%tr for <loop> %}`` and, with
    ``total``, a bold total row after the loop."""
    _intro_with_table(doc)
    table = doc.add_table(rows=5 if total else 4, cols=len(headers))
    table.style = doc.styles["Kontrakttabel"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _look(table)
    for i, h in enumerate(headers):
        _cell_text(table.rows[0].cells[i], h, "Tabeloverskrift")
    _cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}", "Tabeltekst")
    for i, c in enumerate(cells):
        _cell_text(table.rows[2].cells[i], c, "Tabeltal" if i in numeric else "Tabeltekst")
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", "Tabeltekst")
    for i, c in enumerate(total):
        _cell_text(table.rows[4].cells[i], c, "Tabeltal" if i in numeric else "Tabeltekst")
        for run in table.rows[4].cells[i].paragraphs[0].runs:
            run.bold = True
    _set_widths(table, widths)
    _header_row(table)
    _rows_whole(table)
    _caption(table, caption)
    doc.add_paragraph(style="Lille tekst")  # breathing space after the table
    return table


def fixed_table(
    doc: DocumentObject,
    rows: Sequence[Sequence[str]],
    widths: Widths,
    *,
    header: bool = True,
    numeric: Sequence[int] = (),
    plain: bool = False,
    caption: str,
) -> Table:
    """A table whose rows are given (cells may hold tags); first row bold if ``header``."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Tabel uden kanter" if plain else "Kontrakttabel"]
    _look(table, first_row=header, banded=not plain)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            style = (
                "Tabeloverskrift"
                if header and r == 0
                else ("Tabeltal" if c in numeric else "Tabeltekst")
            )
            _cell_text(table.rows[r].cells[c], text, style)
    _set_widths(table, widths)
    if header:
        _header_row(table)
    _rows_whole(table)
    _caption(table, caption)
    if not plain:
        doc.add_paragraph(style="Lille tekst")
    return table


def memo_head(doc: DocumentObject, title: str, subject: str) -> None:
    """Title and the memo's 'Til / Fra / Dato / Sag' block."""
    doc.add_paragraph(title, style="Title")
    para(doc, "{{ udvalg }}", style="Subtitle")
    fixed_table(
        doc,
        [
            ["Til:", "{{ udvalg }}"],
            ["Fra:", "Kontraktservice"],
            ["Dato:", "{{ dato }}"],
            ["Sag:", subject],
        ],
        [2.0, 14.0],
        header=False,
        plain=True,
        caption="Notatets modtager, afsender og dato",
    )
    doc.add_paragraph()


#: The built-in styles the templates use or Word users expect; the rest of python-docx's
#: 160-odd default styles are removed (they made every document 800 kB of XML to parse).
KEEP_STYLES = {
    "Normal", "Default Paragraph Font", "Normal Table", "No List", "Title", "Subtitle",
    "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Header", "Footer", "List Bullet",
    "List Number", "List Paragraph", "Table Grid", "Caption", "Quote", "Strong", "Emphasis",
    "Hyperlink", "Tabeltekst", "Tabeloverskrift", "Tabeltal", "Bemærkning", "Lille tekst",
    "Kontrakttabel", "Tabel uden kanter",
}  # fmt: skip
DROP_PARTS = ("stylesWithEffects", "customXml", "thumbnail")


def slim(doc: DocumentObject) -> None:
    """Remove unused styles and parts (stylesWithEffects, customXml, thumbnail)."""
    root = doc.styles.element
    styles = root.findall(qn("w:style"))
    by_id = {st.get(qn("w:styleId")): st for st in styles}
    keep: set[str] = set()
    todo = [
        st.get(qn("w:styleId"))
        for st in styles
        if (st.find(qn("w:name")).get(qn("w:val")) or "").lower()
        in {k.lower() for k in KEEP_STYLES}
    ]
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, st in by_id.items():
        if sid not in keep:
            root.remove(st)
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid in [
            rid for rid, rel in rels.items() if rel.reltype.rsplit("/", 1)[-1] in DROP_PARTS
        ]:
            del rels[rid]


#: Where :func:`save` writes (a test points it at a temporary folder).
OUT: list[Path] = [HERE]


def save(doc: DocumentObject, name: str) -> Path:
    slim(doc)
    path = OUT[0] / name
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- kontrakt.docx


def make_contract() -> Path:
    doc = new_document(
        "Kontrakt", "Kontrakt {{ aar }}", "Kontrakt {{ aar }} · {{ virksomhed.navn }}"
    )
    doc.add_paragraph("Kontrakt {{ aar }}", style="Title")
    para(doc, "{{ virksomhed.navn }}", style="Subtitle")

    tag(doc, "{%p if er_forslag %}")
    para(
        doc,
        ("b", "Forslag. "),
        "{{ virksomhed.udvalg }} har endnu ikke behandlet målene. Kontrakten viser derfor "
        "virksomhedens forslag og gælder først, når udvalget har godkendt dem.",
        style="Bemærkning",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if for_faa_maal %}")
    para(doc, ("b", "Ikke færdig. "), "{{ for_faa_maal }}", style="Bemærkning")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if antal_ikke_behandlet %}")
    para(
        doc,
        ("b", "Bemærk: "),
        "{{ antal_ikke_behandlet }} af virksomhedens forslag er endnu ikke behandlet af udvalget "
        "og indgår derfor ikke i kontrakten.",
        style="Bemærkning",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "1. Parterne")
    para(doc, "Kontrakten er indgået mellem:")
    para(
        doc,
        ("b", "Kommunalbestyrelsen i {{ kommune }}"),
        ", repræsenteret ved {{ virksomhed.udvalg }}, og",
        style="List Bullet",
    )
    para(
        doc,
        ("b", "{{ virksomhed.navn }}"),
        " ({{ virksomhed.type }}, {{ virksomhed.id }})"
        "{% if virksomhed.leder %}, repræsenteret ved {{ virksomhed.leder }}, der er leder og "
        "formand for kontraktgruppen{% endif %}.",
        style="List Bullet",
    )
    tag(doc, "{%p if virksomhed.beskrivelse %}")
    heading(doc, "Kort om virksomheden", 2)
    para(doc, "{{ virksomhed.beskrivelse }}")
    tag(doc, "{%p endif %}")

    heading(doc, "2. Kontraktperiode")
    para(
        doc,
        "Kontrakten gælder for kontraktåret {{ aar }}, fra {{ periode.start }} til {{ periode.slut }}.",
    )

    heading(doc, "3. Formål")
    para(
        doc,
        "{{ kommune }} styrer sine virksomheder med dialogbaseret kontraktstyring. Kontrakten "
        "er en skriftlig aftale mellem det politiske niveau og virksomheden om de mål, "
        "virksomheden skal arbejde med i året, og om hvordan de måles. Målene skal styrke "
        "brugernes tilfredshed, medarbejdernes inddragelse og trivsel og dialogen mellem "
        "brugere, virksomhed og kommune. Virksomheden vælger selv, hvordan målene nås.",
    )
    para(
        doc,
        "Målene er udarbejdet af virksomhedens kontraktgruppe på grundlag af dialog med "
        "brugere og medarbejdere i {{ forrige_aar }}.",
    )

    heading(doc, "4. Politiske indsatsområder")
    para(doc, "{{ virksomhed.udvalg }} har meldt disse indsatsområder ud for {{ aar }}:")
    tag(doc, "{%p for o in indsatsomraader %}")
    para(
        doc,
        ("b", "{{ o.titel }}"),
        "{% if o.beskrivelse %}: {{ o.beskrivelse }}{% endif %}",
        style="List Bullet",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not indsatsomraader %}")
    para(doc, "Udvalget har ikke meldt politiske indsatsområder ud for {{ aar }}.")
    tag(doc, "{%p endif %}")

    heading(doc, "5. Kontraktmål")
    para(
        doc,
        "Virksomheden arbejder i {{ aar }} med disse kontraktmål. Resultaterne måles efter de "
        "metoder og dokumenteres efter de krav, der står under hvert mål.",
    )
    loop_table(
        doc,
        ["Nr.", "Kontraktmål", "Indikator og målemetode", "Udgangspunkt og målværdi",
         "Ansvarlig og frist"],
        ["{{ m.nr }}",
         [[("b", "{{ m.titel }}")]],
         [["{{ m.indikator }}"], [("i", "Metode: "), "{{ m.maalemetode }}"]],
         [[("i", "Udgangspunkt: "), "{{ m.udgangspunkt }}"], [("i", "Målværdi: "), "{{ m.maalvaerdi }}"]],
         [["{{ m.ansvarlig }}"], [("i", "Frist: "), "{{ m.frist }}"]]],
        "m in maal",
        [0.8, 4.3, 4.7, 3.5, 2.7],
        caption="Kontraktmål med indikator, målemetode, udgangspunkt, målværdi, ansvarlig og frist",
    )  # fmt: skip
    heading(doc, "Målenes indhold", 2)
    tag(doc, "{%p for m in maal %}")
    heading(doc, "Mål {{ m.nr }}: {{ m.titel }}", 3)
    para(
        doc,
        ("i", "Indsatsområde: "),
        "{{ m.indsatsomraade }}",
        ("i", "   Måltype: "),
        "{{ m.maaltype }}",
        "{% if m.enhed %}",
        ("i", "   Enhed: "),
        "{{ m.enhed }}{% endif %}",
        "{% if m.beslutning %}",
        ("i", "   Udvalgets beslutning: "),
        "{{ m.beslutning }}{% endif %}",
        style="Lille tekst",
    )
    para(doc, "{{ m.beskrivelse }}")
    para(doc, ("i", "Dokumentation: "), "{{ m.dokumentationskrav }}")
    tag(doc, "{%p if m.forrige %}")
    para(doc, ("i", "Sidste år: "), "{{ m.forrige }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if m.kommentar %}")
    para(doc, ("b", "Udvalgets bemærkning: "), "{{ m.kommentar }}", style="Bemærkning")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    heading(doc, "6. Økonomisk ramme")
    tag(doc, "{%p if virksomhed.oekonomisk_ramme %}")
    para(doc, "{{ virksomhed.oekonomisk_ramme }}")
    tag(doc, "{%p else %}")
    para(
        doc,
        "Kontrakten ændrer ikke virksomhedens økonomiske ramme. Rammen fastlægges i kommunens "
        "budget, og målene nås inden for den.",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "7. Kontraktgruppe og dialog")
    para(
        doc,
        "Kontraktgruppen koordinerer arbejdet med kontrakten i virksomheden og organiserer "
        "dialogen med brugere og medarbejdere. Lederen er formand, og medarbejderne er "
        "repræsenteret i gruppen.",
    )
    tag(doc, "{%p if gruppe %}")
    loop_table(
        doc,
        ["Navn", "Rolle", "Stilling/funktion"],
        ["{{ p.navn }}", "{{ p.rolle }}", "{{ p.stilling }}"],
        "p in gruppe",
        [5.0, 4.5, 6.5],
        caption="Kontraktgruppens medlemmer",
    )
    tag(doc, "{%p else %}")
    para(doc, "Virksomheden har ikke oplyst kontraktgruppens medlemmer.")
    tag(doc, "{%p endif %}")
    para(doc, "Målene bygger på denne dialog, som virksomheden har holdt i {{ forrige_aar }}:")
    tag(doc, "{%p if dialog %}")
    loop_table(
        doc,
        ["Dato", "Med hvem", "Form", "Deltagere", "Tema og udbytte"],
        ["{{ d.dato }}", "{{ d.med_hvem }}", "{{ d.form }}", "{{ d.deltagere }}",
         "{{ d.tema }}{% if d.udbytte %}. {{ d.udbytte }}{% endif %}"],
        "d in dialog",
        [2.6, 2.6, 3.4, 1.9, 5.5],
        numeric=(3,),
        caption="Dialog med brugere og medarbejdere",
    )  # fmt: skip
    tag(doc, "{%p else %}")
    para(doc, "Der er ikke registreret dialogaktiviteter.")
    tag(doc, "{%p endif %}")

    heading(doc, "8. Ændringer undervejs")
    para(
        doc,
        "Opstår der i løbet af året forhold, som gør et mål umuligt eller urimeligt at nå, "
        "retter virksomheden henvendelse til Kontraktservice. Ændringer i målene aftales "
        "skriftligt og forelægges {{ virksomhed.udvalg }}.",
    )

    heading(doc, "9. Opfølgning")
    para(doc, "Disse datoer gælder for opfølgningen på kontrakten:")
    loop_table(
        doc,
        ["Dato", "Hvad sker der"],
        ["{{ f.dato }}", "{{ f.hvad }}"],
        "f in opfoelgning",
        [4.0, 12.0],
        caption="Datoer for opfølgningen på kontrakten",
    )
    para(
        doc,
        "Resultaterne indsamles ved årets udløb efter de målinger og dokumentationskrav, der "
        "er aftalt i afsnit 5, og indtastes i virksomhedens arbejdsbog. Målopfyldelsen "
        "forelægges {{ virksomhed.udvalg }}, Økonomiudvalget og Kommunalbestyrelsen senest i "
        "marts {{ naeste_aar }} og indgår i status forud for næste års mål.",
    )

    heading(doc, "10. Underskrifter")
    para(doc, "Parterne er enige om kontraktens indhold.")
    doc.add_paragraph()
    fixed_table(
        doc,
        [
            ["For Kommunalbestyrelsen i {{ kommune }}", "For {{ virksomhed.navn }}"],
            ["", ""],
            ["Dato: ______________________", "Dato: ______________________"],
            ["", ""],
            ["", ""],
            ["_________________________________", "_________________________________"],
            ["Formand for {{ virksomhed.udvalg }}",
             "{% if virksomhed.leder %}{{ virksomhed.leder }}, leder{% else %}Leder{% endif %}"],
        ],
        [8.0, 8.0],
        header=False,
        plain=True,
        caption="Underskrifter",
    )  # fmt: skip
    return save(doc, "kontrakt.docx")


# --------------------------------------------------------------------------- the committee item


def recommendation(doc: DocumentObject, intro: str) -> None:
    """Indstilling: the numbered points the context made (counts and nouns agree)."""
    heading(doc, "Indstilling")
    para(doc, intro)
    tag(doc, "{%p for punkt in indstilling %}")
    para(doc, "{{ punkt }}", style="List Number")
    tag(doc, "{%p endfor %}")


def economy_and_decision(doc: DocumentObject, economy: str) -> None:
    """Økonomi (one line) and Beslutning (left for the committee's secretary)."""
    heading(doc, "Økonomi")
    para(doc, economy)
    heading(doc, "Beslutning")
    doc.add_paragraph()


def appendix(doc: DocumentObject, text: str) -> Paragraph:
    """A Bilag heading that starts on a new page."""
    h = heading(doc, text)
    h.paragraph_format.page_break_before = True
    return h


def figure(doc: DocumentObject, intro: str, variable: str) -> None:
    """An intro and its chart in ONE paragraph (a line break between them) that is kept
    together, and so on one page with the heading before it (in Word and LibreOffice)."""
    p = para(doc, intro)
    p.add_run().add_break()
    p.add_run(variable)
    p.paragraph_format.keep_together = True


COUNT_HEADERS = ["Opfyldt", "Delvist opfyldt", "Ikke opfyldt", "Ikke målt", "Ikke vurderet"]
LEVEL_CELLS = ["{{ v.opfyldt }}", "{{ v.delvist }}", "{{ v.ikke_opfyldt }}", "{{ v.ikke_maalt }}",
               "{{ v.ikke_vurderet }}"]  # fmt: skip


def distribution_table(doc: DocumentObject, caption: str) -> None:
    """Goals per attainment category, with the share and the total (the sum of the rows)."""
    loop_table(
        doc,
        ["Målopfyldelse", "Kontraktmål", "Andel"],
        ["{{ f.navn }}", "{{ f.antal }}", "{{ f.andel }}"],
        "f in fordeling",
        [6.0, 3.0, 3.0],
        numeric=(1, 2),
        caption=caption,
        total=["I alt", "{{ resume.maal }}", "100\u00a0%"],
    )


# --------------------------------------------------------------------------- udvalgsnotat_forslag.docx


def make_memo_proposals() -> Path:
    doc = new_document(
        "Udvalgsnotat: forslag til kontraktmål",
        "Udvalgsnotat · forslag til kontraktmål {{ aar }}",
        "Forslag til kontraktmål {{ aar }} · {{ udvalg }}",
    )
    memo_head(
        doc,
        "Forslag til kontraktmål {{ aar }}",
        "Virksomhedernes forslag til kontraktmål for {{ aar }}",
    )
    heading(doc, "Resumé")
    para(doc, "{{ resume_tekst }}")
    tag(doc, "{%p if beslutninger_registreret %}")
    para(doc, "{{ beslutning_tekst }}")
    tag(doc, "{%p endif %}")
    recommendation(doc, "Kontraktservice indstiller, at {{ udvalg }}:")

    heading(doc, "Sagsfremstilling")
    para(
        doc,
        "Udvalget meldte i marts {{ forrige_aar }} sine politiske indsatsområder for {{ aar }} ud. "
        "I april–august har virksomhederne holdt dialog med brugere og medarbejdere og på den "
        "baggrund foreslået 3–5 kontraktmål hver med målemetoder. Når udvalget har godkendt "
        "målene, får hver virksomhed en kontrakt.",
    )
    fixed_table(
        doc,
        [
            ["Virksomheder", "Har sendt forslag", "Mangler", "Forslag til mål",
             "Under indsatsområder", "Egne forslag"],
            ["{{ resume.virksomheder }}", "{{ resume.modtaget }}", "{{ resume.mangler }}",
             "{{ resume.forslag }}", "{{ resume.under_indsatsomraader }}", "{{ resume.egne_forslag }}"],
        ],
        [2.6, 2.8, 2.2, 2.8, 3.0, 2.6],
        numeric=(0, 1, 2, 3, 4, 5),
        caption="Nøgletal for forslagene",
    )  # fmt: skip
    tag(doc, "{%p if beslutninger_registreret %}")
    loop_table(
        doc,
        ["Udvalgets beslutning", "Forslag"],
        ["{{ b.navn }}", "{{ b.antal }}"],
        "b in beslutninger",
        [6.0, 3.0],
        numeric=(1,),
        caption="Udvalgets beslutninger om forslagene",
        total=["I alt", "{{ resume.forslag }}"],
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Forslag fordelt på indsatsområder", 2)
    figure(
        doc,
        "Figuren viser, hvor mange af forslagene der hører under hvert af udvalgets politiske "
        "indsatsområder. Bilag 1 viser fordelingen pr. virksomhed.",
        "{{ omraadegraf }}",
    )
    economy_and_decision(
        doc,
        "Sagen har ingen økonomiske konsekvenser. Virksomhederne arbejder med målene inden for "
        "deres budget.",
    )

    appendix(doc, "Bilag 1. Indsatsområder og virksomheder")
    para(
        doc,
        "Tabellen viser, hvor mange mål hver virksomhed foreslår under hvert indsatsområde. "
        "Kolonnerne er:",
    )
    tag(doc, "{%p for o in omraader %}")
    para(doc, ("b", "{{ o.kort }}"), ": {{ o.titel }}", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if matrix %}")
    table = doc.add_table(rows=4, cols=5)
    table.style = doc.styles["Kontrakttabel"]
    _look(table)
    hdr = ["Virksomhed", "{%tc for o in omraader %}", "{{ o.kort }}", "{%tc endfor %}", "I alt"]
    row = [
        "{{ r.navn }}",
        "{%tc for c in r.celler %}",
        "{{ c }}",
        "{%tc endfor %}",
        "{{ r.i_alt }}",
    ]
    for i, text in enumerate(hdr):
        _cell_text(table.rows[0].cells[i], text, "Tabeloverskrift")
    _cell_text(table.rows[1].cells[0], "{%tr for r in matrix %}", "Tabeltekst")
    for i, text in enumerate(row):
        _cell_text(table.rows[2].cells[i], text, "Tabeltekst" if i == 0 else "Tabeltal")
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", "Tabeltekst")
    # The rendering spreads the loop's columns evenly over the width between the first and
    # the last column (the table with this caption; see toolkit/documents/render.py).
    _set_widths(table, [5.4, 1.6, 6.0, 1.6, 1.4])
    _caption(table, "Forslag pr. virksomhed og indsatsområde")
    _header_row(table)
    _rows_whole(table)
    doc.add_paragraph(style="Lille tekst")
    tag(doc, "{%p endif %}")

    appendix(doc, "Bilag 2. Forslag pr. virksomhed")
    tag(doc, "{%p for v in virksomheder %}")
    heading(doc, "{{ v.navn }} ({{ v.id }})", 3)
    tag(doc, "{%p if v.maal %}")
    loop_table(
        doc,
        ["Nr.", "Kontraktmål", "Indsatsområde", "Indikator", "Udgangs­punkt", "Målværdi", "Beslutning"],
        ["{{ m.nr }}", "{{ m.titel }}", "{{ m.indsatsomraade }}", "{{ m.indikator }}",
         "{{ m.udgangspunkt }}", "{{ m.maalvaerdi }}", "{{ m.beslutning }}"],
        "m in v.maal",
        [0.8, 3.2, 2.7, 3.3, 2.1, 1.9, 2.0],
        caption="Virksomhedens forslag til kontraktmål",
    )  # fmt: skip
    tag(doc, "{%p else %}")
    para(doc, "Virksomheden har ikke sendt forslag.", style="Bemærkning")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    appendix(doc, "Bilag 3. Forhold, udvalget skal kende")
    tag(doc, "{%p if mangler %}")
    para(doc, "Disse virksomheder har ikke sendt forslag:")
    tag(doc, "{%p for v in mangler %}")
    para(doc, "{{ v.navn }} ({{ v.id }})", style="List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if fund %}")
    para(doc, "Disse fejl i forslagene skal rettes, før forslagene kan godkendes:")
    loop_table(
        doc,
        ["Virksomhed", "Fejl"],
        ["{{ f.virksomhed }}", "{{ f.besked }}"],
        "f in fund",
        [4.5, 11.5],
        caption="Fejl i forslagene",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if advarsler_tekst %}")
    para(doc, "{{ advarsler_tekst }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not mangler and not fund %}")
    para(doc, "Alle virksomheder har sendt forslag uden fejl.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if afviste %}")
    para(doc, "Udvalget har afvist disse forslag. De indgår ikke i kontrakterne:")
    loop_table(
        doc,
        ["Virksomhed", "Nr.", "Kontraktmål", "Udvalgets bemærkning"],
        ["{{ a.virksomhed }}", "{{ a.nr }}", "{{ a.titel }}", "{{ a.kommentar }}"],
        "a in afviste",
        [4.0, 0.8, 4.6, 6.6],
        caption="Afviste forslag",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if aendrede %}")
    para(doc, "Disse forslag er godkendt med ændringer:")
    loop_table(
        doc,
        ["Virksomhed", "Nr.", "Kontraktmål", "Ændring"],
        ["{{ a.virksomhed }}", "{{ a.nr }}", "{{ a.titel }}", "{{ a.kommentar }}"],
        "a in aendrede",
        [4.0, 0.8, 4.6, 6.6],
        caption="Forslag godkendt med ændringer",
    )
    tag(doc, "{%p endif %}")
    return save(doc, "udvalgsnotat_forslag.docx")


# --------------------------------------------------------------------------- udvalgsnotat_maalopfyldelse.docx


def trend_appendix(doc: DocumentObject, title: str) -> None:
    tag(doc, "{%p if har_udvikling %}")
    appendix(doc, title)
    figure(
        doc,
        "Figuren viser andelen af kontraktmål i hver kategori år for år.",
        "{{ udviklingsgraf }}",
    )
    loop_table(
        doc,
        ["År", "Mål", *COUNT_HEADERS, "Andel opfyldt"],
        ["{{ u.aar }}", "{{ u.maal }}", "{{ u.opfyldt }}", "{{ u.delvist }}",
         "{{ u.ikke_opfyldt }}", "{{ u.ikke_maalt }}", "{{ u.ikke_vurderet }}",
         "{{ u.andel_opfyldt }}"],
        "u in udvikling",
        [1.4, 1.4, 2.0, 2.3, 2.1, 2.0, 2.4, 2.4],
        numeric=(1, 2, 3, 4, 5, 6, 7),
        caption="Målopfyldelse år for år",
    )  # fmt: skip
    tag(doc, "{%p endif %}")


def comparison_section(doc: DocumentObject) -> None:
    """Indicators measured the same way at every institution of a type (kontrakt maaling)."""
    tag(doc, "{%p if sammenligninger %}")
    heading(doc, "Brugertilfredshed og trivsel sammenlignet", 2)
    para(
        doc,
        "Tallene kommer fra kommunens fælles undersøgelser og er beregnet på samme måde for "
        "alle virksomheder af samme type (kommunens indikatorbibliotek). Gennemsnittet er "
        "gennemsnittet af virksomhedernes tal. En virksomhed med for få besvarelser vises "
        "ikke, af hensyn til anonymiteten.",
    )
    tag(doc, "{%p for s in sammenligninger %}")
    figure(doc, "{{ s.titel }}. {{ s.tekst }}", "{{ sammenligningsgrafer[loop.index0] }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def involvement_section(doc: DocumentObject) -> None:
    """The model's own evaluation: contract groups, dialogue and the works council."""
    tag(doc, "{%p if inddragelse %}")
    heading(doc, "Dialog og inddragelse", 2)
    para(
        doc,
        "Kontraktstyringen skal styrke dialogen med brugere og medarbejdere. Tabellen viser "
        "pr. fagudvalg og år kontraktgruppernes sammensætning, dialogaktiviteterne og "
        "deltagerne, og hvor mange virksomheder der har orienteret samarbejdsudvalget (SU) om "
        "forslagene. {{ inddragelse_tekst }}",
    )
    loop_table(
        doc,
        ["Fagudvalg", "År", "Virk­somheder", "Med­lemmer", "Medarb.-repr.", "Brugere", "Dialog, brugere",
         "Dialog, medarb.", "Del­tagere", "SU orien­teret"],
        ["{{ i.udvalg }}", "{{ i.aar }}", "{{ i.virksomheder }}", "{{ i.medlemmer }}",
         "{{ i.medarbejderrep }}", "{{ i.brugere }}", "{{ i.dialog_brugere }}",
         "{{ i.dialog_medarbejdere }}", "{{ i.deltagere }}", "{{ i.su_orienteret }}"],
        "i in inddragelse",
        [3.4, 1.1, 1.5, 1.4, 1.6, 1.4, 1.5, 1.5, 1.4, 1.4],
        numeric=(1, 2, 3, 4, 5, 6, 7, 8, 9),
        caption="Dialog og inddragelse pr. fagudvalg og år",
    )  # fmt: skip
    tag(doc, "{%p endif %}")


def comparison_appendix(doc: DocumentObject, title: str) -> None:
    tag(doc, "{%p if sammenligninger %}")
    appendix(doc, title)
    loop_table(
        doc,
        ["Indikator", "Virksomhed", "Værdi", "Sidste år", "Besva­relser", "Svar­procent", "Note"],
        ["{{ r.indikator }}", "{{ r.virksomhed }}", "{{ r.vaerdi }}", "{{ r.sidste_aar }}",
         "{{ r.respondenter }}", "{{ r.svarprocent }}", "{{ r.note }}"],
        "r in sammenligning_raekker",
        [4.0, 3.6, 1.6, 1.6, 1.6, 1.6, 2.0],
        numeric=(2, 3, 4, 5),
        caption="Målinger pr. virksomhed",
    )  # fmt: skip
    tag(doc, "{%p endif %}")


def make_memo_attainment() -> Path:
    doc = new_document(
        "Udvalgsnotat: målopfyldelse",
        "Udvalgsnotat · målopfyldelse {{ aar }}",
        "Målopfyldelse {{ aar }} · {{ udvalg }}",
    )
    memo_head(
        doc, "Målopfyldelse {{ aar }}", "Virksomhedernes målopfyldelse for kontraktåret {{ aar }}"
    )
    heading(doc, "Resumé")
    para(doc, "{{ resume_tekst }}")
    recommendation(doc, "Kontraktservice indstiller, at {{ udvalg }}:")

    heading(doc, "Sagsfremstilling")
    para(
        doc,
        "Virksomhederne har ved årets udgang målt resultaterne efter de målinger, der blev "
        "aftalt i kontrakterne. Et mål er ikke vurderet, når resultatet ikke kan sammenlignes "
        "med målværdien. {{ udvikling_tekst }}",
    )
    distribution_table(doc, "Kontraktmål fordelt på målopfyldelse")
    heading(doc, "Målopfyldelse pr. virksomhed", 2)
    keep_next(para(doc, "Figuren viser virksomhedernes kontraktmål fordelt på målopfyldelse."))
    tag(doc, "{%p for g in grafer %}")
    para(doc, "{{ g }}")
    tag(doc, "{%p endfor %}")
    comparison_section(doc)
    economy_and_decision(doc, "Sagen har ingen økonomiske konsekvenser.")

    appendix(doc, "Bilag 1. Målopfyldelse pr. virksomhed")
    loop_table(
        doc,
        ["Virksomhed", "Mål", *COUNT_HEADERS, "Andel opfyldt"],
        ["{{ v.navn }}", "{{ v.maal }}", *LEVEL_CELLS, "{{ v.andel_opfyldt }}"],
        "v in virksomheder",
        [4.4, 1.0, 1.7, 1.9, 1.7, 1.6, 2.0, 1.7],
        numeric=(1, 2, 3, 4, 5, 6, 7),
        caption="Målopfyldelse pr. virksomhed",
        total=["I alt", "{{ resume.maal }}", "{{ resume.opfyldt }}", "{{ resume.delvist }}",
               "{{ resume.ikke_opfyldt }}", "{{ resume.ikke_maalt }}", "{{ resume.ikke_vurderet }}",
               "{{ resume.andel_opfyldt }}"],
    )  # fmt: skip

    appendix(doc, "Bilag 2. Målopfyldelse pr. kontraktmål")
    loop_table(
        doc,
        ["Virksomhed", "Nr.", "Kontraktmål", "Udgangs­punkt", "Målværdi", "Resultat", "Mål­opfyldelse"],
        ["{{ m.virksomhed }}", "{{ m.nr }}",
         [["{{ m.titel }}"], ["{%p if m.forrige %}"], [("i", "{{ m.forrige }}")], ["{%p endif %}"]],
         "{{ m.udgangspunkt }}", "{{ m.maalvaerdi }}", "{{ m.resultat }}", "{{ m.maalopfyldelse }}"],
        "m in maal",
        [3.4, 0.8, 4.0, 2.0, 1.9, 1.8, 2.1],
        numeric=(3, 4, 5),
        caption="Målopfyldelse pr. kontraktmål",
    )  # fmt: skip

    appendix(doc, "Bilag 3. Mål, der ikke er opfyldt")
    tag(doc, "{%p if ikke_opfyldte %}")
    para(doc, "Virksomhedernes forklaringer på de mål, der ikke er opfyldt helt:")
    loop_table(
        doc,
        ["Virksomhed", "Kontraktmål", "Mål­opfyldelse", "Forklaring"],
        ["{{ m.virksomhed }}", "{{ m.nr }}. {{ m.titel }}", "{{ m.maalopfyldelse }}", "{{ m.forklaring }}"],
        "m in ikke_opfyldte",
        [3.3, 3.9, 2.4, 6.4],
        caption="Forklaringer på mål, der ikke er opfyldt",
    )  # fmt: skip
    tag(doc, "{%p else %}")
    para(doc, "Alle kontraktmål er opfyldt.")
    tag(doc, "{%p endif %}")
    trend_appendix(doc, "Bilag 4. Udvikling over årene")
    comparison_appendix(doc, "Bilag 5. Målinger pr. virksomhed")
    return save(doc, "udvalgsnotat_maalopfyldelse.docx")


# --------------------------------------------------------------------------- samlet_rapport.docx


def make_report() -> Path:
    doc = new_document(
        "Samlet rapport: målopfyldelse",
        "Samlet rapport · målopfyldelse {{ aar }}",
        "Målopfyldelse {{ aar }} · {{ kommune }}",
    )
    doc.add_paragraph("Målopfyldelse {{ aar }}", style="Title")
    para(doc, "Dialogbaseret kontraktstyring i {{ kommune }} – samlet rapport", style="Subtitle")
    fixed_table(
        doc,
        [
            ["Til:", "Økonomiudvalget og Kommunalbestyrelsen"],
            ["Fra:", "Kontraktservice"],
            ["Dato:", "{{ dato }}"],
        ],
        [2.0, 14.0],
        header=False,
        plain=True,
        caption="Rapportens modtager, afsender og dato",
    )
    doc.add_paragraph()
    heading(doc, "Resumé")
    para(doc, "{{ resume_tekst }}")
    recommendation(doc, "Kontraktservice indstiller, at:")

    heading(doc, "Sagsfremstilling")
    para(
        doc,
        "Fagudvalgene har behandlet målopfyldelsen for deres egne virksomheder. Rapporten samler "
        "tallene for hele kommunen. {{ udvikling_tekst }}",
    )
    distribution_table(doc, "Kontraktmål fordelt på målopfyldelse")
    heading(doc, "Målopfyldelse pr. fagudvalg", 2)
    figure(
        doc,
        "Figuren viser for hvert fagudvalg, hvor stor en andel af kontraktmålene der blev "
        "opfyldt, delvist opfyldt, ikke opfyldt og ikke målt. {{ fagudvalg_tekst }}",
        "{{ graf }}",
    )
    loop_table(
        doc,
        ["Fagudvalg", "Virksom­heder", "Mål", *COUNT_HEADERS, "Andel opfyldt"],
        ["{{ u.navn }}", "{{ u.virksomheder }}", "{{ u.maal }}", "{{ u.opfyldt }}",
         "{{ u.delvist }}", "{{ u.ikke_opfyldt }}", "{{ u.ikke_maalt }}", "{{ u.ikke_vurderet }}",
         "{{ u.andel_opfyldt }}"],
        "u in fagudvalg",
        [4.2, 1.6, 1.0, 1.5, 1.6, 1.5, 1.4, 1.6, 1.6],
        numeric=(1, 2, 3, 4, 5, 6, 7, 8),
        caption="Målopfyldelse pr. fagudvalg",
        total=["I alt", "{{ resume.virksomheder }}", "{{ resume.maal }}", "{{ resume.opfyldt }}",
               "{{ resume.delvist }}", "{{ resume.ikke_opfyldt }}", "{{ resume.ikke_maalt }}",
               "{{ resume.ikke_vurderet }}", "{{ resume.andel_opfyldt }}"],
    )  # fmt: skip
    comparison_section(doc)
    involvement_section(doc)
    economy_and_decision(doc, "Sagen har ingen økonomiske konsekvenser.")

    appendix(doc, "Bilag 1. Kontraktmål fordelt på måltyper")
    para(
        doc,
        "Måltyperne viser, hvordan kontraktmålene fordeler sig på de formål, kontraktstyringen "
        "skal fremme: brugertilfredshed, medarbejdertilfredshed, faglig kvalitet, dialog og "
        "kompetenceudvikling.",
    )
    loop_table(
        doc,
        ["Måltype", "Mål", "Opfyldt", "Andel opfyldt"],
        ["{{ t.navn }}", "{{ t.maal }}", "{{ t.opfyldt }}", "{{ t.andel_opfyldt }}"],
        "t in maaltyper",
        [7.0, 3.0, 3.0, 3.0],
        numeric=(1, 2, 3),
        caption="Kontraktmål fordelt på måltyper",
        total=["I alt", "{{ resume.maal }}", "{{ resume.opfyldt }}", "{{ resume.andel_opfyldt }}"],
    )
    trend_appendix(doc, "Bilag 2. Udvikling over årene")
    appendix(doc, "Bilag 3. Målopfyldelse pr. virksomhed")
    loop_table(
        doc,
        ["Fagudvalg", "Virksomhed", "Mål", *COUNT_HEADERS],
        ["{{ v.udvalg }}", "{{ v.navn }}", "{{ v.maal }}", *LEVEL_CELLS],
        "v in virksomheder",
        [3.4, 3.9, 1.0, 1.5, 1.7, 1.5, 1.5, 1.5],
        numeric=(2, 3, 4, 5, 6, 7),
        caption="Målopfyldelse pr. virksomhed",
    )  # fmt: skip
    comparison_appendix(doc, "Bilag 4. Målinger pr. virksomhed")
    return save(doc, "samlet_rapport.docx")


MAKERS = (make_contract, make_memo_proposals, make_memo_attainment, make_report)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    force = "--overskriv" in args
    existing = [HERE / n for n in TEMPLATE_FILES if (HERE / n).exists()]
    if existing and not force:
        print(
            "Skabelonerne findes allerede og kan være rettet i Word: "
            + ", ".join(p.name for p in existing)
            + ". Kør med --overskriv for at erstatte dem med de oprindelige (rettelserne går tabt)."
        )
        return 1
    for make in MAKERS:
        path = make()
        print(f"Skrev {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
