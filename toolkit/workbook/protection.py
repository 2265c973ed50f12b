"""Workbook protection in the package's XML: Excel's password verifier and the structure lock.

XlsxWriter protects sheets but not the workbook's structure; :func:`lock_structure` adds that
to the finished package, as one edit of ``xl/workbook.xml`` (:mod:`toolkit.workbook.package`).
"""

from __future__ import annotations

from lxml import etree

from toolkit.workbook.package import PackageError, edit_package, insert_before


def excel_password_hash(password: str) -> str:
    """The legacy 16-bit password verifier Excel stores for sheet/workbook protection."""
    h = 0
    for ch in reversed(password):
        h = ((h >> 14) & 0x01) | ((h << 1) & 0x7FFF)
        h ^= ord(ch)
    h = ((h >> 14) & 0x01) | ((h << 1) & 0x7FFF)
    h ^= len(password) ^ 0xCE4B
    return f"{h:X}"


#: CT_Workbook's children that come after ``workbookProtection`` (ISO/IEC 29500-1, 18.2.27)
_AFTER_PROTECTION = ("bookViews", "sheets", "functionGroups", "externalReferences",
                     "definedNames", "calcPr", "oleSize", "customWorkbookViews",
                     "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                     "fileRecoveryPr", "webPublishObjects", "extLst")  # fmt: skip


def lock_structure(data: bytes, password: str) -> bytes:
    """Add <workbookProtection lockStructure="1"> so sheets cannot be deleted or renamed."""

    def lock(workbook: etree._Element) -> None:
        ns = etree.QName(workbook).namespace
        tag = f"{{{ns}}}workbookProtection"
        if workbook.find(tag) is not None:
            raise PackageError("the workbook is already protected")
        prot = etree.Element(tag, workbookPassword=excel_password_hash(password), lockStructure="1")
        insert_before(workbook, prot, _AFTER_PROTECTION)

    return edit_package(data, {"xl/workbook.xml": lock})
