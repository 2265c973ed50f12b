"""The thin render layer: a context (plain dict) + a .docx template -> a .docx file.

* Autoescaping is on: text from the master is shown literally, never read as Word XML
  or as template code.
* A template is read from disk once per process; the XML clean-up docxtpl does before
  rendering and the compiled Jinja template are cached per process too, so rendering
  many documents from one template costs little more than filling it in.
* A template that uses a variable the context does not have fails with a Danish
  :class:`SkabelonFejl` naming the variable (unknown top-level names are found before
  rendering; unknown fields such as ``virksomhed.nvan`` while rendering).
* Files are written atomically (a temporary file in the same folder, then a rename).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape

from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError, UndefinedError

from toolkit.documents.charts import Chart, Picture, render_png
from toolkit.documents.template_check import (
    TemplateProblem,
    check_structure,
    jinja_message,
    locate_syntax_error,
    paragraph_with,
)
from toolkit.errors import UserError
from toolkit.files import write_atomic as _write_atomic
from toolkit.spec.paths import data_dir

#: The templates, by the name the code uses.
TEMPLATES: dict[str, str] = {
    "kontrakt": "kontrakt.docx",
    "forslag": "udvalgsnotat_forslag.docx",
    "maalopfyldelse": "udvalgsnotat_maalopfyldelse.docx",
    "rapport": "samlet_rapport.docx",
}
#: The caption of the table whose loop columns are spread evenly (see _even_dynamic_columns).
DYNAMIC_COLUMNS = "Forslag pr. virksomhed og indsatsområde"
_LISTING = re.compile("[\t\n\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
DOCS = "docs/skabeloner.md"


class SkabelonFejl(UserError):
    """A template cannot be used as it is (unknown variable, broken tag, missing file)."""


def template_path(name: str, folder: Path | None = None) -> Path:
    """The file of template ``name`` (see :data:`TEMPLATES`), in ``folder`` or the project's."""
    base = Path(folder) if folder is not None else data_dir("templates")
    path = base / TEMPLATES[name]
    if not path.is_file():
        raise SkabelonFejl(f"Skabelonen '{path.name}' findes ikke i {base}.")
    return path


# --------------------------------------------------------------------------- Jinja and docxtpl, cached


class _Undefined(StrictUndefined):
    """Fails on any use of a missing variable or field, so an edited template fails loudly."""

    __slots__ = ()


class _Environment(Environment):
    """An environment that compiles each distinct template source once."""

    _MAX = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=_Undefined)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        tpl = self._compiled.get(source)
        if tpl is None:
            if len(self._compiled) >= self._MAX:
                self._compiled.clear()
            tpl = self._compiled[source] = super().from_string(source)
        return tpl


class _CachedDocxTemplate(DocxTemplate):
    """docxtpl's template with its XML clean-up (``patch_xml``) cached per source."""

    _patched: ClassVar[dict[str, str]] = {}
    _MAX: ClassVar[int] = 64

    def patch_xml(self, src_xml: str) -> str:
        out = self._patched.get(src_xml)
        if out is None:
            if len(self._patched) >= self._MAX:
                self._patched.clear()
            out = self._patched[src_xml] = super().patch_xml(src_xml)
        return out

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's handling of \\n, \\t, \\a, \\f in values, only where there are any."""
        if not _LISTING.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(lambda m: resolve(m[0]) if _LISTING.search(m[0]) else m[0], xml)


@dataclass
class _Loaded:
    path: Path
    mtime_ns: int
    data: bytes
    variables: frozenset[str]  # the top-level names the template uses


_LOADED: dict[Path, _Loaded] = {}
_ENV: _Environment | None = None


def _env() -> _Environment:
    global _ENV
    if _ENV is None:
        _ENV = _Environment()
    return _ENV


def _syntax_error(
    path: Path, exc: TemplateError, source: str | None = None, data: bytes | None = None
) -> SkabelonFejl:
    """A Jinja error in Danish, with the template text around it."""
    found = locate_syntax_error(data) if data is not None else ""
    if found:
        return SkabelonFejl(
            f"Skabelonen '{path.name}' har en fejl i et felt: "
            f"{jinja_message(str(exc.message or exc))}. {found} Ret feltet i Word; se {DOCS}."
        )
    lines: list[str] = []
    snippet = getattr(exc, "docx_context", None)
    if snippet:
        lines = [s.strip() for s in snippet if s.strip()]
    elif source is not None and getattr(exc, "lineno", None):
        text = re.sub(r"<w:p([ >])", r"\n<w:p\1", source).splitlines()
        n = int(exc.lineno) - 1  # type: ignore[attr-defined]
        lines = [re.sub(r"<[^>]+>", "", x).strip() for x in text[max(n - 1, 0) : n + 2]]
        lines = [x for x in lines if x]
    where = f" Teksten omkring fejlen: »{' '.join(lines)[:300]}«." if lines else ""
    return SkabelonFejl(
        f"Skabelonen '{path.name}' har en fejl i et felt ({{{{ … }}}} eller {{% … %}}): "
        f"{jinja_message(str(exc.message or exc))}.{where} Ret feltet i Word; se {DOCS}."
    )


