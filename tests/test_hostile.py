"""A hostile inbox: every kind of damaged or malicious file gets a Danish finding naming it,
nothing crashes, memory stays bounded, and the rest of the inbox is consolidated exactly as
without it (Konsolider and Valider)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import build, good_filling
from hostile import IGNORED, KINDS, Kind, set_cell
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.demo.pipeline import run_demo
from toolkit.master.consolidate import gather
from toolkit.reading.inputs import read_register

YEAR = 2027
# English that must never reach a user (exception texts leaking through a Danish message)
ENGLISH = re.compile(
    r"\b(Error|error|Exception|Traceback|not|file|missing|damaged|invalid|failed|Bad|"
    r"unsupported|password|required)\b"
)
# Konsolider runs under this address-space limit: a bomb that inflates ends in MemoryError
# and the run fails — which the test sees.
MEMORY_LIMIT = 2 * 1024**3


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("base")
    return build(folder, good_filling()).read_bytes()  # V042: not in the demo's register


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=12, year=YEAR, seed=7, with_master=False)
    return folder


@pytest.fixture(scope="module")
def hostile_files(base: bytes, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fjendtlige")
    out = {}
    for kind in KINDS:
        name, data = kind.make(base)
        (folder / name).write_bytes(data)
        out[kind.name] = folder / name
    return out


def test_the_corpus_has_at_least_40_kinds_with_distinct_files() -> None:
    assert len(KINDS) >= 40
    assert len({k.name for k in KINDS}) == len(KINDS)


def _named(findings: list, path: Path) -> list:
    return [f for f in findings if f.file == str(path)]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_hostile_file_gets_a_danish_finding_naming_it(
    kind: Kind, hostile_files: dict[str, Path], demo: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "indbakke"
    inbox.mkdir()
    path = inbox / hostile_files[kind.name].name
    shutil.copy(hostile_files[kind.name], path)
    register = read_register(demo / "inddata" / "Virksomhedsregister.xlsx")
    intake = gather([inbox], register, YEAR, workers=1)
    assert intake.files == 1 and not intake.used
    [sub] = intake.rejected
    named = _named(sub.findings, path)
    assert any(f.rule == kind.rule and re.search(kind.says, f.message) for f in named), named
    for f in named:
        assert f.severity == "fejl" or f.rule == "fil_dublet", f
        assert not ENGLISH.search(f.message), f.message


_RUN = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from toolkit.master.consolidate import run
folder = Path(sys.argv[1])
t0 = time.perf_counter()
res = run([folder / "indbakke"], folder / "master.xlsx",
          folder / "inddata" / "Virksomhedsregister.xlsx", {year}, workers=1)
seconds = time.perf_counter() - t0
tables = {{k: v for k, v in res.tables.items() if k != "koersler"}}
# VmHWM: this process's own peak (ru_maxrss would carry over the parent's from before exec)
try:
    hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
except OSError:
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {{"tables": tables, "files": res.intake.files, "seconds": seconds, "peak_rss_mb": hwm / 1024}}
(folder / "resultat.json").write_text(json.dumps(out, default=str, ensure_ascii=False))
"""


def _konsolider(folder: Path) -> dict:
    script = _RUN.format(limit=MEMORY_LIMIT, year=YEAR)
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((folder / "resultat.json").read_text("utf-8"))


def test_the_rest_of_the_inbox_is_consolidated_exactly_as_without_them(
    demo: Path, hostile_files: dict[str, Path], tmp_path: Path
) -> None:
    clean = tmp_path / "ren"
    mixed = tmp_path / "blandet"
    shutil.copytree(demo, clean)
    shutil.copytree(demo, mixed)
    for p in hostile_files.values():
        shutil.copy(p, mixed / "indbakke" / p.name)
    for name, data in IGNORED.items():
        (mixed / "indbakke" / name).write_bytes(data)
    without = _konsolider(clean)
    with_them = _konsolider(mixed)

    # every hostile file counted and named; the ignored litter neither
    assert with_them["files"] == without["files"] + len(hostile_files)
    fund = with_them["tables"]["fund"]
    for p in hostile_files.values():
        assert any(f["fil"] == p.name and f["alvor"] == "fejl" for f in fund), p.name
    assert not any(f["fil"] in IGNORED for f in fund)
    # the real submissions: exactly the same rows
    for key in ("oversigt", "maal", "resultater", "gruppe", "dialog", "udvalg"):
        assert with_them["tables"][key] == without["tables"][key], key
    hostile_names = {p.name for p in hostile_files.values()}
    assert [f for f in fund if f["fil"] not in hostile_names] == without["tables"]["fund"]
    # the master never holds a non-finite number
    with zipfile.ZipFile(mixed / "master.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<v>-?(inf|nan)", z.read(name), re.I), name
    # bounded: 256 MB bombs, a million rows, a million shared strings — read in a few hundred MB
    print(f"Konsolider uden: {without['seconds']:.1f} s, {without['peak_rss_mb']:.0f} MB; "
          f"med {len(hostile_files)} fjendtlige filer: {with_them['seconds']:.1f} s, "
          f"{with_them['peak_rss_mb']:.0f} MB")  # fmt: skip
    assert with_them["peak_rss_mb"] < 600


def test_valider_names_every_hostile_file_in_danish(hostile_files: dict[str, Path]) -> None:
    folder = next(iter(hostile_files.values())).parent
    res = CliRunner().invoke(app, ["valider", "--json", str(folder)])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    data = json.loads(res.stdout)
    for kind in KINDS:
        path = str(hostile_files[kind.name])
        if kind.rule == "fil_fremmed":  # readable: only Konsolider's register objects to it
            assert not any(d["file"] == path and d["rule"].startswith("fil_") for d in data), path
        else:
            assert any(d["file"] == path and d["rule"] == kind.rule for d in data), path
    for d in data:
        assert not ENGLISH.search(d["message"]), d


def test_litter_and_lock_files_are_ignored_and_upper_case_extensions_read(
    demo: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "indbakke"
    shutil.copytree(demo / "indbakke", inbox)
    first = sorted(inbox.glob("*.xlsx"))[0]
    first.rename(first.with_suffix(".XLSX"))
    for name, data in IGNORED.items():
        (inbox / name).write_bytes(data)
    register = read_register(demo / "inddata" / "Virksomhedsregister.xlsx")
    intake = gather([inbox], register, YEAR, workers=1)
    assert intake.files == len(list((demo / "indbakke").glob("*.xlsx")))
    assert first.with_suffix(".XLSX") in [s.path for s in intake.used.values()]


def test_a_number_too_big_for_a_float_never_reaches_the_master(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kommune"
    shutil.copytree(demo, folder)
    path = sorted((folder / "indbakke").glob("*.xlsx"))[0]
    path.write_bytes(set_cell(path.read_bytes(), "J5", "<is><t>" + "9" * 400 + "</t></is>",
                              "inlineStr"))  # fmt: skip
    result = _konsolider(folder)
    inst = path.name.split(" - ")[1].split()[0]
    goal = next(g for g in result["tables"]["maal"] if g["virksomhed_id"] == inst and g["nr"] == 1)
    assert goal["baseline"] == "9" * 400  # kept as typed, as text
    assert any(f["fil"] == path.name and f["regel"] == "maal_vaerdi_type"
               for f in result["tables"]["fund"])  # fmt: skip
    with zipfile.ZipFile(folder / "master.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<v>-?(inf|nan)", z.read(name), re.I), name
