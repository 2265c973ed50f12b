"""Pictures of the generated documents for docs/: ``python docs/make_pictures.py``.

Renders one contract, both committee memos and the overall report from a generated
master (``tests/sample_master.py``), converts them to PDF in ONE LibreOffice process and
saves the first pages as PNG (``pdftoppm -png -r 60``) in ``docs/billeder/``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))  # the sample master: tests/sample_master.py

from sample_master import sample_master  # noqa: E402

from toolkit.documents import make_contracts, make_memos, make_report  # noqa: E402
from toolkit.documents.make import make_pdfs  # noqa: E402

OUT = ROOT / "docs" / "billeder"
#: (picture name, pages to keep)
PICTURES = {
    "kontrakt": 3,
    "udvalgsnotat_forslag": 3,
    "udvalgsnotat_maalopfyldelse": 3,
    "samlet_rapport": 2,
}


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) mangler; installér det for at lave billederne.")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="billeder-") as tmp:
        work = Path(tmp)
        master = sample_master(40, folder=work / "inddata")
        # Each document on the day of the årshjul it belongs to (the sample year is 2027).
        autumn, march = date(2026, 10, 1), date(2028, 3, 10)
        contract = make_contracts(master, work / "ud", workers=1, today=date(2026, 10, 15))[0]
        committee = sorted(make_memos(master, work / "ud", fase="forslag", today=autumn))
        attainment = sorted(make_memos(master, work / "ud", fase="maalopfyldelse", today=march))
        report = make_report(master, work / "ud", today=march)
        # The committee with most institutions shows the most of each memo.
        chosen = {
            "kontrakt": contract,
            "udvalgsnotat_forslag": next(p for p in committee if "Børne" in p.name),
            "udvalgsnotat_maalopfyldelse": next(p for p in attainment if "Børne" in p.name),
            "samlet_rapport": report,
        }
        pdfs = make_pdfs(list(chosen.values()), work / "pdf")
        for name in PICTURES:  # only our own pictures: the folder holds others too
            for old in OUT.glob(f"{name}-*.png"):
                old.unlink()
        for (name, pages), pdf in zip(PICTURES.items(), pdfs, strict=True):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    str(pages),
                    str(pdf),
                    str(OUT / name),
                ],
                check=True,
            )
            for png in OUT.glob(f"{name}-0*.png"):  # pdftoppm pads to the page count's width
                png.rename(OUT / f"{name}-{int(png.stem.rsplit('-', 1)[1])}.png")
    for png in sorted(OUT.glob("*.png")):
        print(f"Skrev {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
