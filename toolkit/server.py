"""xlwings Server for Kontraktservice: the buttons as an Office.js add-in, without VBA.

Start it with ``kontrakt server --port 8000`` or ``python -m toolkit.server``. It serves:

``GET /manifest.xml``
    the add-in's manifest (Danish), pointing at this server's public address (``--url``);
``GET /taskpane.html``
    the task pane with the buttons Valider, Konsolider, Lav kontrakter, Lav
    udvalgsnotater and Nyt kontraktår; it loads Microsoft's ``office.js`` and xlwings'
    Office.js client (``xlwings.min.js`` of the pinned version) and calls
    ``xlwings.runPython`` with the script URL below;
``POST /xlwings/custom-scripts-call/<script>``
    xlwings Server's protocol: the body is the workbook as the client sends it; the
    script runs the same function of :mod:`toolkit.excel` as the VBA buttons, on
    ``xw.Book(json=...)``; the answer is ``book.json()`` — the actions the client applies;
``GET /xlwings/custom-scripts-meta``
    the registered scripts (:func:`xlwings.server.custom_scripts_meta`);
``GET /xlwings/alert``
    the dialog ``book.app.alert`` opens (xlwings' own ``xlwings-alert.html``);
``GET /icons/icon-<n>.png``, ``GET /health``.

Only the standard library's HTTP server is used (plus xlwings and Jinja2, which the
project has anyway). Office requires HTTPS: give ``--cert``/``--noegle`` or put the
server behind the municipality's reverse proxy. Paths in a workbook's settings are paths
on *this* machine; ``--mappe`` limits them to the given folders.

xlwings' remote engine and ``xlwings.server`` are licensed under PolyForm Noncommercial
1.0.0, which permits use by public institutions such as a municipality. Unless the
environment variable ``XLWINGS_LICENSE_KEY`` holds another key, this module sets it to
``noncommercial`` before xlwings is imported. The rest of the project does not need it.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import struct
import sys
import threading
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape, quoteattr

LICENSE_ENV = "XLWINGS_LICENSE_KEY"
MAX_BODY = 64 << 20  # a workbook payload larger than this is refused


def ensure_remote_engine() -> None:
    """Make xlwings' remote engine (``xw.Book(json=...)``) available.

    Sets ``XLWINGS_LICENSE_KEY=noncommercial`` when no key is set (PolyForm
    Noncommercial: permitted for public institutions) and registers the engine even if
    xlwings was imported before the key was there.
    """
    os.environ.setdefault(LICENSE_ENV, "noncommercial")
    import xlwings

    if "remote" not in [e.name for e in xlwings.engines]:
        from xlwings.pro import _xlremote  # checks the licence key

        xlwings.engines.add(xlwings.Engine(impl=_xlremote.engine))


ensure_remote_engine()

import xlwings as xw  # noqa: E402  (after the licence key is set)
from xlwings.server import custom_scripts_call, custom_scripts_meta, script  # noqa: E402

from toolkit import excel  # noqa: E402

# --------------------------------------------------------------------------- the scripts
# The same functions as the VBA buttons (macros/*.bas); the Book comes from the request.


@script(name="Valider")
def valider(book: xw.Book) -> None:
    """Tjek arbejdsbogen, og marker fejl og mangler."""
    excel.valider(book)


@script(name="Konsolider")
def konsolider(book: xw.Book) -> None:
    """Saml alle indsendte arbejdsbøger i den åbne masterarbejdsbog."""
    excel.konsolider(book)


@script(name="Lav kontrakter")
def lav_kontrakter(book: xw.Book) -> None:
    """Lav en Word-kontrakt pr. virksomhed."""
    excel.lav_kontrakter(book)


@script(name="Lav udvalgsnotater")
def lav_udvalgsnotater(book: xw.Book) -> None:
    """Lav et udvalgsnotat pr. fagudvalg."""
    excel.lav_udvalgsnotater(book)


@script(name="Nyt kontraktår")
def nyt_kontraktaar(book: xw.Book) -> None:
    """Start næste kontraktår (ikke lavet endnu)."""
    excel.nyt_kontraktaar(book)


SCRIPTS = ("valider", "konsolider", "lav_kontrakter", "lav_udvalgsnotater", "nyt_kontraktaar")
_lock = threading.Lock()  # the remote engine keeps its books in a global list


def run_script(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one script on the workbook ``payload``; return the actions for the client.

    A mistake the user can fix (:class:`toolkit.excel.ExcelFejl`, e.g. Nyt kontraktår,
    which is not written yet) comes back as a Danish alert instead of an HTTP error.
    """
    if name not in SCRIPTS:
        raise KeyError(name)
    module = sys.modules[__name__]
    with _lock:
        book = xw.Book(json=payload)
        try:
            try:
                done = asyncio.run(
                    custom_scripts_call(module, name, typehint_to_value={xw.Book: book})
                )
                return dict(done.json())
            except excel.ExcelFejl as exc:
                fresh = xw.Book(json=payload)
                try:
                    fresh.app.alert(
                        str(exc), title="Kontraktstyring", buttons="ok", mode="critical"
                    )
                    return dict(fresh.json())
                finally:
                    fresh.close()
        finally:
            book.close()


