"""Who is calling: the Authorization header, checked against Entra ID or a shared secret.

Only the ``Authorization: Bearer …`` header counts — no cookies, so another web page
cannot make a signed-in browser call the server (no CSRF).

* **Entra ID** (Office.js single sign-on): the token is a JWT signed RS256 by Microsoft.
  Its signature is checked against the configured JWKS (a local file, or Microsoft's key
  URL, cached), and its claims: ``exp``/``nbf`` (with a minute's leeway), ``aud`` (the
  add-in's app registration), ``tid`` (an allowed tenant) and ``iss`` (that tenant's
  issuer, v1 or v2). The app roles come from the ``roles`` claim.
* **Shared secret** (tests and small sites): the bearer value is compared in constant time
  with the configured secrets; each secret gives its roles.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UserError
from toolkit.excel.server.config import EntraConfig, ServerConfig

log = logging.getLogger("kontraktstyring.server")
ISSUERS = ("https://login.microsoftonline.com/{tid}/v2.0", "https://sts.windows.net/{tid}/")


@dataclass(frozen=True)
class Principal:
    """A signed-in caller."""

    name: str
    roles: frozenset[str]


class AuthFejl(UserError):
    """401 (not signed in), 403 (not allowed) or 503 (keys unreachable); Danish message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _denied(reason: str) -> AuthFejl:
    return AuthFejl(401, f"Adgang nægtet: {reason} Log ind igen, eller kontakt Kontraktservice.")


class _Keys:
    """The JWKS signing keys: from a file (read again when a key id is unknown) or a URL."""

    def __init__(self, source: str) -> None:
        import jwt

        self.source = source
        self._lock = threading.Lock()
        self._file_keys: dict[str, Any] | None = None
        self._client = (
            jwt.PyJWKClient(source, cache_keys=True, lifespan=3600, timeout=10)
            if source.startswith("https://")
            else None
        )

    def _load_file(self) -> dict[str, Any]:
        import jwt

        data = json.loads(Path(self.source).read_text(encoding="utf-8"))
        keys = jwt.PyJWKSet.from_dict(data).keys
        return {k.key_id: k.key for k in keys if k.key_id}

    def key_for(self, token: str, kid: str) -> Any:
        import jwt

        if self._client is not None:
            try:
                return self._client.get_signing_key_from_jwt(token).key
            except jwt.PyJWKClientConnectionError as exc:  # the server's problem, not the user's
                log.warning("Entra ID's nøgler kan ikke hentes fra %s: %s", self.source, exc)
                raise AuthFejl(503, "Serveren kan ikke hente Entra ID's nøgler lige nu. Prøv "
                                    "igen om lidt; sker det igen, så kontakt IT.") from None  # fmt: skip
            except jwt.PyJWKClientError:
                raise _denied("tokenet er underskrevet med en ukendt nøgle.") from None
        with self._lock:
            if self._file_keys is None or kid not in self._file_keys:
                self._file_keys = self._load_file()
            keys = self._file_keys
        if kid not in keys:
            raise _denied("tokenet er underskrevet med en ukendt nøgle.")
        return keys[kid]


class Authenticator:
    """Checks the Authorization header of each call (thread-safe)."""

    def __init__(self, config: ServerConfig) -> None:
        self.secrets = [(s.encode("utf-8"), roles) for s, roles in config.secrets.items()]
        self.entra: EntraConfig | None = config.entra
        self._keys = _Keys(config.entra.jwks) if config.entra else None

    def authenticate(self, header: str | None) -> Principal:
        if not header:
            raise AuthFejl(
                401, "Log ind: forespørgslen mangler Authorization-headeren (Bearer-token)."
            )
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _denied("Authorization-headeren skal være 'Bearer <token>'.")
        secret = self._secret(token)
        if secret is not None:
            return secret
        if self.entra is None or token.count(".") != 2:
            raise _denied("forkert adgangskode eller token.")
        return self._entra(token)

    def _secret(self, token: str) -> Principal | None:
        given = token.encode("utf-8")
        found: Principal | None = None
        for secret, roles in self.secrets:  # compare with every secret: constant time
            if hmac.compare_digest(given, secret):
                found = Principal("delt hemmelighed", roles)
        return found

    def _entra(self, token: str) -> Principal:
        import jwt

        assert self.entra is not None and self._keys is not None
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _denied("tokenet kan ikke læses.") from None
        if header.get("alg") != "RS256":
            raise _denied("tokenet er ikke underskrevet med RS256.")
        key = self._keys.key_for(token, str(header.get("kid") or ""))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=list(self.entra.audiences),
                leeway=self.entra.leeway,
                options={"require": ["exp", "iss", "aud", "tid"]},
            )
        except jwt.ExpiredSignatureError:
            raise _denied("tokenet er udløbet.") from None
        except jwt.InvalidAudienceError:
            raise _denied("tokenet er udstedt til et andet program.") from None
        except jwt.ImmatureSignatureError:
            raise _denied("tokenet gælder ikke endnu.") from None
        except jwt.PyJWTError as exc:
            raise _denied(f"tokenet er ikke gyldigt ({exc}).") from None
        tid = str(claims.get("tid") or "")
        if tid not in self.entra.tenants:
            raise _denied("tokenet er fra en anden organisation (tenant).")
        if claims.get("iss") not in {i.format(tid=tid) for i in ISSUERS}:
            raise _denied("tokenet er ikke udstedt af organisationens Entra ID.")
        roles = claims.get("roles") or []
        if not isinstance(roles, list):
            roles = []
        name = str(
            claims.get("preferred_username")
            or claims.get("upn")
            or claims.get("name")
            or claims.get("oid")
            or "ukendt"
        )
        return Principal(name, frozenset(str(r) for r in roles))


def require_role(principal: Principal, role: str | None, button: str) -> None:
    """403 when the button needs a role the caller does not have."""
    if role is not None and role not in principal.roles:
        raise AuthFejl(
            403,
            f"Knappen {button} må kun bruges af {role}. Du er logget ind som {principal.name}, "
            f"som ikke har rollen {role}.",
        )
