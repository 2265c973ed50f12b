"""The zip package under an .xlsx/.xlsm file, opened defensively.

A workbook is a zip of XML parts. :class:`ZipParts` refuses, before anything is unpacked,
what no spreadsheet program writes (too many or too large parts, odd names, encryption),
reads one part no further than the size limit, parses XML without DTDs or entities, and
resolves a part's relationships. :class:`toolkit.reading.xlsx.XlsxPackage` builds the
SpreadsheetML reading on it.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import PurePosixPath
from typing import IO, Self

from toolkit.reading.xlsx_cells import PKG_RELS, XlsxError

try:
    from lxml import etree
except ImportError:  # xlwings Lite (Pyodide): the bundled Valider reads via xw.Book, never XML
    etree = None

_PARSER = (
    etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False) if etree else None
)

# What a workbook may hold before it is refused unread (a zip bomb must cost milliseconds):
# a contract workbook is well under 1 MB unpacked; the master of a large municipality a few MB.
MAX_PART_BYTES = 32 * 1024 * 1024  # one part, unpacked
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts together, unpacked (as declared)
MAX_PARTS = 5000
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class ZipParts:
    """The zip package under a workbook: opened and checked before anything is unpacked."""

    def __init__(self, file: str | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise XlsxError("filen er ikke en hel zip-pakke") from exc
        try:
            self._check_members()
        except XlsxError:
            self.zip.close()
            raise

    def _check_members(self) -> None:
        """Refuse, before anything is unpacked, what no spreadsheet program writes."""
        self._inflated = 0
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            raise XlsxError(f"pakken har {len(infos)} dele (højst {MAX_PARTS})")
        names = [i.filename for i in infos]
        self._names = set(names)
        if len(self._names) != len(names):
            twice = sorted(n for n, k in Counter(names).items() if k > 1)[:3]
            raise XlsxError(f"pakken har dele med samme navn to gange ({', '.join(twice)})")
        for info in infos:
            name = info.filename
            if name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/"):
                raise XlsxError(f"pakken har en del med et ugyldigt navn ({name[:80]!r})")
            if info.flag_bits & 0x1:
                raise XlsxError(f"delen {name} er krypteret")
            if info.file_size > MAX_PART_BYTES:
                raise XlsxError(
                    f"delen {name} fylder {info.file_size / 2**20:.0f} MB udpakket "
                    f"(højst {MAX_PART_BYTES // 2**20} MB)"
                )
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise XlsxError(
                f"pakken fylder {total / 2**20:.0f} MB udpakket (højst {MAX_TOTAL_BYTES // 2**20} MB)"
            )
        if "xl/workbook.xml" not in self._names:
            raise XlsxError("pakken har ingen xl/workbook.xml (det er ikke en Excel-projektmappe)")
        if "[Content_Types].xml" not in self._names:
            raise XlsxError("pakken har ingen [Content_Types].xml")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    def _read(self, part: str) -> bytes:
        """One part's bytes, unpacked no further than the size limit (whatever the zip
        header claims), and with no DTD (entity declarations are how XML bombs work)."""
        try:
            with self.zip.open(part) as fh:
                data = fh.read(MAX_PART_BYTES + 1)
        except KeyError as exc:
            raise XlsxError(f"delen {part} mangler") from exc
        except (
            zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error, RuntimeError,
            ValueError,
        ) as exc:  # fmt: skip
            what = (
                "krypteret eller pakket på en måde, Excel ikke bruger"
                if isinstance(exc, (RuntimeError, NotImplementedError))
                else "beskadiget"
            )
            raise XlsxError(f"delen {part} er {what}") from exc
        if len(data) > MAX_PART_BYTES:
            raise XlsxError(f"delen {part} fylder mere end {MAX_PART_BYTES // 2**20} MB udpakket")
        self._inflated += len(data)  # what was really unpacked, whatever the headers said
        if self._inflated > MAX_TOTAL_BYTES:
            raise XlsxError(f"pakken fylder mere end {MAX_TOTAL_BYTES // 2**20} MB udpakket")
        if part.endswith(_XML_SUFFIXES) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
            raise XlsxError(f"delen {part} har en DTD eller entitetserklæringer")
        return data

    def _xml(self, part: str) -> etree._Element:
        data = self._read(part)
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise XlsxError(f"delen {part} er ikke gyldig XML (linje {exc.lineno})") from exc

    def _rels(self, part: str) -> dict[str, str]:
        p = PurePosixPath(part)
        rels_part = str(p.parent / "_rels" / (p.name + ".rels"))
        if rels_part not in self._names:
            return {}
        out = {}
        for rel in self._xml(rels_part).iter(f"{PKG_RELS}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = str(PurePosixPath(*_normalise((p.parent / target).parts)))
            out[rel.get("Id", "")] = resolved
        return out


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p not in (".", ""):
            out.append(p)
    return out