def _patched_source(data: bytes) -> str | None:
    """The body XML as Jinja sees it (to find the text around a syntax error)."""
    try:
        tpl = _CachedDocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        return str(tpl.patch_xml(tpl.get_xml()))
    except Exception:  # only for the message: without it the message has no location
        return None


def load_template(path: Path) -> _Loaded:
    """The template's bytes and variables; read once per process (again if the file changes)."""
    path = Path(path).resolve()
    try:
        st = path.stat()
    except OSError as exc:
        raise SkabelonFejl(f"Skabelonen '{path}' kan ikke læses: {exc.strerror or exc}.") from None
    cached = _LOADED.get(path)
    if cached is not None and cached.mtime_ns == st.st_mtime_ns:
        return cached
    data = path.read_bytes()
    try:
        check_structure(data)
    except TemplateProblem as exc:
        raise SkabelonFejl(f"Skabelonen '{path.name}' kan ikke bruges: {exc} Se {DOCS}.") from None
    except Exception as exc:  # not a .docx at all (zip/XML errors)
        raise SkabelonFejl(
            f"Skabelonen '{path.name}' er ikke et Word-dokument (.docx), der kan åbnes: {exc}"
        ) from None
    tpl = _CachedDocxTemplate(io.BytesIO(data))
    try:
        names = tpl.get_undeclared_template_variables(jinja_env=_env())
    except TemplateError as exc:
        raise _syntax_error(path, exc, _patched_source(data), data) from None
    except Exception as exc:  # not a .docx at all (zip/XML errors)
        raise SkabelonFejl(
            f"Skabelonen '{path.name}' er ikke et Word-dokument (.docx), der kan åbnes: {exc}"
        ) from None
    loaded = _Loaded(path, st.st_mtime_ns, data, frozenset(names))
    _LOADED[path] = loaded
    return loaded


def unknown_variables(path: Path, context: Mapping[str, Any]) -> list[str]:
    """The top-level names ``path`` uses that ``context`` does not have (sorted)."""
    return sorted(load_template(path).variables - set(context))


def check_template(path: Path, context: Mapping[str, Any]) -> None:
    """Raise :class:`SkabelonFejl` when the template uses a variable the context lacks."""
    unknown = unknown_variables(path, context)
    if unknown:
        names = ", ".join(f"'{n}'" for n in unknown)
        allowed = ", ".join(sorted(context))
        one = len(unknown) == 1
        where = paragraph_with(load_template(path).data, unknown[0])
        raise SkabelonFejl(
            f"Skabelonen '{Path(path).name}' bruger {'variablen' if one else 'variablerne'} {names}, "
            f"som ikke findes.{where} Ret stavningen i Word eller fjern feltet. De variabler, "
            f"skabelonen kan bruge, er: {allowed}. Se listen i {DOCS}."
        )


# --------------------------------------------------------------------------- rendering


def _even_dynamic_columns(doc: Any) -> None:
    """Tables titled "Dynamiske kolonner" (alt text) get evenly wide loop columns.

    docxtpl repeats a ``{%tc for %}`` cell with the template cell's width; here the first and
    last column keep their width and the columns between share the rest of the table's width.
    """
    body = doc.element.body
    for tbl in body.iter(qn("w:tbl")):
        tbl_pr = tbl.find(qn("w:tblPr"))
        caption = tbl_pr.find(qn("w:tblCaption")) if tbl_pr is not None else None
        if caption is None or caption.get(qn("w:val")) != DYNAMIC_COLUMNS:
            continue
        rows = tbl.findall(qn("w:tr"))
        if not rows:
            continue
        first = rows[0].findall(qn("w:tc"))
        n = len(first)

        def width(tc: Any) -> int:
            w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            return int(w.get(qn("w:w"))) if w is not None else 0

        total = sum(
            int(c.get(qn("w:w"), "0")) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        )
        if n < 3 or total <= 0:
            continue
        left, right = width(first[0]), width(first[-1])
        middle = max((total - left - right) // (n - 2), 200)
        widths = [left] + [middle] * (n - 2) + [right]
        grid = tbl.find(qn("w:tblGrid"))
        for col in list(grid):
            grid.remove(col)
        for w in widths:
            col = grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(w)})
            grid.append(col)
        for tr in rows:
            for tc, w in zip(tr.findall(qn("w:tc")), widths, strict=False):
                tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                if tcw is not None:
                    tcw.set(qn("w:w"), str(w))
                    tcw.set(qn("w:type"), "dxa")


