"""Build a source-only ``vbaProject.bin`` from modules.

The project has no compiled code: ``_VBA_PROJECT`` carries version 0xFFFF and no
performance cache, and every module stream is just the compressed source
(MODULEOFFSET 0), so Excel compiles the project from source when it opens the file.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence

from toolkit.vba.format.cfb import build_compound_file
from toolkit.vba.format.compression import compress
from toolkit.vba.format.project_stream import ProjectEntry, project_stream
from toolkit.vba.format.records import (
    ModuleRecord,
    ProjectInformation,
    SysKind,
    dir_stream,
    excel_references,
    projectwm_stream,
    vba_project_stream,
)
from toolkit.vba.module import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    Module,
    ModuleError,
    ModuleKind,
    encode_source,
    stream_text,
)

DEFAULT_DOCUMENT_MODULES = ("ThisWorkbook", "Sheet1")
_PROJECT_ID_NAMESPACE = uuid.UUID("6f1c2a3e-8d4b-5e6f-9a0b-1c2d3e4f5a6b")
_PROJECT_KIND = {ModuleKind.DOCUMENT: "Document", ModuleKind.STANDARD: "Module"}


def build_vba_project(
    modules: Iterable[Module],
    *,
    document_modules: Sequence[str] = DEFAULT_DOCUMENT_MODULES,
    project_name: str = "VBAProject",
    syskind: SysKind = SysKind.WIN64,
    lcid: int = 0x0409,
    code_page: int = 1252,
) -> bytes:
    """Return the bytes of a ``vbaProject.bin`` holding ``modules``.

    ``document_modules`` names the workbook's document modules: first the workbook's
    code name, then one per worksheet in sheet order.  A :attr:`ModuleKind.DOCUMENT`
    module in ``modules`` gives the code of the document module of the same name; the
    others get an empty one.  The output depends only on the arguments.
    """
    ordered = _ordered_modules(list(modules), document_modules)
    workbook_name = document_modules[0]
    streams: dict[str, bytes] = {}
    records: list[ModuleRecord] = []
    entries: list[ProjectEntry] = []
    for module in ordered:
        base = None
        if module.kind == ModuleKind.DOCUMENT:
            base = WORKBOOK_BASE if module.name == workbook_name else WORKSHEET_BASE
        source = encode_source(module, stream_text(module, base=base), code_page)
        streams[f"VBA/{module.name}"] = compress(source)
        records.append(ModuleRecord(module.name, procedural=module.kind == ModuleKind.STANDARD))
        entries.append(ProjectEntry(module.name, _PROJECT_KIND.get(module.kind, "Class")))

    info = ProjectInformation(
        name=project_name, syskind=syskind, lcid=lcid, lcid_invoke=lcid, code_page=code_page
    )
    names = [module.name for module in ordered]
    project_id = _project_id(project_name, names)
    streams["VBA/_VBA_PROJECT"] = vba_project_stream()
    streams["VBA/dir"] = compress(dir_stream(info, excel_references(syskind), records))
    streams["PROJECT"] = project_stream(
        project_id=project_id,
        entries=entries,
        name=project_name,
        code_page=code_page,
        seeds=_seeds(project_id),
    )
    streams["PROJECTwm"] = projectwm_stream(names, code_page)
    return build_compound_file(streams)


def _ordered_modules(modules: list[Module], document_modules: Sequence[str]) -> list[Module]:
    """Document modules first (in ``document_modules`` order), then the rest as given."""
    if not document_modules:
        raise ModuleError("Et Excel-projekt skal mindst have dokumentmodulet for projektmappen.")
    documents = {m.name.upper(): m for m in modules if m.kind == ModuleKind.DOCUMENT}
    declared = {name.upper() for name in document_modules}
    for module in documents.values():
        if module.name.upper() not in declared:
            raise ModuleError(
                f"Dokumentmodulet {module.name!r} svarer hverken til projektmappen "
                "eller til et ark."
            )
    ordered = [
        documents.get(name.upper()) or Module(name, ModuleKind.DOCUMENT)
        for name in document_modules
    ]
    ordered += [m for m in modules if m.kind != ModuleKind.DOCUMENT]
    seen: set[str] = set()
    for module in ordered:
        key = module.name.upper()
        if key in seen:
            raise ModuleError(f"Modulnavnet {module.name!r} bruges mere end én gang.")
        seen.add(key)
    return ordered


def _project_id(project_name: str, names: Sequence[str]) -> str:
    """A stable project GUID derived from the project and module names."""
    value = uuid.uuid5(_PROJECT_ID_NAMESPACE, "\n".join([project_name, *names]))
    return "{" + str(value).upper() + "}"


def _seeds(project_id: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(project_id.encode("ascii")).digest()
    return digest[0], digest[1], digest[2]
