"""The xlwings Lite add-in's parts in a workbook package: the Python code travels in the file.

An Office add-in that a workbook uses is recorded in the package as a *web extension*
([MS-OWEXML]): ``xl/webextensions/webextension1.xml`` names the add-in in the Office
store and holds its settings as ``we:property`` elements, and
``xl/webextensions/taskpanes.xml`` docks its task pane. xlwings Lite keeps the workbook's
``main.py`` and ``requirements.txt`` there, as JSON-encoded strings, together with the
Pyodide and add-in versions it was saved with. The parts are the ones xlwings Lite itself
writes when it saves a workbook; Excel without the add-in offers to add it from the store,
and other spreadsheet programs ignore them.

The task pane is stored as visible and the property ``Office.AutoShowTaskpaneWithDocument``
is set, so the xlwings Lite pane (with the Valider button) opens with the workbook.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from functools import lru_cache

from lxml import etree

from toolkit.workbook.package import PackageError, add_override, add_relationship, edit_package

#: The Pyodide release the workbook asks xlwings Lite for (the tests run this one, pinned
#: in ``tests/pyodide/package.json``).
PYODIDE_VERSION = "0.27.5"
#: The project's own xlwings pin (pyproject.toml); the pure wheel runs inside Pyodide.
XLWINGS_VERSION = "0.37.8"
#: The xlwings Lite release whose saved workbooks these parts follow.
ADDIN_VERSION = "1.0.0.0-18"
#: xlwings Lite in the Office add-in store (AppSource asset id).
STORE_ID = "wa200008175"
STORE_CULTURE = "da-DK"

WEBEXTENSION = "xl/webextensions/webextension1.xml"
TASKPANES = "xl/webextensions/taskpanes.xml"
TASKPANES_RELS = "xl/webextensions/_rels/taskpanes.xml.rels"
NEW_PARTS = (WEBEXTENSION, TASKPANES, TASKPANES_RELS)

NS_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
NS_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"

#: What xlwings Lite itself needs (it marks these "# required"); xlwings pinned to ours.
REQUIREMENTS = (
    f"xlwings=={XLWINGS_VERSION}  # required\n"
    "python-dotenv==1.1.1  # required\n"
    "pyodide-http  # required\n"
    "black  # required\n"
)
_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def properties(main_py: str) -> dict[str, str]:
    """The add-in's settings as stored: name → JSON text (a string is stored quoted)."""
    return {
        "main.py": json.dumps(main_py, ensure_ascii=False),
        "requirements.txt": json.dumps(REQUIREMENTS),
        "pyodideVersion": json.dumps(PYODIDE_VERSION),
        "addinVersion": json.dumps(ADDIN_VERSION),
        "Office.AutoShowTaskpaneWithDocument": "true",
    }


def webextension_xml(main_py: str) -> bytes:
    # A fixed id (derived from the code) keeps builds reproducible.
    ext_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "kontraktstyring:" + main_py)).upper() + "}"
    props = "".join(
        f'<we:property name="{_attr(k)}" value="{_attr(v)}"/>'
        for k, v in properties(main_py).items()
    )
    return (
        f'{_HEADER}<we:webextension xmlns:we="{NS_WE}" id="{ext_id}">'
        f'<we:reference id="{STORE_ID}" version="1.0.0.0" store="{STORE_CULTURE}" storeType="OMEX"/>'
        f'<we:alternateReferences><we:reference id="{STORE_ID.upper()}" version="1.0.0.0" '
        f'store="{STORE_ID.upper()}" storeType="OMEX"/></we:alternateReferences>'
        f"<we:properties>{props}</we:properties><we:bindings/>"
        f'<we:snapshot xmlns:r="{NS_R}"/></we:webextension>'
    ).encode()


def taskpanes_xml() -> bytes:
    return (
        f'{_HEADER}<wetp:taskpanes xmlns:wetp="{NS_WETP}">'
        '<wetp:taskpane dockstate="right" visibility="1" width="400" row="1">'
        f'<wetp:webextensionref xmlns:r="{NS_R}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
    ).encode()


def taskpanes_rels() -> bytes:
    return (
        f'{_HEADER}<Relationships xmlns="{NS_PKG_RELS}">'
        f'<Relationship Id="rId1" Type="{REL_WEBEXTENSION}" Target="webextension1.xml"/>'
        "</Relationships>"
    ).encode()


def add_addin(data: bytes, main_py: str) -> bytes:
    """The workbook package ``data`` with the xlwings Lite parts holding ``main_py``."""

    def root_rel(rels: etree._Element) -> None:
        add_relationship(rels, REL_TASKPANES, TASKPANES)

    def content_types(types: etree._Element) -> None:
        add_override(types, TASKPANES, CT_TASKPANES)
        add_override(types, WEBEXTENSION, CT_WEBEXTENSION)

    try:
        return edit_package(
            data,
            {"_rels/.rels": root_rel, "[Content_Types].xml": content_types},
            {
                TASKPANES: taskpanes_xml(),
                TASKPANES_RELS: taskpanes_rels(),
                WEBEXTENSION: webextension_xml(main_py),
            },
        )
    except PackageError as exc:
        raise ValueError(f"the add-in cannot be added: {exc}") from exc


@lru_cache(maxsize=1)
def _main_py() -> str:
    from toolkit.workbook.lite.bundle import main_py

    return main_py()


def with_addin(data: bytes) -> bytes:
    """``data`` with the add-in and the bundled Valider script (:mod:`toolkit.workbook.lite.bundle`)."""
    return add_addin(data, _main_py())


def stored_properties(package: bytes) -> dict[str, str]:
    """The add-in's settings read back from a workbook package (decoded from JSON)."""
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(io.BytesIO(package)) as z:
        root = ET.fromstring(z.read(WEBEXTENSION))
    out = {}
    for p in root.iter(f"{{{NS_WE}}}property"):
        out[p.get("name", "")] = json.loads(p.get("value", "null"))
    return out
