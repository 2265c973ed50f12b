"""Benchmark: the Valider script of the workbooks' main.py inside Pyodide (xlwings Lite).

    python bench/bench_lite.py                  # the demo inbox (120 institutions), 5 runs each
    python bench/bench_lite.py --antal 30 --repeat 3

Builds the demo municipality (not timed), turns every workbook in its inbox into the JSON
payload xlwings' Office.js client sends, and runs the generated ``main.py`` on each:
  * ours: in Pyodide under Node, as xlwings Lite runs it (tests/pyodide/run_lite.mjs) —
    time per click from ``xw.Book(json=...)`` to the actions going back to Excel;
  * baseline, in the same run: the same runner and main.py in this CPython.
It prints the median time per workbook (over the workbooks' medians of --repeat runs), the
slowest workbook, the first click after opening (imports the bundle), Pyodide's start-up,
and the ratio to CPython. Target: under 1 s per workbook. Figures go in README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from lite_client import run_main_py  # noqa: E402
from rich.console import Console  # noqa: E402
from test_excel import payload_from_file  # noqa: E402

from toolkit.demo.pipeline import run_demo  # noqa: E402
from toolkit.workbook.lite.bundle import main_py  # noqa: E402


def summary(name: str, result: dict[str, object]) -> dict[str, float]:
    rows = result["results"]
    assert isinstance(rows, list)
    first = rows[0]["seconds"][0]  # the first click after opening: imports the bundle
    runs = [r["seconds"][1:] if i == 0 and len(r["seconds"]) > 1 else r["seconds"]
            for i, r in enumerate(rows)]  # fmt: skip
    medians = [statistics.median(s) for s in runs]
    out = {
        "median": statistics.median(medians),
        "p90": sorted(medians)[int(0.9 * (len(medians) - 1))],
        "max": max(medians),
        "first": first,
        "import": float(result["import_seconds"]),  # type: ignore[arg-type]
    }
    print(f"{name:8} median {out['median'] * 1000:7.1f} ms   p90 {out['p90'] * 1000:7.1f} ms   "
          f"slowest {out['max'] * 1000:7.1f} ms   first click {out['first'] * 1000:7.1f} ms   "
          f"import main.py {out['import']:.2f} s")  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--antal", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lite-") as tmp:
        run_demo(Path(tmp), antal=args.antal, console=Console(quiet=True), with_master=False)
        files = sorted((Path(tmp) / "indbakke").glob("*.xlsx"))
        payloads = {p.name: payload_from_file(p) for p in files}
    code = main_py()
    print(f"{len(payloads)} workbooks from the demo inbox, {args.repeat} runs each; "
          f"main.py {len(code) / 1024:.0f} KiB")  # fmt: skip
    t = time.perf_counter()
    lite = run_main_py(code, payloads, repeat=args.repeat)
    lite_wall = time.perf_counter() - t
    cpython = run_main_py(code, payloads, repeat=args.repeat, runtime="cpython")
    print(f"Pyodide {lite['pyodide']} (Python {lite['python']}), start-up "
          f"{lite['load_seconds']:.1f} s; whole run {lite_wall:.1f} s")  # fmt: skip
    ours = summary("Pyodide", lite)
    base = summary("CPython", cpython)
    print(f"ratio Pyodide/CPython (median per workbook): {ours['median'] / base['median']:.1f}x; "
          f"target < 1 s per workbook: {'met' if ours['max'] < 1 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
