"""The ASGI application (Starlette): routes, sign-in, Origin, limits.

Routes (the same as xlwings Server's)::

    GET  /                                   → /taskpane.html
    GET  /taskpane.html, /manifest.xml, /icons/icon-<n>.png, /xlwings/alert, /health
    GET  /xlwings/custom-scripts-meta        (signed in)
    POST /xlwings/custom-scripts-call/<knap> (signed in, the button's role)

Every call that does something needs ``Authorization: Bearer …`` (:mod:`.auth`); a call
with an ``Origin`` header must come from the server's own public address, and CORS is
allowed for that origin only. A body is read with a deadline and a size limit: a stalled
upload gets 408, a too large one 413, a missing or unreadable one 400. The buttons run in
worker processes (:mod:`.jobs`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from toolkit.errors import UserError
from toolkit.excel.server import pages
from toolkit.excel.server.auth import Authenticator, AuthFejl, Principal, require_role
from toolkit.excel.server.config import ServerConfig
from toolkit.excel.server.jobs import JobPools, JobStoppet, Optaget

log = logging.getLogger("kontraktstyring.server")
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class Afvist(UserError):
    """An HTTP error with a Danish message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message, status_code=status, headers={**NO_STORE, **(headers or {})})


def _payload_error() -> Afvist:
    return Afvist(400, "Forespørgslen er ikke en arbejdsbog fra xlwings.")


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The body, at most ``limit`` bytes, received within ``timeout`` seconds."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():  # the HTTP parser refuses most before this
            raise Afvist(400, "Content-Length er ikke et tal.")
        if int(declared) > limit:
            raise Afvist(413, f"Arbejdsbogen er for stor (over {limit >> 20} MB).")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Afvist(413, f"Arbejdsbogen er for stor (over {limit >> 20} MB).")
                chunks.append(chunk)
    except TimeoutError:
        raise Afvist(408, "Arbejdsbogen kom ikke frem i tide. Prøv igen.") from None
    except ClientDisconnect:
        raise Afvist(400, "Forbindelsen blev afbrudt, før arbejdsbogen var sendt.") from None
    if not size:
        raise Afvist(400, "Arbejdsbogen mangler i forespørgslen.")
    return b"".join(chunks)


def parse_payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise _payload_error() from None
    if not isinstance(payload, dict) or not isinstance(payload.get("sheets"), list):
        raise _payload_error()
    book = payload.get("book")
    if not isinstance(book, dict) or not isinstance(book.get("name", ""), str):
        raise _payload_error()
    return payload


class Server:
    """The application's state: the configuration, the sign-in and the worker pools."""

    def __init__(self, config: ServerConfig, pools: JobPools) -> None:
        self.config = config
        self.auth = Authenticator(config)
        self.pools = pools

    def check_origin(self, request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is not None and origin.lower().rstrip("/") != self.config.origin:
            raise Afvist(403, f"Forespørgslen kommer fra en anden side ({origin}) end "
                              f"tilføjelsesprogrammet ({self.config.origin}).")  # fmt: skip

    async def signed_in(self, request: Request) -> Principal:
        self.check_origin(request)
        header = request.headers.get("authorization")
        try:  # Entra ID may fetch keys over the network: not on the event loop
            return await run_in_threadpool(self.auth.authenticate, header)
        except AuthFejl as exc:
            headers = {"WWW-Authenticate": 'Bearer realm="kontraktstyring"'}
            raise Afvist(exc.status, exc.message, headers if exc.status == 401 else None) from None

    async def call(self, request: Request) -> Response:
        from toolkit.excel.server.scripts import ROLE, SCRIPTS

        principal = await self.signed_in(request)
        name = request.path_params["script"]
        if name not in SCRIPTS:
            raise Afvist(404, f"Ukendt knap: {name}.")
        label = pages.BUTTON_TEXT[name][0]
        try:
            require_role(principal, ROLE[name], label)
        except AuthFejl as exc:
            raise Afvist(exc.status, exc.message) from None
        payload = parse_payload(
            await read_body(request, self.config.max_body, self.config.read_timeout)
        )
        log.info("%s kører %s på %s", principal.name, label, payload.get("book", {}).get("name"))
        try:
            actions = await self.pools.run(name, payload)
        except Optaget:
            raise Afvist(503, "Serveren er optaget af andre kørsler. Prøv igen om lidt.",
                         {"Retry-After": "30"}) from None  # fmt: skip
        except JobStoppet:
            raise Afvist(500, f"{label} stoppede uventet på serveren (fx for lidt hukommelse). "
                              "Prøv igen; sker det igen, så kontakt Kontraktservice.") from None  # fmt: skip
        except Exception as exc:  # shown by the client as the error message
            log.exception("%s fejlede", label)
            raise Afvist(500, f"Der opstod en uventet fejl i {label}: {exc}") from None
        body = json.dumps(actions, ensure_ascii=False, default=str)
        return Response(body, media_type="application/json", headers=NO_STORE)

    async def meta(self, request: Request) -> Response:
        from xlwings.server import custom_scripts_meta

        from toolkit.excel.server import scripts

        await self.signed_in(request)
        describe: Callable[[Any], Any] = custom_scripts_meta  # xlwings has no annotations
        body = json.dumps(describe(scripts), ensure_ascii=False)
        return Response(body, media_type="application/json", headers=NO_STORE)


def _endpoint(method: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            response: Response = await method(request)
            return response
        except Afvist as exc:
            return _text(exc.status, exc.message, exc.headers)

    return endpoint


def make_app(config: ServerConfig, pools: JobPools | None = None) -> Starlette:
    """The application; ``pools`` default to worker processes confined to the root."""
    pools = pools or JobPools(
        config.root,
        short_workers=config.short_workers,
        long_workers=config.long_workers,
        queue=config.queue,
    )
    state = Server(config, pools)

    async def taskpane(request: Request) -> Response:
        return Response(pages.taskpane_html(config), media_type="text/html; charset=utf-8",
                        headers=NO_STORE)  # fmt: skip

    async def manifest(request: Request) -> Response:
        return Response(pages.manifest_xml(config), media_type="application/xml; charset=utf-8",
                        headers=NO_STORE)  # fmt: skip

    async def icon(request: Request) -> Response:
        size = request.path_params["size"]
        if size not in (16, 32, 64, 80):
            return _text(404, "Ukendt ikon.")
        return Response(pages.icon_png(size), media_type="image/png")

    async def alert(request: Request) -> Response:
        query = {k: v for k, v in request.query_params.items()}
        return Response(pages.alert_html(query), media_type="text/html; charset=utf-8",
                        headers=NO_STORE)  # fmt: skip

    async def health(request: Request) -> Response:
        return _text(200, "ok")

    async def root(request: Request) -> Response:
        return RedirectResponse("/taskpane.html", status_code=302)

    async def not_found(request: Request, exc: Exception) -> Response:
        return _text(404, "Siden findes ikke.")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return _text(405, "Metoden er ikke tilladt her.")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            pools.shutdown()

    routes = [
        Route("/", root),
        Route("/taskpane.html", taskpane),
        Route("/manifest.xml", manifest),
        Route("/icons/icon-{size:int}.png", icon),
        Route("/xlwings/alert", alert),
        Route("/health", health),
        Route("/xlwings/custom-scripts-meta", _endpoint(state.meta)),
        Route("/xlwings/custom-scripts-call/{script}", _endpoint(state.call), methods=["POST"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=[config.origin],
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            max_age=600,
        )
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: not_found, 405: not_allowed},
        lifespan=lifespan,
    )
