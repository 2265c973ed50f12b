"""Starting the server: uvicorn with the limits, from the command line or from a test."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from toolkit.errors import UserError
from toolkit.excel.server.config import (
    SECRET_ENV,
    SECRET_VALIDER_ENV,
    EntraConfig,
    ServerConfig,
    secrets_from_env,
)
from toolkit.excel.server.jobs import JobPools


def _uvicorn_config(config: ServerConfig, pools: JobPools | None = None) -> uvicorn.Config:
    from toolkit.excel.confine import set_root
    from toolkit.excel.server.app import make_app

    config.check()
    config.root = set_root(config.root)  # resolved once; the workers get the same
    return uvicorn.Config(
        make_app(config, pools),
        host=config.host,
        port=config.port,
        ssl_certfile=str(config.cert) if config.cert else None,
        ssl_keyfile=str(config.key) if config.key else None,
        limit_concurrency=config.max_connections,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=64 * 1024,  # request line and headers
        server_header=False,
        proxy_headers=False,
        log_level="info",
        access_log=True,
    )


@dataclass
class Running:
    """A server started by :func:`start` (tests, or embedding)."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def start(config: ServerConfig, pools: JobPools | None = None) -> Running:
    """Serve in a thread on ``config.port`` (0: a free port) until :meth:`Running.stop`."""
    uconfig = _uvicorn_config(config, pools)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    config.port = int(sock.getsockname()[1])
    server = uvicorn.Server(uconfig)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="kontrakt-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError("Serveren startede ikke.")
    return Running(server, thread, f"{config.scheme}://{config.host}:{config.port}")


def serve(config: ServerConfig) -> None:
    """Run the server until Ctrl+C (or the service stops it)."""
    from toolkit.excel.server.scripts import LICENSE_ENV

    uconfig = _uvicorn_config(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    print(f"Kontraktstyring-serveren kører på {config.base_url} (stop med Ctrl+C).")
    print(f"Manifest til Excel: {config.base_url}/manifest.xml")
    print(f"Mappe: {config.root} — alle stier i arbejdsbøgerne skal ligge i den.")
    print("Login: " + ("Entra ID" if config.entra else "delt hemmelighed")
          + (" og delt hemmelighed" if config.entra and config.secrets else ""))  # fmt: skip
    if os.environ.get(LICENSE_ENV) == "noncommercial":
        print("xlwings' server-del bruges under PolyForm Noncommercial 1.0.0 "
              "(tilladt for offentlige institutioner).")  # fmt: skip
    uvicorn.Server(uconfig).run()


def config_from(
    *,
    mappe: Path | None,
    vaert: str = "127.0.0.1",
    port: int = 8000,
    url: str = "",
    cert: Path | None = None,
    noegle: Path | None = None,
    xlwings_js: str = "",
    entra_tenant: Sequence[str] = (),
    entra_klient: Sequence[str] = (),
    entra_jwks: str = "",
    lange_job: int = 1,
    frist: float = 30.0,
) -> ServerConfig:
    """The configuration from the command line's options and the environment."""
    entra = None
    if entra_tenant or entra_klient or entra_jwks:
        entra = EntraConfig(tuple(entra_tenant), tuple(entra_klient), entra_jwks)
    return ServerConfig(
        root=mappe, host=vaert, port=port, url=url, xlwings_js=xlwings_js, cert=cert,
        key=noegle, secrets=secrets_from_env(), entra=entra, long_workers=lange_job,
        read_timeout=frist,
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m toolkit.excel.server",
        description="Kontraktstyrings xlwings Server: knapperne som tilføjelsesprogram i Excel. "
        f"Delte hemmeligheder læses fra {SECRET_ENV} og {SECRET_VALIDER_ENV}.",
    )
    parser.add_argument("--mappe", type=Path,
                        help="Den mappe, alle stier i arbejdsbøgerne skal ligge i (påkrævet).")  # fmt: skip
    parser.add_argument("--vaert", default="127.0.0.1", help="Netværksadressen, der lyttes på.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--url", default="", help="Adressen, Excel når serveren på (https://…).")
    parser.add_argument("--cert", type=Path, help="TLS-certifikat (PEM).")
    parser.add_argument("--noegle", type=Path, help="TLS-nøgle (PEM).")
    parser.add_argument("--xlwings-js", default="", help="Adressen på xlwings.min.js.")
    parser.add_argument("--entra-tenant", action="append", default=[],
                        help="Tilladt tenant-id i Entra ID (kan gentages).")  # fmt: skip
    parser.add_argument("--entra-klient", action="append", default=[],
                        help="Tilføjelsesprogrammets klient-id / api://-URI (kan gentages).")  # fmt: skip
    parser.add_argument("--entra-jwks", default="",
                        help="Entra ID's nøgler: en JSON-fil eller en https-adresse.")  # fmt: skip
    parser.add_argument("--lange-job", type=int, default=1,
                        help="Hvor mange lange kørsler (Konsolider, Lav …) der må køre samtidig.")  # fmt: skip
    parser.add_argument("--frist", type=float, default=30.0,
                        help="Sekunder, en arbejdsbog må være om at nå frem.")  # fmt: skip
    args = parser.parse_args(argv)
    config = config_from(
        mappe=args.mappe, vaert=args.vaert, port=args.port, url=args.url, cert=args.cert,
        noegle=args.noegle, xlwings_js=args.xlwings_js, entra_tenant=args.entra_tenant,
        entra_klient=args.entra_klient, entra_jwks=args.entra_jwks, lange_job=args.lange_job,
        frist=args.frist,
    )  # fmt: skip
    try:
        serve(config)
    except UserError as exc:
        sys.exit(f"Serveren starter ikke: {exc}")
