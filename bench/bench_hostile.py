"""Benchmark: Konsolider on the demo inbox, clean vs with a zip bomb vs with every hostile kind.

    python bench/bench_hostile.py                # kontrakt demo (120 institutions) in a temp dir
    python bench/bench_hostile.py --antal 120 --repeat 3

Each Konsolider runs as a whole new process (``kontrakt konsolider``, same as Kontraktservice
runs it); the figures are its wall time and peak resident memory (the process or its largest worker). The zip
bomb is the 256 MB part of ``tests/hostile.py`` (about 250 KB on disk). Nothing is asserted;
figures go in the report.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import build, good_filling  # noqa: E402
from hostile import KINDS  # noqa: E402

YEAR = 2027


MEASURE = """
import resource, sys
from toolkit.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    # VmHWM is this process's own peak; ru_maxrss(SELF) would include the parent's from
    # before exec. Workers' peaks come from RUSAGE_CHILDREN (largest worker).
    own = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"PEAK {max(own, workers) / 1024:.1f}\\n")
"""


def konsolider(folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB; the process or its largest worker) of one Konsolider."""
    (folder / "master.xlsx").unlink(missing_ok=True)
    cmd = [sys.executable, "-c", MEASURE, "konsolider", str(folder / "indbakke"),
           "--master", str(folder / "master.xlsx"),
           "--register", str(folder / "inddata" / "Virksomhedsregister.xlsx"),
           "--aar", str(YEAR), "--json"]  # fmt: skip
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    peak = float(done.stderr.rsplit("PEAK ", 1)[1].split()[0])
    return seconds, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--antal", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kontrakt-bench-") as tmp:
        base_dir = Path(tmp)
        demo = base_dir / "demo"
        subprocess.run([sys.executable, "-m", "toolkit.cli.app", "demo", str(demo), "--antal",
                        str(args.antal), "--aar", str(YEAR)], check=True, capture_output=True)  # fmt: skip
        good = build(base_dir, good_filling()).read_bytes()
        setups = {"uden": [], "med zip-bombe": ["zip_bomb"], "med alle fjendtlige": None}
        n_files = len(list((demo / "indbakke").glob("*.xlsx")))
        print(f"Demo-indbakke: {n_files} arbejdsbøger, {args.antal} virksomheder")
        for label, kinds in setups.items():
            folder = base_dir / label.replace(" ", "-")
            shutil.copytree(demo, folder)
            for kind in KINDS:
                if kinds is None or kind.name in kinds:
                    name, data = kind.make(good)
                    (folder / "indbakke" / name).write_bytes(data)
            runs = [konsolider(folder) for _ in range(args.repeat)]
            best = min(s for s, _ in runs)
            peak = max(p for _, p in runs)
            extra = len(list((folder / "indbakke").iterdir())) - n_files
            print(f"{label:22s} +{extra:2d} filer: bedste tid {best:5.2f} s, "
                  f"største RSS {peak:6.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
