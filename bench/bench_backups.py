"""Benchmark: what keeping the only copy of a typed value costs a Konsolider run.

    python bench/bench_backups.py               # the demo master (40 institutions)
    python bench/bench_backups.py --antal 400

Makes the demo's master, puts 11 copies of it in Sikkerhedskopier/ (one more than the 10
kept) and times pruning them: cold (every backup read for its typed values) and warm (the
index beside the backups remembers them; a run reads only the master it wrote). Nothing
here is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.demo.pipeline import run_demo  # noqa: E402
from toolkit.master.save import BACKUP_DIR, TYPED_INDEX, prune_backups  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--antal", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_demo(folder, antal=args.antal, year=2027, seed=7)
        master = folder / "master.xlsx"
        backups = folder / BACKUP_DIR

        def fill() -> None:
            backups.mkdir(exist_ok=True)
            for i in range(11):
                copy = backups / f"{master.stem} 2027-01-01 00.00.{i:02d}{master.suffix}"
                if not copy.exists():
                    shutil.copy2(master, copy)
                    os.utime(copy, ns=(i * 10**9, i * 10**9))

        fill()
        (backups / TYPED_INDEX).unlink(missing_ok=True)
        t0 = time.perf_counter()
        prune_backups(master, 10)
        cold = time.perf_counter() - t0
        fill()
        t0 = time.perf_counter()
        prune_backups(master, 10)
        warm = time.perf_counter() - t0
        size = master.stat().st_size / 1e6
        print(f"master {size:.1f} MB; prune 11 backups: cold {cold:.2f} s, warm {warm:.2f} s")


if __name__ == "__main__":
    main()
