"""The low layer for editing a finished package (toolkit.workbook.package): small, exact tests."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from toolkit.workbook.package import (
    NS_CT,
    NS_PKG_RELS,
    PackageError,
    add_override,
    add_relationship,
    edit_package,
    insert_before,
)
from toolkit.workbook.protection import excel_password_hash, lock_structure

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 5, 1, 12, 0, 0)), data)
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


WORKBOOK = (f'<workbook xmlns="{MAIN}"><workbookPr/><bookViews><workbookView/></bookViews>'
            '<sheets><sheet name="A" sheetId="1"/></sheets></workbook>').encode()  # fmt: skip
RELS = f'<Relationships xmlns="{NS_PKG_RELS}"><Relationship Id="rId2" Type="a" Target="x"/></Relationships>'
TYPES = f'<Types xmlns="{NS_CT}"><Default Extension="xml" ContentType="application/xml"/></Types>'


def test_edit_package_changes_only_the_named_parts_and_adds_new_ones() -> None:
    data = _zip({"[Content_Types].xml": TYPES.encode(), "xl/workbook.xml": WORKBOOK,
                 "xl/other.bin": b"\x00\x01 not xml"})  # fmt: skip

    def rename(root: etree._Element) -> None:
        root.find(f"{{{MAIN}}}sheets")[0].set("name", "B")  # type: ignore[index]

    out = edit_package(data, {"xl/workbook.xml": rename}, {"xl/new.xml": b"<new/>"})
    before, after = _parts(data), _parts(out)
    assert list(after) == [*before, "xl/new.xml"]
    assert after["xl/other.bin"] == before["xl/other.bin"]
    assert b'name="B"' in after["xl/workbook.xml"] and b'name="A"' not in after["xl/workbook.xml"]
    assert after["xl/workbook.xml"].startswith(
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
    )
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.getinfo("xl/new.xml").date_time == (1980, 1, 1, 0, 0, 0)  # reproducible
        assert z.getinfo("xl/other.bin").date_time == (2026, 5, 1, 12, 0, 0)  # copied as it was


def test_edit_package_refuses_a_missing_part_and_an_existing_new_part() -> None:
    data = _zip({"xl/workbook.xml": WORKBOOK})
    with pytest.raises(PackageError, match=r"has no xl/styles\.xml"):
        edit_package(data, {"xl/styles.xml": lambda root: None})
    with pytest.raises(PackageError, match=r"already has xl/workbook\.xml"):
        edit_package(data, new_parts={"xl/workbook.xml": b"<x/>"})


def test_edit_package_does_not_expand_entities() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
    out = edit_package(_zip({"a.xml": evil}), {"a.xml": lambda root: None})
    assert b"root:" not in _parts(out)["a.xml"]


def test_add_relationship_takes_the_next_id_and_refuses_a_second_of_a_type() -> None:
    rels = etree.fromstring(RELS)
    assert add_relationship(rels, "b", "y.xml") == "rId3"
    new = rels[-1]
    assert (new.tag, new.get("Type"), new.get("Target")) == (
        f"{{{NS_PKG_RELS}}}Relationship",
        "b",
        "y.xml",
    )
    with pytest.raises(PackageError, match="already"):
        add_relationship(rels, "b", "z.xml")


def test_add_override_names_the_part_once() -> None:
    types = etree.fromstring(TYPES)
    add_override(types, "xl/new.xml", "application/x-new")
    assert types[-1].get("PartName") == "/xl/new.xml"
    with pytest.raises(PackageError, match=r"already names /xl/new\.xml"):
        add_override(types, "/xl/new.xml", "application/x-new")


def test_insert_before_follows_the_schema_order() -> None:
    root = etree.fromstring(WORKBOOK)
    insert_before(root, etree.Element(f"{{{MAIN}}}x"), ("bookViews", "sheets"))
    assert [etree.QName(c).localname for c in root] == ["workbookPr", "x", "bookViews", "sheets"]
    insert_before(root, etree.Element(f"{{{MAIN}}}y"), ("calcPr",))  # none there: last
    assert etree.QName(root[-1]).localname == "y"


def test_lock_structure_puts_the_protection_where_the_schema_wants_it() -> None:
    out = lock_structure(_zip({"xl/workbook.xml": WORKBOOK}), "hemmelig")
    root = etree.fromstring(_parts(out)["xl/workbook.xml"])
    names = [etree.QName(c).localname for c in root]
    assert names == ["workbookPr", "workbookProtection", "bookViews", "sheets"]
    prot = root[1]
    assert prot.get("lockStructure") == "1"
    assert prot.get("workbookPassword") == excel_password_hash("hemmelig")
    with pytest.raises(PackageError, match="already protected"):
        lock_structure(out, "hemmelig")


def test_only_the_low_layer_rewrites_a_package() -> None:
    """Every edit of a finished package goes through toolkit.workbook.package; the byte-level
    fast paths (stamp, the master's row injector) write their zip with their own writer."""
    writers = []
    for p in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "ZipFile" and len(node.args) > 1):  # fmt: skip
                mode = node.args[1]
                if isinstance(mode, ast.Constant) and mode.value in ("w", "a"):
                    writers.append(str(p.relative_to(PACKAGE)))
    assert writers == ["workbook/package.py"], writers