def _message_for_undefined(path: Path, exc: UndefinedError, data: bytes) -> SkabelonFejl:
    text = str(exc.message or exc)
    m = re.search(r"has no attribute '([^']+)'", text) or re.search(r"'([^']+)' is undefined", text)
    name = m.group(1) if m else text
    where = paragraph_with(data, f".{name}") or paragraph_with(data, name)
    return SkabelonFejl(
        f"Skabelonen '{path.name}' bruger feltet '{name}', som ikke findes.{where} Ret stavningen "
        f"i Word eller fjern feltet; se listen over variabler i {DOCS}."
    )


class _Figure(InlineImage):
    """A picture with alternative text (``descr``) for screen readers."""

    def __init__(self, tpl: Any, image: Any, width: Any, alt: str) -> None:
        super().__init__(tpl, image, width=width)
        self.alt = alt

    def _insert_image(self) -> str:
        xml = super()._insert_image()
        alt = escape(self.alt, {'"': "&quot;"})
        return re.sub(r"<wp:docPr ([^>]*?)/?>", lambda m: _with_descr(m, alt), xml, count=1)


def _with_descr(m: re.Match[str], alt: str) -> str:
    attrs = re.sub(r'\s*descr="[^"]*"', "", m.group(1).rstrip("/").rstrip())
    closing = "/>" if m.group(0).endswith("/>") else ">"
    return f'<wp:docPr {attrs} descr="{alt}"{closing}'


def _number_figures(doc: Any) -> None:
    """Unique ids and names ("Figur 1", "Figur 2" …) for every picture of the document."""
    body = doc.element.body
    for n, pr in enumerate(body.iter(qn("wp:docPr")), start=1):
        pr.set("id", str(n))
        pr.set("name", f"Figur {n}")


def render_bytes(path: Path, context: Mapping[str, Any], *, title: str = "") -> bytes:
    """Render template ``path`` with ``context`` and return the .docx as bytes."""
    loaded = load_template(path)
    check_template(loaded.path, context)
    tpl = _CachedDocxTemplate(io.BytesIO(loaded.data))

    def picture(chart: Chart | Picture) -> InlineImage:
        png = chart.png if isinstance(chart, Picture) else render_png(chart)
        return _Figure(tpl, io.BytesIO(png), Cm(chart.width_cm), chart.alt)

    values = dict(context)
    for key, value in context.items():  # charts, and lists of charts, become pictures
        if isinstance(value, Chart | Picture):
            values[key] = picture(value)
        elif (
            isinstance(value, list) and value and all(isinstance(v, Chart | Picture) for v in value)
        ):
            values[key] = [picture(v) for v in value]
    try:
        tpl.render(values, jinja_env=_env(), autoescape=True)
    except UndefinedError as exc:
        raise _message_for_undefined(loaded.path, exc, loaded.data) from None
    except TemplateError as exc:
        raise _syntax_error(loaded.path, exc) from None
    _even_dynamic_columns(tpl.docx)
    _number_figures(tpl.docx)
    props = tpl.docx.core_properties
    now = datetime.now().replace(microsecond=0)
    props.title = title
    props.author = "Kontraktservice"
    props.last_modified_by = "Kontraktservice"
    props.created = now
    props.modified = now
    props.revision = 1
    props.language = "da-DK"
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> Path:
    """:func:`toolkit.files.write_atomic` with a Danish message for a file open in Word."""
    try:
        _write_atomic(path, data)
    except PermissionError:
        raise PermissionError(
            f"'{path.name}' kan ikke overskrives. Er filen åben i Word? Luk den og prøv igen."
        ) from None
    return path


def render_to_file(path: Path, context: Mapping[str, Any], out: Path, *, title: str = "") -> Path:
    """Render and write ``out`` atomically."""
    return write_atomic(out, render_bytes(path, context, title=title))


def os_replace(src: Path, dst: Path) -> None:
    """``os.replace`` with the Danish message for a file that is open elsewhere."""
    try:
        os.replace(src, dst)
    except PermissionError:
        raise PermissionError(
            f"'{dst.name}' kan ikke overskrives. Er filen åben i et andet program? Luk den og prøv igen."
        ) from None
