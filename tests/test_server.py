"""The add-in server over loopback: sign-in, roles, Origin, the root folder, limits, load.

A real uvicorn serves the real application in a thread on a free port; the buttons run in
its worker processes. The client's part is played with :mod:`http.client` and raw sockets
(for what a browser would never send). Every request is bounded in time by its socket
timeout; nothing asserts how long something took.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
import server_jobs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from test_excel import (
    YEAR,
    apply_actions,
    area_rows,
    build_book,
    expected_rows,
    faulty_filling,
    payload_from_file,
    set_setting,
)

from toolkit.excel import server
from toolkit.excel.confine import set_root
from toolkit.excel.server.jobs import JobPools
from toolkit.master.xlsm import to_xlsm

ADMIN = "kontraktservice-hemmelighed-1234"
VALIDER_ONLY = "virksomhed-hemmelighed-56789"
TENANT = "11111111-2222-3333-4444-555555555555"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"
CLIENT_ID = "0f0f0f0f-1111-2222-3333-444444444444"
PUBLIC = "https://kontrakt.example.dk"
TIMEOUT = 120  # seconds, per request: a bound, not an assertion


# ------------------------------------------------------------------ the world


@dataclass
class World:
    url: str
    host: str
    port: int
    root: Path  # the server's one folder
    outside: Path  # beside it: must never change
    master: Path  # Master.xlsm inside the root
    register: Path
    focus: Path
    inbox: Path
    hold: Path  # where held jobs meet the test
    key: Any  # the RSA key "Entra ID" signs with
    stray_key: Any  # a key no one trusts
    pools: JobPools


def _keys(tmp: Path) -> tuple[Any, Any, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stray = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "k1", "use": "sig", "alg": "RS256"})
    path = tmp / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return key, stray, path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from toolkit.demo.pipeline import run_demo

    base = tmp_path_factory.mktemp("server")
    demo = base / "demo"
    run_demo(demo, antal=4, year=YEAR, seed=11)
    root, outside, hold = base / "rod", base / "ude", base / "hold"
    for d in (root, outside, hold):
        d.mkdir()
    shutil.copytree(demo / "indbakke", root / "indbakke")
    register = shutil.copy(demo / "inddata" / "Virksomhedsregister.xlsx", root)
    focus = shutil.copy(demo / "inddata" / "Indsatsområder.xlsx", root)
    master = to_xlsm(demo / "master.xlsx", root / "Master.xlsm")
    # what an attacker would like the server to read or write beside
    shutil.copy(master, outside / "Master.xlsm")
    shutil.copy(register, outside / "Virksomhedsregister.xlsx")
    shutil.copy(focus, outside / "Indsatsområder.xlsx")
    shutil.copytree(demo / "indbakke", outside / "indbakke")
    key, stray, jwks = _keys(base)
    config = server.ServerConfig(
        root=root, host="127.0.0.1", port=0, url=PUBLIC,
        secrets={ADMIN: frozenset({"Kontraktservice"}), VALIDER_ONLY: frozenset()},
        entra=server.EntraConfig((TENANT,), (CLIENT_ID, f"api://kontrakt.example.dk/{CLIENT_ID}"),
                                 str(jwks)),
        max_body=4 << 20, read_timeout=1.0, queue=1,
    )  # fmt: skip
    pools = JobPools(root, short_workers=1, long_workers=1, queue=1, job=server_jobs.job)
    running = server.start(config, pools)
    try:
        yield World(running.url, config.host, config.port, root.resolve(), outside, master,
                    Path(register), Path(focus), root / "indbakke", hold, key, stray, pools)  # fmt: skip
    finally:
        (hold / "release").touch()  # never leave a held job behind
        running.stop()
        set_root(None)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folder`` with its size and mtime."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


# ------------------------------------------------------------------ the client's part


def request(
    w: World,
    method: str,
    path: str,
    body: bytes | None = None,
    *,
    auth: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(w.host, w.port, timeout=TIMEOUT)
    try:
        h = dict(headers or {})
        if auth is not None:
            h["Authorization"] = auth
        if body is not None:
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def call(w: World, script: str, payload: dict[str, Any], auth: str | None = f"Bearer {ADMIN}",
         **kw: Any) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    return request(w, "POST", f"/xlwings/custom-scripts-call/{script}",
                   json.dumps(payload).encode(), auth=auth, **kw)  # fmt: skip


def raw(w: World, data: bytes, *, then: bytes = b"") -> bytes:
    """Send ``data`` as it is; read the answer until the server closes or answers fully."""
    with socket.create_connection((w.host, w.port), timeout=TIMEOUT) as s:
        s.sendall(data)
        if then:
            s.sendall(then)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                break
        return b"".join(chunks)


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def token(w: World, *, key: Any = None, kid: str = "k1", **claims: Any) -> str:
    now = int(time.time())
    body = {"aud": CLIENT_ID, "tid": TENANT, "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            "iat": now, "nbf": now, "exp": now + 3600, "preferred_username": "lise@kommune.dk",
            "roles": ["Kontraktservice"]}  # fmt: skip
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    pem = (key or w.key).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return "Bearer " + jwt.encode(body, pem, algorithm="RS256", headers={"kid": kid})


def alert_text(body: bytes) -> tuple[str, str]:
    """The one alert a refused call answers with: (text, mode)."""
    actions = json.loads(body)["actions"]
    assert [a["func"] for a in actions] == ["alert"], actions
    return actions[0]["args"][0], actions[0]["args"][3]


def master_payload(w: World, **settings: str) -> dict[str, Any]:
    payload = payload_from_file(w.master)
    set_setting(payload, "Indbakke", str(w.inbox))
    set_setting(payload, "Virksomhedsregister", str(w.register))
    set_setting(payload, "Indsatsområder", str(w.focus))
    set_setting(payload, "Dokumentmappe", str(w.root / "dokumenter"))
    for label, value in settings.items():
        set_setting(payload, label, value)
    return payload


# ------------------------------------------------------------------ what Excel loads


def test_serves_the_add_in_without_sign_in(world: World) -> None:
    status, headers, body = request(world, "GET", "/manifest.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    manifest = etree.fromstring(body)
    ns = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
          "v": "http://schemas.microsoft.com/office/taskpaneappversionoverrides"}  # fmt: skip
    assert manifest.find("o:DefaultSettings/o:SourceLocation", ns).get("DefaultValue") == (
        f"{PUBLIC}/taskpane.html"
    )
    assert manifest.find("o:DefaultLocale", ns).text == "da-DK"
    sso = manifest.find("v:VersionOverrides/v:WebApplicationInfo", ns)
    assert sso.find("v:Id", ns).text == CLIENT_ID  # Office's single sign-on for Entra ID
    status, _, page = request(world, "GET", "/taskpane.html")
    html = page.decode()
    assert status == 200 and "office.js" in html and "xlwings@0.37.8/" in html
    assert "Office.auth.getAccessToken" in html and "auth: auth" in html
    for name in server.SCRIPTS:
        assert f'data-script="{name}"' in html
    status, headers, png = request(world, "GET", "/icons/icon-32.png")
    assert status == 200 and headers["content-type"] == "image/png" and png.startswith(b"\x89PNG")
    assert request(world, "GET", "/icons/icon-33.png")[0] == 404
    query = "prompt=%3Cscript%3Ex%3C%2Fscript%3E%0An%C3%A6ste+linje&title=Valider&buttons=ok"
    status, _, alert = request(world, "GET", f"/xlwings/alert?{query}")
    assert (
        status == 200 and "&lt;script&gt;" in alert.decode() and "<script>x" not in alert.decode()
    )
    assert "<br>næste linje" in alert.decode()
    assert request(world, "GET", "/health")[:3:2] == (200, b"ok")
    assert request(world, "GET", "/")[0] == 302
    assert request(world, "GET", "/findes-ikke")[0] == 404


def test_meta_lists_the_buttons_for_a_signed_in_caller(world: World) -> None:
    status, _, meta = request(world, "GET", "/xlwings/custom-scripts-meta", auth=f"Bearer {ADMIN}")
    assert status == 200
    assert sorted(m["function_name"] for m in json.loads(meta)) == sorted(server.SCRIPTS)


# ------------------------------------------------------------------ who may call


def test_no_credentials_or_wrong_secret_is_401(world: World, tmp_path: Path) -> None:
    payload = payload_from_file(build_book(tmp_path, None))
    for auth, headers in [
        (None, {}),
        (None, {"Cookie": f"session={ADMIN}; token={ADMIN}"}),  # cookies never count
        ("Bearer", {}),
        ("Bearer forkert-hemmelighed-000000", {}),
        (f"Bearer {ADMIN}x", {}),
        (f"Basic {base64.b64encode(f'a:{ADMIN}'.encode()).decode()}", {}),
        (ADMIN, {}),  # no scheme
    ]:
        status, h, body = call(world, "valider", payload, auth=auth, headers=headers)
        assert status == 401, (auth, body)
        assert h["www-authenticate"].startswith("Bearer")
        assert body.decode().startswith(("Log ind", "Adgang nægtet"))
    assert request(world, "GET", "/xlwings/custom-scripts-meta")[0] == 401
    # an unknown button says nothing to a stranger either
    assert call(world, "slet_alt", payload, auth=None)[0] == 401


def test_entra_id_tokens_are_checked(world: World, tmp_path: Path) -> None:
    now = int(time.time())
    meta = "/xlwings/custom-scripts-meta"
    assert request(world, "GET", meta, auth=token(world))[0] == 200
    v1 = token(
        world,
        iss=f"https://sts.windows.net/{TENANT}/",
        aud=f"api://kontrakt.example.dk/{CLIENT_ID}",
    )
    assert request(world, "GET", meta, auth=v1)[0] == 200
    refused = {
        "udløbet": token(world, exp=now - 600, iat=now - 4000, nbf=now - 4000),
        "andet program": token(world, aud="api://andet-program"),
        "anden organisation": token(world, tid=OTHER_TENANT,
                                    iss=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
        "ikke udstedt": token(world, iss="https://login.microsoftonline.com/common/v2.0"),
        "ukendt nøgle": token(world, kid="k2"),
        "ikke gyldigt": token(world, key=world.stray_key),  # right kid, wrong key
        "gælder ikke endnu": token(world, nbf=now + 3600),
        "tid": token(world, tid=None),
    }  # fmt: skip
    for why, auth in refused.items():
        status, _, body = request(world, "GET", meta, auth=auth)
        assert status == 401, (why, body)
        assert body.decode().startswith("Adgang nægtet")
    # a token signed with the shared secret's algorithm family (HS256) or none at all
    claims = jwt.decode(token(world).split()[1], options={"verify_signature": False})
    forged = jwt.encode(claims, "hemmelig-noegle-der-er-lang-nok-32b", algorithm="HS256",
                        headers={"kid": "k1"})  # fmt: skip
    assert request(world, "GET", meta, auth=f"Bearer {forged}")[0] == 401
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"})  # type: ignore[arg-type]
    assert request(world, "GET", meta, auth=f"Bearer {unsigned}")[0] == 401


def test_a_button_needs_its_role(world: World, tmp_path: Path) -> None:
    payload = master_payload(world)
    before = snapshot(world.root)
    for auth in (f"Bearer {VALIDER_ONLY}", token(world, roles=[]), token(world, roles=["Læser"])):
        for script in ("konsolider", "lav_kontrakter", "lav_udvalgsnotater", "nyt_kontraktaar"):
            status, _, body = call(world, script, payload, auth=auth)
            assert status == 403, (script, body)
            assert "Kontraktservice" in body.decode()
    assert snapshot(world.root) == before
    # Valider is for everyone signed in
    book = payload_from_file(build_book(tmp_path, None))
    assert call(world, "valider", book, auth=f"Bearer {VALIDER_ONLY}")[0] == 200
    assert call(world, "valider", book, auth=token(world, roles=None))[0] == 200


def test_origin_must_be_the_add_ins_own(world: World, tmp_path: Path) -> None:
    payload = payload_from_file(build_book(tmp_path, None))
    status, _, body = call(world, "valider", payload, headers={"Origin": "https://ond.example"})
    assert status == 403 and "anden side" in body.decode()
    assert call(world, "valider", payload, headers={"Origin": PUBLIC})[0] == 200
    # CORS: the preflight is answered for the add-in's origin only
    pre = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    status, h, _ = request(world, "OPTIONS", "/xlwings/custom-scripts-call/valider",
                           headers={**pre, "Origin": PUBLIC})  # fmt: skip
    assert status == 200 and h["access-control-allow-origin"] == PUBLIC
    status, h, _ = request(world, "OPTIONS", "/xlwings/custom-scripts-call/valider",
                           headers={**pre, "Origin": "https://ond.example"})  # fmt: skip
    assert status == 400 and "access-control-allow-origin" not in h


# ------------------------------------------------------------------ the buttons still work


def test_valider_runs_like_the_add_in(world: World, tmp_path: Path) -> None:
    path = build_book(tmp_path, faulty_filling())
    payload = payload_from_file(path)
    status, _, body = call(world, "valider", payload)
    assert status == 200
    applied = apply_actions(payload, json.loads(body)["actions"])
    assert set(area_rows(applied)) == expected_rows(path)
    assert applied.alerts and applied.alerts[0][0].startswith("IKKE KLAR")
    status, _, body = call(world, "slet_alt", payload)
    assert status == 404 and "Ukendt knap" in body.decode()
    status, _, body = request(world, "POST", "/xlwings/custom-scripts-call/valider", b"ikke json",
                              auth=f"Bearer {ADMIN}")  # fmt: skip
    assert status == 400 and "arbejdsbog" in body.decode()
    for bad in (b"[]", b'{"sheets": 1}', b'{"sheets": [], "book": "x"}', b"[" * 100000):
        assert request(world, "POST", "/xlwings/custom-scripts-call/valider", bad,
                       auth=f"Bearer {ADMIN}")[0] == 400  # fmt: skip


def test_konsolider_inside_the_root_works(world: World) -> None:
    outside = snapshot(world.outside)
    status, _, body = call(world, "konsolider", master_payload(world))
    assert status == 200
    funcs = [a["func"] for a in json.loads(body)["actions"]]
    assert "setValues" in funcs and funcs[-1] == "alert"
    applied = apply_actions(master_payload(world), json.loads(body)["actions"])
    assert applied.alerts[0][0].startswith("Masterarbejdsbogen er opdateret")
    assert snapshot(world.outside) == outside


def test_user_errors_come_back_as_an_alert(world: World, tmp_path: Path) -> None:
    payload = payload_from_file(build_book(tmp_path, None))
    status, _, body = call(world, "nyt_kontraktaar", payload)
    assert status == 200
    text, mode = alert_text(body)
    assert "masterarbejdsbog" in text and mode == "critical"


# ------------------------------------------------------------------ one root folder


def _links(w: World) -> dict[str, Path]:
    """Links inside the root that point outside it (made once)."""
    links = {
        "mappe": w.root / "genvej-mappe",
        "register": w.root / "genvej-register.xlsx",
        "fokus": w.root / "genvej-fokus.xlsx",
        "master": w.root / "genvej-master.xlsm",
    }
    targets = {"mappe": w.outside, "register": w.outside / "Virksomhedsregister.xlsx",
               "fokus": w.outside / "Indsatsområder.xlsx", "master": w.outside / "Master.xlsm"}  # fmt: skip
    for k, link in links.items():
        if not link.is_symlink():
            link.symlink_to(targets[k], target_is_directory=k == "mappe")
    return links


def _escapes(w: World, name: str) -> list[str]:
    """Ways out of the root to ``name`` beside it."""
    links = _links(w)
    return [
        str(w.outside / name),  # absolute
        f"{w.root}/../ude/{name}",  # ../
        f"{w.root}\\..\\ude\\{name}",  # Windows-style ..\
        f"{w.root}/%2e%2e/ude/{name}",  # URL-encoded ..
        f"{w.root}%2F..%2Fude%2F{name}",
        f"../ude/{name}",  # relative
        str(links["mappe"] / name),  # through a symlinked folder inside the root
        "/",
    ]


# button → the settings it reads, with what lies outside for each
SETTINGS = {
    "konsolider": {"Indbakke": "indbakke", "Virksomhedsregister": "Virksomhedsregister.xlsx"},
    "lav_kontrakter": {"Dokumentmappe": "dokumenter"},
    "lav_udvalgsnotater": {"Dokumentmappe": "dokumenter"},
    "nyt_kontraktaar": {"Virksomhedsregister": "Virksomhedsregister.xlsx",
                        "Indsatsområder": "Indsatsområder.xlsx", "Dokumentmappe": "dokumenter"},
}  # fmt: skip


@pytest.mark.parametrize("script", sorted(SETTINGS))
def test_every_path_setting_is_confined_to_the_root(world: World, script: str) -> None:
    links = _links(world)
    outside = snapshot(world.outside)
    root = snapshot(world.root)
    for label, name in SETTINGS[script].items():
        ways = _escapes(world, name)
        if label == "Virksomhedsregister":
            ways.append(str(links["register"]))  # a symlinked file inside the root
        if label == "Indsatsområder":
            ways.append(str(links["fokus"]))
        for value in ways:
            status, _, body = call(world, script, master_payload(world, **{label: value}))
            assert status == 200, (label, value, body)
            text, mode = alert_text(body)
            assert mode == "critical" and label in text, (label, value, text)
            assert any(w in text for w in ("uden for", "'..'", "fuld sti", "genvej")), text
    assert snapshot(world.outside) == outside
    assert snapshot(world.root) == root  # refused before anything was written


def test_a_link_inside_the_inbox_is_refused(world: World, tmp_path: Path) -> None:
    inbox = world.root / "indbakke-med-genvej"
    if not inbox.exists():
        shutil.copytree(world.inbox, inbox)
        first = sorted((world.outside / "indbakke").iterdir())[0]
        (inbox / "fra-ude.xlsx").symlink_to(first)
    status, _, body = call(world, "konsolider", master_payload(world, Indbakke=str(inbox)))
    text, mode = alert_text(body)
    assert status == 200 and mode == "critical" and "fra-ude.xlsx" in text and "genvej" in text


@pytest.mark.parametrize(
    "name",
    ["ude/Master.xlsm", "../ude/Master.xlsm", "..\\ude\\Master.xlsm", "..%2Fude%2FMaster.xlsm",
     "%2e%2e%2fude%2fMaster.xlsm", "ABSOLUTE", "LINK", "/etc/passwd", "..", "C:\\Windows\\x.xlsm"],
)  # fmt: skip
def test_the_book_name_is_confined_to_the_root(world: World, name: str) -> None:
    links = _links(world)
    name = {"ABSOLUTE": str(world.outside / "Master.xlsm"), "LINK": str(links["master"])}.get(
        name, name
    )
    outside = snapshot(world.outside)
    root = snapshot(world.root)
    for script in ("konsolider", "lav_kontrakter", "nyt_kontraktaar"):
        payload = master_payload(world)
        set_setting(payload, "Dokumentmappe", "")  # documents would go beside the book
        payload["book"]["name"] = name
        status, _, body = call(world, script, payload)
        assert status == 200, body
        text, mode = alert_text(body)
        assert mode == "critical" and "Arbejdsbogens navn" in text, (script, text)
    assert snapshot(world.outside) == outside
    assert snapshot(world.root) == root


def test_a_book_inside_the_root_gets_its_backup_beside_it(world: World) -> None:
    payload = master_payload(world)
    payload["book"]["name"] = str(world.master)
    status, _, body = call(world, "konsolider", payload)
    assert status == 200
    text = apply_actions(payload, json.loads(body)["actions"]).alerts[0][0]
    assert "kopieret til" in text and str(world.root / "Sikkerhedskopier") in text


# ------------------------------------------------------------------ malformed requests


def _head(w: World, extra: str, path: str = "/xlwings/custom-scripts-call/valider") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: {w.host}\r\nAuthorization: Bearer {ADMIN}\r\n"
            f"Content-Type: application/json\r\n{extra}\r\n").encode()  # fmt: skip


def test_malformed_headers_get_a_clean_4xx(world: World) -> None:
    assert status_of(raw(world, _head(world, "Content-Length: abc\r\n"))) == 400
    assert status_of(raw(world, _head(world, "Content-Length: -5\r\n"))) == 400
    assert status_of(raw(world, _head(world, "Content-Length: 1e3\r\n"))) == 400
    assert status_of(raw(world, _head(world, "Content-Length: 5\r\nContent-Length: 7\r\n"))) == 400
    huge = raw(world, _head(world, "Content-Length: 99999999999999999999\r\n"))
    assert status_of(huge) == 413 and b"for stor" in huge
    assert status_of(raw(world, _head(world, "Content-Length: 0\r\n"))) == 400
    assert status_of(raw(world, _head(world, "X-Lang: " + "x" * 200_000 + "\r\n"))) in (400, 431)
    # a body larger than the limit, sent in chunks without a length
    big = b"x" * (5 << 20)
    chunked = (
        _head(world, "Transfer-Encoding: chunked\r\n")
        + b"%x\r\n" % len(big)
        + big
        + b"\r\n0\r\n\r\n"
    )
    assert status_of(raw(world, chunked)) == 413
    # the server still answers
    assert request(world, "GET", "/health")[0] == 200


def test_a_stalled_upload_times_out(world: World) -> None:
    stalled = raw(world, _head(world, "Content-Length: 100000\r\n") + b'{"sheets": [')
    assert status_of(stalled) == 408 and b"i tide" in stalled
    chunked = raw(world, _head(world, "Transfer-Encoding: chunked\r\n") + b'5\r\n{"a":')
    assert status_of(chunked) == 408
    assert request(world, "GET", "/health")[0] == 200


# ------------------------------------------------------------------ load


def _held(w: World, n: int) -> dict[str, Any]:
    """A stand-in for a long Konsolider, held until the test releases it (server_jobs)."""
    return {"sheets": [], "book": {"name": "Master.xlsm"}, "_test_hold": str(w.hold), "_test_n": n}


def _wait_for(what: Any, deadline: float) -> None:
    while not what() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert what(), "waited in vain"


def test_a_long_konsolider_does_not_hold_up_valider(world: World, tmp_path: Path) -> None:
    answers: dict[int, int] = {}
    long = threading.Thread(
        target=lambda: answers.update({1: call(world, "konsolider", _held(world, 1))[0]})
    )
    long.start()
    deadline = time.monotonic() + TIMEOUT
    try:
        _wait_for((world.hold / "started-konsolider-1").exists, deadline)
        # Valider runs, and answers, while Konsolider is still running
        path = build_book(tmp_path, faulty_filling())
        status, _, body = call(world, "valider", payload_from_file(path))
        assert status == 200 and json.loads(body)["actions"]
        assert long.is_alive() and not (world.hold / "done-konsolider-1").exists()
    finally:
        (world.hold / "release").touch()
        long.join(TIMEOUT)
        (world.hold / "release").unlink()
    assert answers == {1: 200}


def test_too_many_long_calls_get_503(world: World) -> None:
    answers: dict[int, int] = {}

    def long_call(n: int) -> None:
        answers[n] = call(world, "konsolider", _held(world, n))[0]

    threads = [threading.Thread(target=long_call, args=(n,)) for n in (10, 11)]
    deadline = time.monotonic() + TIMEOUT
    try:
        threads[0].start()
        _wait_for((world.hold / "started-konsolider-10").exists, deadline)
        threads[1].start()  # waits for the one long worker, in the one place in the queue
        _wait_for(lambda: world.pools.long.busy == 2, deadline)
        status, h, body = call(world, "konsolider", _held(world, 12))
        assert status == 503 and "optaget" in body.decode() and h["retry-after"] == "30"
        # the short pool is not the long pool's queue: Valider is still served
        book = {
            "sheets": [],
            "book": {"name": "x.xlsx"},
            "_test_hold": str(world.hold),
            "_test_n": 13,
        }
        (world.hold / "release").touch()
        assert call(world, "valider", book)[0] == 200
    finally:
        (world.hold / "release").touch()
        for t in threads:
            t.join(TIMEOUT)
        (world.hold / "release").unlink()
    assert answers == {10: 200, 11: 200}
    assert not (world.hold / "started-konsolider-12").exists()


def test_workers_end_with_the_server_process(tmp_path: Path) -> None:
    """kill -9 of the server: its worker processes do not live on."""
    import signal
    import subprocess
    import sys

    script = (
        "import asyncio, sys, time\n"
        "from toolkit.excel.server.jobs import JobPools\n"
        "import server_jobs\n"
        "pools = JobPools(None, job=server_jobs.pid)\n"
        "async def main():\n"
        "    a = await pools.run('valider', {})\n"
        "    b = await pools.run('konsolider', {})\n"
        "    print(a['pid'], b['pid'], flush=True)\n"
        "asyncio.run(main())\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env,
                            text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert len(workers) == 2 and proc.pid not in workers
        for pid in workers:
            os.kill(pid, 0)  # alive while the server lives
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(TIMEOUT)

    def gone(pid: int) -> bool:  # ended (a zombie waiting for its new parent counts)
        try:
            return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
        except FileNotFoundError:
            return True

    _wait_for(lambda: all(gone(p) for p in workers), time.monotonic() + TIMEOUT)


def test_open_connections_are_bounded(tmp_path: Path) -> None:
    config = server.ServerConfig(root=tmp_path, host="127.0.0.1", port=0, max_connections=2,
                                 secrets={ADMIN: frozenset()})  # fmt: skip
    running = server.start(config)
    try:
        w = World(running.url, config.host, config.port, tmp_path, tmp_path, tmp_path, tmp_path,
                  tmp_path, tmp_path, tmp_path, None, None, JobPools(None))  # fmt: skip
        assert request(w, "GET", "/health")[0] == 200
        with socket.create_connection((config.host, config.port), timeout=TIMEOUT) as idle:
            idle.sendall(b"GET /hea")  # a client that never finishes its request
            assert request(w, "GET", "/health")[0] == 503
        _wait_for(lambda: request(w, "GET", "/health")[0] == 200, time.monotonic() + TIMEOUT)
    finally:
        running.stop()
        set_root(None)


def test_entra_keys_from_an_https_address(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--entra-jwks https://…: the keys are fetched (once) from the address, over TLS."""
    import datetime
    import ipaddress
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from toolkit.excel.server.auth import Authenticator, AuthFejl

    tls_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(tls_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(tls_key, hashes.SHA256())
    )  # fmt: skip
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(tls_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip
    jwks = Path(world.root.parent / "jwks.json").read_bytes()
    fetched: list[str] = []

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetched.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(jwks)))
            self.end_headers()
            self.wfile.write(jwks)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))  # trust the test's own CA
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/discovery/v2.0/keys"
        config = server.ServerConfig(entra=server.EntraConfig((TENANT,), (CLIENT_ID,), url))
        auth = Authenticator(config)
        for _ in range(3):
            principal = auth.authenticate(token(world))
            assert principal.name == "lise@kommune.dk" and "Kontraktservice" in principal.roles
        assert fetched == ["/discovery/v2.0/keys"]  # cached
        with pytest.raises(AuthFejl) as exc:
            auth.authenticate(token(world, kid="ukendt"))
        assert exc.value.status == 401 and "ukendt nøgle" in exc.value.message
    finally:
        httpd.shutdown()
        httpd.server_close()
    # the address does not answer: the server's problem (503), not a wrong login
    auth = Authenticator(
        server.ServerConfig(entra=server.EntraConfig((TENANT,), (CLIENT_ID,), url))
    )
    with pytest.raises(AuthFejl) as exc:
        auth.authenticate(token(world))
    assert exc.value.status == 503 and "Entra ID's nøgler" in exc.value.message
