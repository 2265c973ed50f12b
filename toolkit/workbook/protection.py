"""Workbook protection in the package's XML: Excel's password verifier and the structure lock.

XlsxWriter protects sheets but not the workbook's structure; :func:`lock_structure` adds that
to the finished package, as one edit of ``xl/workbook.xml``.
"""

from __future__ import annotations

import io
import zipfile


def excel_password_hash(password: str) -> str:
    """The legacy 16-bit password verifier Excel stores for sheet/workbook protection."""
    h = 0
    for ch in reversed(password):
        h = ((h >> 14) & 0x01) | ((h << 1) & 0x7FFF)
        h ^= ord(ch)
    h = ((h >> 14) & 0x01) | ((h << 1) & 0x7FFF)
    h ^= len(password) ^ 0xCE4B
    return f"{h:X}"


def lock_structure(data: bytes, password: str) -> bytes:
    """Add <workbookProtection lockStructure="1"> so sheets cannot be deleted or renamed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                prot = f'<workbookProtection workbookPassword="{excel_password_hash(password)}" lockStructure="1"/>'
                text = content.decode("utf-8")
                anchor = "<bookViews>"
                if anchor not in text:
                    raise RuntimeError("unexpected workbook.xml from XlsxWriter")
                content = text.replace(anchor, prot + anchor, 1).encode("utf-8")
            dst.writestr(item, content)
    return out.getvalue()
