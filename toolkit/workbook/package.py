"""The low layer under every edit of a finished package: parts in, parts out, XML as XML.

XlsxWriter writes the workbook; a few things it cannot write are added afterwards — the
structure lock (:mod:`toolkit.workbook.protection`) and the xlwings Lite add-in's parts
(:mod:`toolkit.workbook.lite.addin`). They go through here, as python-docx keeps its
``oxml`` layer under its proxies: :func:`edit_package` copies a package part by part,
hands the parts to be changed to an edit function as parsed XML (lxml, no entities, no
network), adds new parts, and refuses to overwrite one. The helpers below know the two
package parts every edit touches — ``[Content_Types].xml`` and a ``.rels`` part — and
where an element belongs among its siblings (the schemas fix the order).

The stamper (:mod:`toolkit.workbook.stamp`) and the master's row injector
(:mod:`toolkit.master.inject`) edit cell data at byte level on purpose: they are the
fast paths, run thousands of times, and touch only ``<c>``/``<row>`` elements.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: a fixed time for added parts, so builds are reproducible
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

Edit = Callable[[etree._Element], None]


class PackageError(ValueError):
    """A package that cannot take the edit (a part missing, or already there). Internal:
    the toolkit edits only packages it has just written."""


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def edit_package(
    data: bytes,
    edits: Mapping[str, Edit] | None = None,
    new_parts: Mapping[str, bytes] | None = None,
) -> bytes:
    """``data`` with each part named in ``edits`` parsed, changed by its function and written
    back, and ``new_parts`` added at the end. Every other part is copied as it was."""
    edits, new_parts = dict(edits or {}), dict(new_parts or {})
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        names = set(src.namelist())
        if missing := sorted(set(edits) - names):
            raise PackageError(f"the package has no {', '.join(missing)}")
        if present := sorted(set(new_parts) & names):
            raise PackageError(f"the package already has {', '.join(present)}")
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename in edits:
                root = parse(content)
                edits[item.filename](root)
                content = serialize(root)
            dst.writestr(item, content)
        for name, content in new_parts.items():
            dst.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def local(el: etree._Element) -> str:
    return str(etree.QName(el).localname)


def _tag(root: etree._Element, name: str) -> str:
    """``name`` in the namespace of ``root`` (the part's own, whatever it is)."""
    ns = etree.QName(root).namespace
    return f"{{{ns}}}{name}" if ns else name


def insert_before(parent: etree._Element, new: etree._Element, followers: Sequence[str]) -> None:
    """Put ``new`` before the first child whose local name is in ``followers`` (the
    elements the schema places after it), or last when there is none."""
    for i, child in enumerate(parent):
        if isinstance(child.tag, str) and local(child) in followers:
            parent.insert(i, new)
            return
    parent.append(new)


def add_relationship(rels: etree._Element, rel_type: str, target: str) -> str:
    """Add a relationship to a ``.rels`` part; its new id (one past the highest ``rIdN``)."""
    used = []
    tag = _tag(rels, "Relationship")
    for r in rels.iter(tag):
        if r.get("Type") == rel_type:
            raise PackageError(f"the package already has a relationship {rel_type}")
        rid = r.get("Id", "")
        if rid.startswith("rId") and rid[3:].isdigit():
            used.append(int(rid[3:]))
    new_id = f"rId{max(used, default=0) + 1}"
    etree.SubElement(rels, tag, Id=new_id, Type=rel_type, Target=target)
    return new_id


def add_override(types: etree._Element, part: str, content_type: str) -> None:
    """Declare the content type of a new part in ``[Content_Types].xml``."""
    name = "/" + part.lstrip("/")
    tag = _tag(types, "Override")
    if any(o.get("PartName") == name for o in types.iter(tag)):
        raise PackageError(f"[Content_Types].xml already names {name}")
    etree.SubElement(types, tag, PartName=name, ContentType=content_type)
