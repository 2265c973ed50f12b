"""What Excel loads: the task pane, the manifest, the icons and xlwings' alert dialog.

None of these need a sign-in (Office loads them before anyone can sign in); the task
pane gets a token for each click — from Office's single sign-on with Entra ID
(``Office.auth.getAccessToken``) or, with a shared secret, from the user once per session
— and sends it as ``Authorization: Bearer …`` with xlwings' ``runPython``.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from toolkit.excel.server.config import ServerConfig

BUTTON_TEXT = {
    "valider": ("Valider", "Til virksomhedens arbejdsbog: tjek den, og marker fejl og mangler."),
    "konsolider": ("Konsolider", "Til masterarbejdsbogen: saml alle indsendte arbejdsbøger."),
    "lav_kontrakter": ("Lav kontrakter", "En Word-kontrakt pr. virksomhed."),
    "lav_udvalgsnotater": ("Lav udvalgsnotater", "Et udvalgsnotat pr. fagudvalg."),
    "nyt_kontraktaar": ("Nyt kontraktår", "Næste års arbejdsbøger med årets mål og resultater."),
    "paamind": ("Påmindelser", "E-mailkladder til dem, der mangler, er forsinkede eller har fejl."),
}


_TASKPANE_JS = """
    const MODE = "%MODE%";
    const KEY = "kontraktstyring-adgangskode";
    const status = document.getElementById("status");
    async function authorization() {
      if (MODE === "entra") {
        const token = await Office.auth.getAccessToken(
          { allowSignInPrompt: true, allowConsentPrompt: true });
        return "Bearer " + token;
      }
      const field = document.getElementById("adgangskode");
      const secret = field.value || sessionStorage.getItem(KEY) || "";
      if (!secret) { throw new Error("Skriv adgangskoden fra Kontraktservice først."); }
      sessionStorage.setItem(KEY, secret);
      field.value = "";
      return "Bearer " + secret;
    }
    Office.onReady(function () {});
    document.querySelectorAll("button[data-script]").forEach(function (b) {
      b.addEventListener("click", async function () {
        status.textContent = "";
        try {
          const auth = await authorization();
          await xlwings.runPython(
            window.location.origin + "/xlwings/custom-scripts-call/" + b.dataset.script,
            { auth: auth });
        } catch (e) {
          status.textContent = "Det lykkedes ikke: " + (e && e.message ? e.message : e);
        }
      });
    });
"""


def taskpane_html(config: ServerConfig) -> str:
    mode = "entra" if config.entra else "hemmelighed"
    secret_field = (
        ""
        if config.entra
        else "  <p><label>Adgangskode fra Kontraktservice<br>"
        '<input type="password" id="adgangskode" autocomplete="current-password"></label></p>\n'
    )
    script = _TASKPANE_JS.replace("%MODE%", mode)
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
{secret_field}{buttons}
  <p id="status" role="status"></p>
  <script>{script}</script>
</body>
</html>
"""


def manifest_xml(config: ServerConfig) -> str:
    """The add-in's manifest: a ribbon tab Kontraktstyring with a button for the task pane."""
    base = escape(config.base_url)
    sso = ""
    if config.entra is not None:  # Office's single sign-on: the token for this app
        sso = (f"\n    <WebApplicationInfo>\n      <Id>{escape(config.entra.client_id)}</Id>"
               f"\n      <Resource>{escape(config.entra.resource or config.base_url)}</Resource>"
               "\n      <Scopes>\n        <Scope>openid</Scope>\n        <Scope>profile</Scope>"
               "\n      </Scopes>\n    </WebApplicationInfo>")  # fmt: skip
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
        <bt:String id="Button.Tooltip" DefaultValue="Vis knapperne Valider, Konsolider, Lav kontrakter, Lav udvalgsnotater, Nyt kontraktår og Påmindelser."/>
      </bt:LongStrings>
    </Resources>{sso}
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
