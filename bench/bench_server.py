"""Benchmark: the add-in server — Valider alone, and Valider while a real Konsolider runs.

    python bench/bench_server.py              # demo municipality with 40 institutions
    python bench/bench_server.py --antal 120

Starts the real server (uvicorn, worker processes, shared-secret sign-in) on loopback with
the demo folder as its root, then times over HTTP:
  * the first Valider and the first Konsolider (each starts its pool's worker process);
  * Valider alone (median of 5);
  * Konsolider of the demo master, and every Valider sent while it runs.
Nothing here is asserted; the figures go in the report / docs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_excel import payload_from_file, set_setting  # noqa: E402

from toolkit.demo.pipeline import run_demo  # noqa: E402
from toolkit.excel import server  # noqa: E402
from toolkit.excel.confine import set_root  # noqa: E402
from toolkit.master.xlsm import to_xlsm  # noqa: E402

SECRET = "bench-hemmelighed-0123456789"


def post(port: int, script: str, payload: dict[str, Any]) -> tuple[int, float]:
    """(HTTP status, seconds); a refused call or a button's error message stops the bench."""
    body = json.dumps(payload).encode()
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("POST", f"/xlwings/custom-scripts-call/{script}", body=body,
                 headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "application/json"})  # fmt: skip
    r = conn.getresponse()
    answer = r.read()
    conn.close()
    secs = time.perf_counter() - t0
    alerts = (
        [a["args"] for a in json.loads(answer)["actions"] if a["func"] == "alert"]
        if r.status == 200
        else []
    )
    if r.status != 200 or any(
        a[3] == "critical" and not str(a[0]).startswith("IKKE KLAR") for a in alerts
    ):
        sys.exit(f"{script}: {r.status} {answer[:300]!r}")
    return r.status, secs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--antal", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        run_demo(root / "demo", antal=args.antal, year=2027, seed=11)
        master = to_xlsm(root / "demo" / "master.xlsx", root / "Master.xlsm")
        mp = payload_from_file(master)
        set_setting(mp, "Indbakke", str(root / "demo" / "indbakke"))
        set_setting(
            mp, "Virksomhedsregister", str(root / "demo" / "inddata" / "Virksomhedsregister.xlsx")
        )
        inst = payload_from_file(next((root / "demo" / "indbakke").iterdir()))
        config = server.ServerConfig(
            root=root, port=0, secrets={SECRET: frozenset({"Kontraktservice"})}
        )
        running = server.start(config)
        try:
            port = config.port
            print(f"{args.antal} virksomheder; payload master {len(json.dumps(mp)) >> 10} KiB, "
                  f"arbejdsbog {len(json.dumps(inst)) >> 10} KiB")  # fmt: skip
            print(f"første Valider (starter en proces):    {post(port, 'valider', inst)[1]:6.2f} s")
            print(
                f"første Konsolider (starter en proces): {post(port, 'konsolider', mp)[1]:6.2f} s"
            )
            alone = [post(port, "valider", inst)[1] for _ in range(5)]
            print(f"Valider alene, median af 5:            {statistics.median(alone):6.2f} s")
            done: dict[str, float] = {}

            def konsolider() -> None:
                _, secs = post(port, "konsolider", mp)
                done["konsolider"] = secs

            thread = threading.Thread(target=konsolider)
            thread.start()
            during = []
            while thread.is_alive():
                _, secs = post(port, "valider", inst)
                if thread.is_alive():
                    during.append(secs)
            thread.join()
            print(f"Konsolider:                             {done['konsolider']:6.2f} s")
            if during:
                print(f"Valider under Konsolider: {len(during)} kald, median "
                      f"{statistics.median(during):.2f} s, længst {max(during):.2f} s")  # fmt: skip
            else:
                print("Valider under Konsolider: Konsolider var færdig før første Valider")
        finally:
            running.stop()
            set_root(None)


if __name__ == "__main__":
    main()