# --------------------------------------------------------------------------- configuration


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    #: The address Excel reaches the server at (in the manifest); default from host/port.
    url: str = ""
    #: xlwings' Office.js client; must be the same version as the Python package.
    xlwings_js: str = ""
    #: Folders the workbooks' settings may point into (empty: anywhere).
    folders: Sequence[Path] = field(default_factory=tuple)
    cert: Path | None = None
    key: Path | None = None
    #: The add-in's id in the manifest; default: derived from the URL (stable).
    addin_id: str = ""

    @property
    def scheme(self) -> str:
        return "https" if self.cert else "http"

    @property
    def base_url(self) -> str:
        return (self.url or f"{self.scheme}://{self.host}:{self.port}").rstrip("/")

    @property
    def js_url(self) -> str:
        if self.xlwings_js:
            return self.xlwings_js
        return f"https://cdn.jsdelivr.net/gh/xlwings/xlwings@{xw.__version__}/xlwingsjs/dist/xlwings.min.js"

    @property
    def manifest_id(self) -> str:
        return self.addin_id or str(uuid.uuid5(uuid.NAMESPACE_URL, self.base_url))


BUTTON_TEXT = {
    "valider": ("Valider", "Til virksomhedens arbejdsbog: tjek den, og marker fejl og mangler."),
    "konsolider": ("Konsolider", "Til masterarbejdsbogen: saml alle indsendte arbejdsbøger."),
    "lav_kontrakter": ("Lav kontrakter", "En Word-kontrakt pr. virksomhed."),
    "lav_udvalgsnotater": ("Lav udvalgsnotater", "Et udvalgsnotat pr. fagudvalg."),
    "nyt_kontraktaar": ("Nyt kontraktår", "Start næste kontraktår (ikke lavet endnu)."),
}


def taskpane_html(config: ServerConfig) -> str:
    buttons = "\n".join(
        f'    <p><button type="button" data-script="{name}">{escape(label)}</button><br>'
        f"<small>{escape(help_)}</small></p>"
        for name, (label, help_) in BUTTON_TEXT.items()
    )
    return f"""<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kontraktstyring</title>
  <script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>
  <script src={quoteattr(config.js_url)}></script>
  <style>
    body {{ font-family: "Segoe UI", Calibri, sans-serif; margin: 1em; color: #1F3864; }}
    button {{ font-size: 1em; padding: .4em 1em; min-width: 12em; }}
    small {{ color: #595959; }}
  </style>
</head>
<body>
  <h1>Kontraktstyring</h1>
  <p>Knapperne kører værktøjet på den arbejdsbog, der er åben. Ændringerne skrives i
  arbejdsbogen; gem den bagefter.</p>
{buttons}
  <script>
    Office.onReady(function () {{}});
    document.querySelectorAll("button[data-script]").forEach(function (b) {{
      b.addEventListener("click", function () {{
        xlwings.runPython(window.location.origin + "/xlwings/custom-scripts-call/" + b.dataset.script);
      }});
    }});
  </script>
</body>
</html>
"""


