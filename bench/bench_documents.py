"""How fast are contracts and committee memos made? ``python bench/bench_documents.py``

Renders 150 contracts, both kinds of committee memo for every committee and the overall
report from a generated master (``tests/sample_master.py``), as ``kontrakt kontrakter``,
``kontrakt notater`` and ``kontrakt rapport`` do, and prints beside it, measured in the
same run, a plain baseline: the same contracts rendered one by one in this process with
docxtpl, loading the template for each.

Then the PDF time: every document in ONE LibreOffice process (as ``--pdf`` does) against one
LibreOffice process per document, measured on a small sample and extrapolated (labelled).

Options: ``--antal N`` institutions (150), ``--processer N`` (2), ``--uden-pdf``,
``--pdf-proeve N`` documents in the per-document sample (5).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))  # the sample master: tests/sample_master.py

from docxtpl import DocxTemplate  # noqa: E402
from sample_master import sample_master  # noqa: E402

from toolkit.documents import make_contracts, make_memos, make_report  # noqa: E402
from toolkit.documents.context import contract_context  # noqa: E402
from toolkit.documents.data import MasterData  # noqa: E402
from toolkit.documents.formatting import tal  # noqa: E402
from toolkit.documents.make import contract_filename, contract_plan, make_pdfs  # noqa: E402
from toolkit.documents.render import template_path  # noqa: E402
from toolkit.office import libreoffice  # noqa: E402

T = TypeVar("T")


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(what: Callable[[], T]) -> tuple[T, float, float]:
    c0, t0 = cpu(), time.perf_counter()
    result = what()
    return result, time.perf_counter() - t0, cpu() - c0


def s(seconds: float) -> str:
    return f"{tal(seconds, 2)} s"


def baseline(master: MasterData, out: Path) -> int:
    """The plain way: one process, the template loaded for every contract."""
    template = template_path("kontrakt")
    insts, _ = contract_plan(master)
    for inst in insts:
        tpl = DocxTemplate(template)
        tpl.render(contract_context(master, inst.id), autoescape=True)
        tpl.save(out / contract_filename(master.year, inst))
    return len(insts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--antal", type=int, default=150)
    ap.add_argument("--processer", type=int, default=2)
    ap.add_argument("--uden-pdf", action="store_true")
    ap.add_argument("--pdf-proeve", type=int, default=5)
    args = ap.parse_args()

    load = os.getloadavg()
    print(f"Maskine: {os.cpu_count()} kerner, belastning før start {tal(load[0], 2)} (1 min.)")
    t0 = time.perf_counter()
    # Every institution has sent its workbook, so (nearly) every one gets a contract.
    master = MasterData(sample_master(args.antal, seed=2027, missing_rate=0.0))
    print(f"Master med {len(master.institutions)} virksomheder og {len(master.committees())} fagudvalg "
          f"genereret på {s(time.perf_counter() - t0)} (tæller ikke med)\n")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="bench-dokumenter-") as tmp:
        out = Path(tmp) / "ud"
        n = args.processer
        contracts, t_c, c_c = timed(lambda: make_contracts(master, out, workers=n))
        proposals, t_f, c_f = timed(lambda: make_memos(master, out, phase="forslag", workers=n))
        attainment, t_m, c_m = timed(
            lambda: make_memos(master, out, phase="maalopfyldelse", workers=n)
        )
        report, t_r, c_r = timed(lambda: make_report(master, out))
        total = t_c + t_f + t_m + t_r
        memos = len(proposals) + len(attainment)

        base_dir = Path(tmp) / "basis"
        base_dir.mkdir()
        n_base, t_b, c_b = timed(lambda: baseline(master, base_dir))
        assert n_base == len(contracts)

        print(f"{'':44}{'væg':>10}{'CPU':>10}")
        print(f"{f'{len(contracts)} kontrakter, {n} processer':44}{s(t_c):>10}{s(c_c):>10}")
        print(f"{f'{len(proposals)} udvalgsnotater, forslag':44}{s(t_f):>10}{s(c_f):>10}")
        print(
            f"{f'{len(attainment)} udvalgsnotater, målopfyldelse (med figurer)':44}{s(t_m):>10}{s(c_m):>10}"
        )
        print(f"{'1 samlet rapport':44}{s(t_r):>10}{s(c_r):>10}")
        print(f"{'I alt':44}{s(total):>10}{s(c_c + c_f + c_m + c_r):>10}")
        print(f"\nGrundlinje: de samme {n_base} kontrakter én ad gangen i én proces, skabelonen "
              f"indlæst hver gang: {s(t_b)} (CPU {s(c_b)})")  # fmt: skip
        print(f"Kontrakter: {s(t_c)} mod {s(t_b)} = {tal(t_b / t_c, 1)} gange hurtigere")
        print(
            f"Pr. kontrakt: {tal(t_c / len(contracts) * 1000, 1)} ms mod {tal(t_b / n_base * 1000, 1)} ms"
        )
        print(f"Mål: kontrakter + alle udvalgsnotater under 5 s: {s(t_c + t_f + t_m)} "
              f"({'nået' if t_c + t_f + t_m < 5 else 'IKKE nået'})")  # fmt: skip

        if args.uden_pdf:
            return 0
        if libreoffice.find_soffice() is None:
            print("\nPDF: LibreOffice er ikke installeret; PDF-målingen er sprunget over.")
            return 0
        docs = [*contracts, *proposals, *attainment, report]
        print(
            f"\nPDF af alle {len(docs)} dokumenter ({len(contracts)} kontrakter, {memos} notater, 1 rapport):"
        )
        _pdfs, t_one, _ = timed(lambda: make_pdfs(docs, Path(tmp) / "pdf-samlet"))
        print(f"  Én LibreOffice-proces for hele bunken:            {s(t_one):>10}"
              f"  ({tal(t_one / len(docs) * 1000, 0)} ms pr. dokument)")  # fmt: skip
        sample = contracts[: args.pdf_proeve]
        each_dir = Path(tmp) / "pdf-enkeltvis"

        def one_by_one() -> None:
            for d in sample:
                libreoffice.convert([d], "pdf", each_dir)

        _, t_each, _ = timed(one_by_one)
        per_doc = t_each / len(sample)
        print(f"  Én proces pr. dokument, målt på {len(sample)} kontrakter:    {s(t_each):>10}"
              f"  ({tal(per_doc, 2)} s pr. dokument)")  # fmt: skip
        print(f"  Én proces pr. dokument, EKSTRAPOLERET til {len(docs)}:  {s(per_doc * len(docs)):>10}"
              f"  (= {tal(per_doc * len(docs) / t_one, 1)} gange den samlede kørsel)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
