"""The server's settings: address, root folder, sign-in, limits."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.errors import UserError

#: Environment variables holding the shared secrets (never on the command line: the
#: process list is readable by everyone on the server).
SECRET_ENV = "KONTRAKT_HEMMELIGHED"  # every button (role Kontraktservice)
SECRET_VALIDER_ENV = "KONTRAKT_HEMMELIGHED_VALIDER"  # Valider only
MIN_SECRET = 16
#: The role Entra ID (or the shared secret) must give for the buttons of the master.
KONTRAKTSERVICE = "Kontraktservice"
XLWINGS_VERSION = "0.37.8"


class KonfigurationsFejl(UserError):
    """The server cannot start like this; the message is Danish."""


@dataclass(frozen=True)
class EntraConfig:
    """Microsoft Entra ID: which tokens are accepted.

    ``tenants``: the allowed tenant ids (the ``tid`` claim; the issuer must be that
    tenant's). ``audiences``: the add-in's app registration — its client id and/or its
    application ID URI (``api://kontrakt.kommune.dk/<client-id>``). ``jwks``: the signing
    keys, a local JSON file or an https URL
    (``https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys``).
    """

    tenants: tuple[str, ...]
    audiences: tuple[str, ...]
    jwks: str
    leeway: int = 60  # seconds of clock skew allowed on exp/nbf

    @property
    def client_id(self) -> str:
        """The app registration's id (for the manifest's single sign-on)."""
        for a in self.audiences:
            if not a.startswith("api://"):
                return a
        return self.audiences[0].rstrip("/").rsplit("/", 1)[-1]

    @property
    def resource(self) -> str:
        for a in self.audiences:
            if a.startswith("api://"):
                return a
        return ""


@dataclass
class ServerConfig:
    #: The one folder every path (settings, the book's name) must lie inside.
    root: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: The address Excel reaches the server at (in the manifest); default from host/port.
    url: str = ""
    #: xlwings' Office.js client; must be the same version as the Python package.
    xlwings_js: str = ""
    cert: Path | None = None
    key: Path | None = None
    #: The add-in's id in the manifest; default: derived from the URL (stable).
    addin_id: str = ""
    #: Shared secret → roles it gives (Valider needs none).
    secrets: dict[str, frozenset[str]] = field(default_factory=dict)
    entra: EntraConfig | None = None
    #: Limits: request body, seconds to receive it, open connections, worker processes.
    max_body: int = 64 << 20
    read_timeout: float = 30.0
    max_connections: int = 64
    short_workers: int = 2
    long_workers: int = 1
    #: Calls that may wait for a worker, per pool; more get 503.
    queue: int = 8

    @property
    def scheme(self) -> str:
        return "https" if self.cert else "http"

    @property
    def base_url(self) -> str:
        return (self.url or f"{self.scheme}://{self.host}:{self.port}").rstrip("/")

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the public address: the only Origin accepted."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    @property
    def js_url(self) -> str:
        if self.xlwings_js:
            return self.xlwings_js
        return f"https://cdn.jsdelivr.net/gh/xlwings/xlwings@{XLWINGS_VERSION}/xlwingsjs/dist/xlwings.min.js"

    @property
    def manifest_id(self) -> str:
        return self.addin_id or str(uuid.uuid5(uuid.NAMESPACE_URL, self.base_url))

    def check(self) -> None:
        """Refuse to start without a root folder or a way to sign in."""
        if self.root is None:
            raise KonfigurationsFejl(
                "Angiv den mappe, serveren må læse og skrive i, med --mappe (fx --mappe "
                "D:\\Kontraktstyring). Alle stier i arbejdsbøgerne skal ligge i den."
            )
        if not Path(self.root).is_dir():
            raise KonfigurationsFejl(f"Mappen {self.root} (--mappe) findes ikke.")
        if not self.secrets and self.entra is None:
            raise KonfigurationsFejl(
                "Serveren kræver login. Angiv Entra ID (--entra-tenant, --entra-klient, "
                f"--entra-jwks) eller en delt hemmelighed i miljøvariablen {SECRET_ENV}."
            )
        for secret in self.secrets:
            if len(secret) < MIN_SECRET:
                raise KonfigurationsFejl(
                    f"En delt hemmelighed skal være mindst {MIN_SECRET} tegn lang."
                )
        if self.entra is not None and not (
            self.entra.tenants and self.entra.audiences and self.entra.jwks
        ):
            raise KonfigurationsFejl(
                "Entra ID kræver både --entra-tenant, --entra-klient og --entra-jwks."
            )


def secrets_from_env(env: dict[str, str] | None = None) -> dict[str, frozenset[str]]:
    """The shared secrets set in the environment, with the roles each gives."""
    env = dict(os.environ) if env is None else env
    out: dict[str, frozenset[str]] = {}
    if env.get(SECRET_VALIDER_ENV):
        out[env[SECRET_VALIDER_ENV]] = frozenset()
    if env.get(SECRET_ENV):
        out[env[SECRET_ENV]] = frozenset({KONTRAKTSERVICE})
    return out