def manifest_xml(config: ServerConfig) -> str:
    """The add-in's manifest: a ribbon tab Kontraktstyring with a button for the task pane."""
    base = escape(config.base_url)
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"
  xmlns:ov="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="TaskPaneApp">
  <Id>{config.manifest_id}</Id>
  <Version>1.0.0</Version>
  <ProviderName>Kontraktservice</ProviderName>
  <DefaultLocale>da-DK</DefaultLocale>
  <DisplayName DefaultValue="Kontraktstyring"/>
  <Description DefaultValue="Valider arbejdsbøger, konsolider masterarbejdsbogen og lav kontrakter og udvalgsnotater."/>
  <IconUrl DefaultValue="{base}/icons/icon-32.png"/>
  <HighResolutionIconUrl DefaultValue="{base}/icons/icon-64.png"/>
  <SupportUrl DefaultValue="{base}/taskpane.html"/>
  <AppDomains>
    <AppDomain>{base}</AppDomain>
  </AppDomains>
  <Hosts>
    <Host Name="Workbook"/>
  </Hosts>
  <DefaultSettings>
    <SourceLocation DefaultValue="{base}/taskpane.html"/>
  </DefaultSettings>
  <Permissions>ReadWriteDocument</Permissions>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Hosts>
      <Host xsi:type="Workbook">
        <DesktopFormFactor>
          <ExtensionPoint xsi:type="PrimaryCommandSurface">
            <CustomTab id="Kontraktstyring.Tab">
              <Group id="Kontraktstyring.Group">
                <Label resid="Group.Label"/>
                <Icon>
                  <bt:Image size="16" resid="Icon.16x16"/>
                  <bt:Image size="32" resid="Icon.32x32"/>
                  <bt:Image size="80" resid="Icon.80x80"/>
                </Icon>
                <Control xsi:type="Button" id="Kontraktstyring.TaskpaneButton">
                  <Label resid="Button.Label"/>
                  <Supertip>
                    <Title resid="Button.Label"/>
                    <Description resid="Button.Tooltip"/>
                  </Supertip>
                  <Icon>
                    <bt:Image size="16" resid="Icon.16x16"/>
                    <bt:Image size="32" resid="Icon.32x32"/>
                    <bt:Image size="80" resid="Icon.80x80"/>
                  </Icon>
                  <Action xsi:type="ShowTaskpane">
                    <TaskpaneId>Kontraktstyring.Taskpane</TaskpaneId>
                    <SourceLocation resid="Taskpane.Url"/>
                  </Action>
                </Control>
              </Group>
              <Label resid="Tab.Label"/>
            </CustomTab>
          </ExtensionPoint>
        </DesktopFormFactor>
      </Host>
    </Hosts>
    <Resources>
      <bt:Images>
        <bt:Image id="Icon.16x16" DefaultValue="{base}/icons/icon-16.png"/>
        <bt:Image id="Icon.32x32" DefaultValue="{base}/icons/icon-32.png"/>
        <bt:Image id="Icon.80x80" DefaultValue="{base}/icons/icon-80.png"/>
      </bt:Images>
      <bt:Urls>
        <bt:Url id="Taskpane.Url" DefaultValue="{base}/taskpane.html"/>
      </bt:Urls>
      <bt:ShortStrings>
        <bt:String id="Tab.Label" DefaultValue="Kontraktstyring"/>
        <bt:String id="Group.Label" DefaultValue="Kontraktstyring"/>
        <bt:String id="Button.Label" DefaultValue="Knapperne"/>
      </bt:ShortStrings>
      <bt:LongStrings>
        <bt:String id="Button.Tooltip" DefaultValue="Vis knapperne Valider, Konsolider, Lav kontrakter, Lav udvalgsnotater og Nyt kontraktår."/>
      </bt:LongStrings>
    </Resources>
  </VersionOverrides>
</OfficeApp>
"""


@cache
def icon_png(size: int) -> bytes:
    """A plain square icon in the project's dark blue with a light 'K' bar (no files)."""
    blue, light = (0x1F, 0x38, 0x64), (0xFF, 0xF2, 0xCC)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            inside = size // 4 <= y < size - size // 4
            stem = size // 4 <= x < size // 4 + max(1, size // 8)
            arm = abs((x - size // 4) - abs(y - size // 2)) < max(1, size // 10) and x > size // 4
            row += bytes(light if inside and (stem or arm) else blue)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))  # fmt: skip


@cache
def _alert_template() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("xlwings", "html"), autoescape=True, keep_trailing_newline=True
    )
    return env.get_template("xlwings-alert.html")


def alert_html(query: dict[str, str]) -> str:
    """xlwings' alert dialog; the prompt is escaped (its line breaks become <br>)."""
    return str(
        _alert_template().render(
            prompt=query.get("prompt", ""),
            title=query.get("title", ""),
            buttons=query.get("buttons", "ok"),
            mode=query.get("mode", ""),
            callback=query.get("callback", ""),
        )
    )


