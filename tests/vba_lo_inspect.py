"""Open workbooks in a headless LibreOffice and report their VBA project as JSON.

Run with Debian's interpreter, which has the UNO bridge (``/usr/bin/python3``)::

    /usr/bin/python3 tests/vba_lo_inspect.py jobs.json

``jobs.json`` holds ``{"jobs": [...]}``; each job is one of

* ``{"kind": "inspect", "file": "/abs/book.xlsm"}``: list the Basic libraries, the
  modules of the document library ``VBAProject`` (source and module type) and, per
  sheet, its code name and the form controls with their script event bindings;
* ``{"kind": "run", "file": "/abs/book.xlsm", "macro": "vnd.sun.star.script:...",
  "save_as": "/abs/out.xlsx"}``: run the macro through the document's script provider,
  then store the document as .xlsx.

One soffice process (own profile, own pipe) serves all jobs and is ended afterwards.
The result is printed as one JSON object on stdout.  Exit code 3 means UNO is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from typing import Any

try:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as error:  # pragma: no cover - depends on the interpreter
    print(json.dumps({"error": f"UNO is not available: {error}"}))
    sys.exit(3)

ALWAYS_EXECUTE_NO_WARN = 4
MODULE_TYPES = {0: "unknown", 1: "normal", 2: "class", 3: "form", 4: "document"}


def prop(name: str, value: Any) -> Any:
    result = PropertyValue()
    result.Name = name
    result.Value = value
    return result


def url(path: str) -> str:
    return uno.systemPathToFileUrl(os.path.abspath(path))


class Office:
    """A private headless soffice process and a connection to it."""

    def __init__(self, timeout: float) -> None:
        self.profile = tempfile.mkdtemp(prefix="vba-lo-profile-")
        self.pipe = f"vba_lo_{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            [
                shutil.which("soffice") or "soffice",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={url(self.profile)}",
                f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.context = resolver.resolve(
                    f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
                )
                break
            except NoConnectException:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise RuntimeError("soffice did not accept a connection") from None
                time.sleep(0.25)
        self.desktop = self.context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.context
        )

    def load(self, path: str) -> Any:
        return self.desktop.loadComponentFromURL(
            url(path),
            "_blank",
            0,
            (
                # Not hidden: only a visible view writes the active sheet when saving.
                prop("Hidden", False),
                prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN),
                prop("ReadOnly", False),
            ),
        )

    def close(self) -> None:
        try:
            if getattr(self, "desktop", None) is not None:
                self.desktop.terminate()
        except Exception:
            pass  # the bridge goes away while soffice shuts down
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def inspect(office: Office, path: str) -> dict[str, Any]:
    doc = office.load(path)
    try:
        libraries = doc.BasicLibraries
        result: dict[str, Any] = {
            "libraries": list(libraries.getElementNames()),
            "vba_compatibility_mode": bool(libraries.VBACompatibilityMode),
            "modules": {},
            "sheets": [],
        }
        if libraries.hasByName("VBAProject"):
            libraries.loadLibrary("VBAProject")
            library = libraries.getByName("VBAProject")
            for name in library.getElementNames():
                module_type = "unknown"
                try:
                    info = library.getModuleInfo(name)
                    module_type = MODULE_TYPES.get(info.ModuleType, str(info.ModuleType))
                except Exception:
                    pass
                result["modules"][name] = {"source": library.getByName(name), "type": module_type}
        sheets = doc.Sheets
        for index in range(sheets.Count):
            sheet = sheets.getByIndex(index)
            result["sheets"].append(
                {"name": sheet.Name, "codename": sheet.CodeName, "controls": controls(sheet)}
            )
        return result
    finally:
        doc.close(True)


def controls(sheet: Any) -> list[dict[str, Any]]:
    found = []
    forms = sheet.DrawPage.Forms
    for form_index in range(forms.Count):
        form = forms.getByIndex(form_index)
        for index in range(form.Count):
            model = form.getByIndex(index)
            events = [
                {
                    "listener": event.ListenerType,
                    "method": event.EventMethod,
                    "script_type": event.ScriptType,
                    "script": event.ScriptCode,
                }
                for event in form.getScriptEvents(index)
            ]
            found.append(
                {
                    "name": model.Name,
                    "label": getattr(model, "Label", None),
                    "service": model.ImplementationName,
                    "events": events,
                }
            )
    return found


def run(office: Office, path: str, macro: str, save_as: str) -> dict[str, Any]:
    doc = office.load(path)
    try:
        error = None
        value = None
        try:
            script = doc.getScriptProvider().getScript(macro)
            value, _, _ = script.invoke((), (), ())
        except Exception as exc:  # report, the caller decides
            error = f"{type(exc).__name__}: {getattr(exc, 'Message', exc)}"
        controller = doc.getCurrentController()
        active = controller.getActiveSheet().Name if controller is not None else None
        doc.storeToURL(url(save_as), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        return {"error": error, "value": None if value is None else str(value), "active": active}
    finally:
        doc.close(True)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        jobs = json.load(handle)["jobs"]
    timeout = float(os.environ.get("VBA_LO_TIMEOUT", "120"))
    office = Office(timeout=timeout)
    # A macro that blocks (a dialog in a non-headless build) must not hang the caller.
    watchdog = threading.Timer(timeout + 30 * len(jobs), office.process.kill)
    watchdog.daemon = True
    watchdog.start()
    results: list[dict[str, Any]] = []
    try:
        for job in jobs:
            if job["kind"] == "inspect":
                results.append(inspect(office, job["file"]))
            elif job["kind"] == "run":
                results.append(run(office, job["file"], job["macro"], job["save_as"]))
            else:
                raise ValueError(f"unknown job kind {job['kind']!r}")
    finally:
        watchdog.cancel()
        office.close()
    print(json.dumps({"results": results}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
