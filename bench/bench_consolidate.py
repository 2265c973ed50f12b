"""Benchmark: Konsolider against the tutorial way of reading the same workbooks.

    python bench/bench_consolidate.py                 # 150 workbooks, with the pandas baseline
    python bench/bench_consolidate.py --sizes 150 1000 10000 --no-baseline-above 150

For each size it generates that many filled institution workbooks (not timed), then times,
in the same run and on the same files:
  * baseline: a ``pandas.read_excel`` loop, openpyxl engine, one call per sheet (the way
    tutorials read workbooks) — only for sizes up to --no-baseline-above;
  * reference: python-calamine reading every cell of the same sheets (no validation);
  * reference: unzipping and tokenising the sheets' XML with lxml (no interpretation);
  * ours: ``kontrakt konsolider`` as a whole new process (start-up, parallel reading and
    validation, merging, writing the master, backup) — wall time and peak memory.
It prints the ratios. Figures go in README.md; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.demo.filling import generate_all  # noqa: E402
from toolkit.demo.municipality import generate_municipality  # noqa: E402
from toolkit.demo.pipeline import write_inputs  # noqa: E402
from toolkit.workbook.batch import BuildJob, build_many  # noqa: E402
from toolkit.workbook.build import WorkbookInput  # noqa: E402

SHEETS = ["Virksomhed", "Kontraktgruppe", "Dialog", "Kontraktmål", "Resultater"]


def generate(folder: Path, n: int, seed: int = 1) -> tuple[Path, Path]:
    muni = generate_municipality(seed=seed, n=n, year=2027)
    reg, _ = write_inputs(muni, folder / "inddata")
    fillings = generate_all(muni, phase="resultater", seed=seed, missing_rate=0.0)
    areas = {u: tuple(muni.indsatsomraader(u, 2027)) for u in muni.committees}
    keys = ("id", "navn", "type", "udvalg", "leder", "email")
    jobs = []
    for i in muni.institutions:
        if fillings.get(i.id) is None:
            continue
        inst = {k: getattr(i, k) for k in keys}
        inp = WorkbookInput(
            inst,
            2027,
            muni.kommune,
            areas[i.udvalg],
            "resultater",
            f"{muni.kommune}-2027",
            filling=fillings[i.id],
        )
        jobs.append(BuildJob(folder / "indbakke", inp))
    build_many(jobs)
    return folder / "indbakke", reg


def baseline_pandas(files: list[Path]) -> float:
    import pandas as pd

    t = time.perf_counter()
    for f in files:
        for s in SHEETS:
            pd.read_excel(f, sheet_name=s, engine="openpyxl", header=None)
    return time.perf_counter() - t


def reference_calamine(files: list[Path]) -> float:
    import python_calamine

    t = time.perf_counter()
    for f in files:
        wb = python_calamine.CalamineWorkbook.from_path(str(f))
        for s in SHEETS:
            wb.get_sheet_by_name(s).to_python()
    return time.perf_counter() - t


def reference_unzip(files: list[Path]) -> float:
    from lxml import etree

    t = time.perf_counter()
    for f in files:
        with zipfile.ZipFile(f) as z:
            for i in range(2, 7):
                for _ in etree.iterparse(z.open(f"xl/worksheets/sheet{i}.xml")):
                    pass
            for _ in etree.iterparse(z.open("xl/sharedStrings.xml")):
                pass
    return time.perf_counter() - t


def ours(inbox: Path, reg: Path, master: Path) -> tuple[float, float]:
    exe = shutil.which("kontrakt") or str(Path(sys.executable).with_name("kontrakt"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([exe, "konsolider", str(inbox), "--master", str(master), "--register", str(reg), "--aar", "2027"],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    wall = time.perf_counter() - t
    peak = (
        max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    )  # MiB (Linux: KiB)
    return wall, peak


@dataclasses.dataclass
class Row:
    n: int
    kb: float
    pandas: float | None
    calamine: float
    unzip: float
    ours: float
    peak_mib: float


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[150])
    ap.add_argument("--no-baseline-above", type=int, default=150)
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the generated files here (bench<N>/), reuse them next time",
    )
    args = ap.parse_args()
    rows = []
    print(f"Maskine: {os.cpu_count()} kerner, Python {sys.version.split()[0]}")
    for n in args.sizes:
        if args.keep is not None:
            tmp = args.keep / f"bench{n}"
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(tempfile.mkdtemp(prefix=f"bench{n}-"))
        t = time.perf_counter()
        if args.keep is not None and len(list((tmp / "indbakke").glob("*.xlsx"))) == n:
            inbox, reg = tmp / "indbakke", tmp / "inddata" / "Virksomhedsregister.xlsx"
        else:
            inbox, reg = generate(tmp, n)
        (tmp / "master.xlsx").unlink(missing_ok=True)
        files = sorted(inbox.glob("*.xlsx"))
        kb = sum(f.stat().st_size for f in files) / len(files) / 1024
        print(f"\n{n} arbejdsbøger genereret på {time.perf_counter() - t:.1f} s (gns. {kb:.0f} KB)")
        base = baseline_pandas(files) if n <= args.no_baseline_above else None
        cal = reference_calamine(files)
        unz = reference_unzip(files)
        wall, peak = ours(inbox, reg, tmp / "master.xlsx")
        rows.append(Row(n, kb, base, cal, unz, wall, peak))
        print(
            f"  pandas.read_excel-løkke (openpyxl): {base:.2f} s"
            if base is not None
            else "  pandas-løkke: ikke målt"
        )
        print(f"  python-calamine, kun læsning:        {cal:.2f} s")
        print(f"  unzip + XML-tokenisering:            {unz:.2f} s")
        print(
            f"  kontrakt konsolider (hele processen): {wall:.2f} s, top-hukommelse {peak:.0f} MiB"
        )
        if base is not None:
            print(f"  → {base / wall:.1f}× hurtigere end pandas-løkken")
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(
        "\n| arbejdsbøger | pandas-løkke | calamine (kun læsning) | unzip+XML | konsolider (hele processen) | forhold | top-hukommelse |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        base = f"{r.pandas:.1f} s" if r.pandas is not None else "–"
        ratio = f"{r.pandas / r.ours:.0f}×" if r.pandas is not None else "–"
        print(
            f"| {r.n} | {base} | {r.calamine:.2f} s | {r.unzip:.2f} s | {r.ours:.2f} s | {ratio} | {r.peak_mib:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
