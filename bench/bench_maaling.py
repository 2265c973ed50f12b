"""Benchmark: ``kontrakt maaling``'s reading and computing for a 10,000-respondent export.

    python bench/bench_maaling.py                  # 10,000 respondents, CSV and xlsx
    python bench/bench_maaling.py --n 10000 50000

Generates the demo's parents' satisfaction survey for 44 daycare centres at the given size
(not timed), written as a Danish CSV (semicolons, BOM) and as an .xlsx (XlsxWriter), then
times reading the export and computing the indicator per institution (median of 3 runs,
in this process). The master update after it is one ordinary Konsolider run (see
bench_consolidate.py); nothing here is asserted.
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

import xlsxwriter  # noqa: E402

from toolkit.demo.municipality import generate_municipality  # noqa: E402
from toolkit.demo.surveys import SURVEYS, survey_rows, write_csv, write_mapping  # noqa: E402
from toolkit.master.measurements.compute import compute  # noqa: E402
from toolkit.master.measurements.survey import load_mapping, read_export  # noqa: E402
from toolkit.rules.indicators import default_library  # noqa: E402


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": True})
    ws = wb.add_worksheet("Besvarelser")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000])
    args = ap.parse_args()
    muni = generate_municipality(seed=7, n=150, year=2027)
    survey = SURVEYS[0]
    lib = default_library()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            rows, invited = survey_rows(survey, muni.institutions, seed=7, n=n)
            mapping = load_mapping(write_mapping(Path(tmp) / "kort.toml", survey, invited))
            files = {
                "csv": write_csv(Path(tmp) / f"eksport-{n}.csv", rows),
                "xlsx": write_xlsx(Path(tmp) / f"eksport-{n}.xlsx", rows),
            }
            for kind, path in files.items():
                times = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    res = compute(read_export(path), mapping, lib, muni.institutions)
                    times.append(time.perf_counter() - t0)
                n_inst = len(res.measurements)
                print(f"{len(rows) - 1:>7} besvarelser, {kind:4}: "
                      f"{statistics.median(times):.3f} s (median af 3) for {n_inst} virksomheder, "
                      f"{path.stat().st_size / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