# --------------------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    server_version = "kontraktstyring"
    config = ServerConfig()

    def _send(self, status: int, body: bytes | str, content_type: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _text(self, status: int, message: str) -> None:
        self._send(status, message, "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        path = url.path
        if path in ("/", ""):
            self.send_response(302)
            self.send_header("Location", "/taskpane.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/taskpane.html":
            self._send(200, taskpane_html(self.config), "text/html; charset=utf-8")
        elif path == "/manifest.xml":
            self._send(200, manifest_xml(self.config), "application/xml; charset=utf-8")
        elif path.startswith("/icons/icon-") and path.endswith(".png"):
            try:
                size = int(path[len("/icons/icon-") : -len(".png")])
            except ValueError:
                size = 0
            if size not in (16, 32, 64, 80):
                self._text(404, "Ukendt ikon.")
            else:
                self._send(200, icon_png(size), "image/png")
        elif path == "/xlwings/alert":
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            self._send(200, alert_html(query), "text/html; charset=utf-8")
        elif path == "/xlwings/custom-scripts-meta":
            meta = custom_scripts_meta(sys.modules[__name__])
            self._send(200, json.dumps(meta, ensure_ascii=False), "application/json")
        elif path == "/health":
            self._text(200, "ok")
        else:
            self._text(404, "Siden findes ikke.")

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        prefix = "/xlwings/custom-scripts-call/"
        if not path.startswith(prefix):
            self._text(404, "Siden findes ikke.")
            return
        name = path[len(prefix) :]
        if name not in SCRIPTS:
            self._text(404, f"Ukendt knap: {name}.")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            self._text(413 if length > MAX_BODY else 400, "Arbejdsbogen mangler eller er for stor.")
            return
        try:
            payload = json.loads(self.rfile.read(length))
            if not isinstance(payload, dict) or "sheets" not in payload:
                raise ValueError("no sheets")
        except ValueError:
            self._text(400, "Forespørgslen er ikke en arbejdsbog fra xlwings.")
            return
        try:
            actions = run_script(name, payload)
        except Exception as exc:  # shown by the client as the error message
            self.log_error("script %s failed: %r", name, exc)
            self._text(500, f"Der opstod en uventet fejl: {exc}")
            return
        self._send(200, json.dumps(actions, ensure_ascii=False, default=str), "application/json")

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def make_server(config: ServerConfig) -> ThreadingHTTPServer:
    """The HTTP(S) server, bound but not started (port 0: any free port)."""
    handler = type("ConfiguredHandler", (Handler,), {"config": config})
    httpd = ThreadingHTTPServer((config.host, config.port), handler)
    if config.port == 0:
        config.port = int(httpd.server_address[1])
    if config.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(config.cert), str(config.key) if config.key else None)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    excel.set_allowed_folders(list(config.folders) or None)
    return httpd


def serve(config: ServerConfig) -> None:
    """Run the server until Ctrl+C."""
    httpd = make_server(config)
    print(f"Kontraktstyring-serveren kører på {config.base_url} (stop med Ctrl+C).")
    print(f"Manifest til Excel: {config.base_url}/manifest.xml")
    if os.environ.get(LICENSE_ENV) == "noncommercial":
        print(
            "xlwings' server-del bruges under PolyForm Noncommercial 1.0.0 (tilladt for offentlige institutioner)."
        )
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m toolkit.server",
        description="Kontraktstyrings xlwings Server: knapperne som tilføjelsesprogram i Excel.",
    )
    parser.add_argument("--vaert", default="127.0.0.1", help="Netværksadressen, der lyttes på.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--url", default="", help="Adressen, Excel når serveren på (https://…).")
    parser.add_argument("--cert", type=Path, help="TLS-certifikat (PEM).")
    parser.add_argument("--noegle", type=Path, help="TLS-nøgle (PEM).")
    parser.add_argument("--mappe", type=Path, action="append", default=[],
                        help="En mappe, indstillingerne må pege ind i (kan gentages).")  # fmt: skip
    parser.add_argument("--xlwings-js", default="", help="Adressen på xlwings.min.js.")
    args = parser.parse_args(argv)
    serve(ServerConfig(args.vaert, args.port, args.url, args.xlwings_js, args.mappe,
                       args.cert, args.noegle))  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    main()
