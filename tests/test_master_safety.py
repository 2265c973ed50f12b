"""The master in a shared folder: one Konsolider at a time, people's permissions, targets that
are not a master, failures after the write, register mistakes, and which file is newest."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.demo.pipeline import run_demo
from toolkit.master.consolidate import gather, run
from toolkit.master.model import read_master_rows
from toolkit.master.save import (
    KonsoliderRunning,
    MasterRefused,
    run_lock,
    run_lock_path,
)
from toolkit.reading.inputs import (
    FocusArea,
    Institution,
    focus_problems,
    read_focus_areas,
    read_register,
    write_focus_areas,
    write_register,
)

YEAR = 2027


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=12, year=YEAR, seed=7, with_master=False, with_documents=False)
    return folder


@pytest.fixture
def folder(demo: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "kommune"
    shutil.copytree(demo, dst)
    return dst


def konsolider(folder: Path, **kw):  # type: ignore[no-untyped-def]
    return run([folder / "indbakke"], folder / "master.xlsx",
               folder / "inddata" / "Virksomhedsregister.xlsx", YEAR, workers=1, **kw)  # fmt: skip


def cli(folder: Path, *extra: str, master: Path | None = None) -> list[str]:
    return [
        sys.executable, "-m", "toolkit.cli.app", "konsolider", str(folder / "indbakke"),
        "--master", str(master or folder / "master.xlsx"),
        "--register", str(folder / "inddata" / "Virksomhedsregister.xlsx"),
        "--aar", str(YEAR), *extra,
    ]  # fmt: skip


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------- one Konsolider at a time

HOLD = """
import sys, time
from pathlib import Path
from toolkit.master.save import run_lock
master, go = Path(sys.argv[1]), Path(sys.argv[2])
with run_lock(master):
    (go.parent / "holding").write_text("1")
    while not go.exists():
        time.sleep(0.05)
"""


def test_a_second_konsolider_is_refused_while_one_runs_and_changes_nothing(folder: Path) -> None:
    konsolider(folder)
    master = folder / "master.xlsx"
    before = master.read_bytes()
    go = folder / "slip"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(master), str(go)])
    try:
        for _ in range(600):  # bounded wait for the other process to hold the lock
            if (folder / "holding").exists():
                break
            time.sleep(0.05)
        info = json.loads(run_lock_path(master).read_text("utf-8"))
        assert info["pid"] == holder.pid and info["vaert"] == socket.gethostname()
        assert {"bruger", "startet"} <= set(info)
        done = subprocess.run(cli(folder), capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stderr
        assert "Konsolider kører allerede" in done.stderr and "Intet er ændret" in done.stderr
        assert "Traceback" not in done.stderr
        assert master.read_bytes() == before
    finally:
        go.write_text("1")
        holder.wait(timeout=60)
    assert not run_lock_path(master).exists()
    done = subprocess.run(cli(folder), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


RETRY = """
import subprocess, sys, time
cmd = sys.argv[1:]
for _ in range(600):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode == 0:
        sys.exit(0)
    if "kører allerede" not in done.stderr:
        sys.stderr.write(done.stderr)
        sys.exit(3)
    time.sleep(0.1)
sys.exit(4)
"""


def test_concurrent_runs_lose_no_koersler_row(folder: Path) -> None:
    konsolider(folder)
    runs = 3
    procs = [subprocess.Popen([sys.executable, "-c", RETRY, *cli(folder)], stderr=subprocess.PIPE,
                              text=True) for _ in range(runs)]  # fmt: skip
    for p in procs:
        _, errors = p.communicate(timeout=600)
        assert p.returncode == 0, errors
    _, rows = read_master_rows(folder / "master.xlsx")
    assert len(rows["koersler"]) == 1 + runs
    log = (folder / "master.log").read_text("utf-8").splitlines()
    assert len(log) == 1 + runs


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _write_lock(master: Path, **info: object) -> None:
    run_lock_path(master).write_text(json.dumps(info), "utf-8")


def test_stale_locks_are_taken_over_and_live_ones_named(folder: Path) -> None:
    master = folder / "master.xlsx"
    now = time.time()
    # this computer, process gone: abandoned
    _write_lock(master, bruger="hanne", vaert=socket.gethostname(), pid=_dead_pid(),
                startet="2027-09-01 10:00:00", startet_epoch=now)  # fmt: skip
    konsolider(folder)
    assert not run_lock_path(master).exists()
    # another computer, a minute ago: someone is running it
    _write_lock(master, bruger="søren", vaert="kontrakt-pc-7", pid=4242,
                startet="2027-09-01 10:01:00", startet_epoch=now - 60)  # fmt: skip
    before = master.read_bytes()
    with pytest.raises(KonsoliderRunning, match="søren på kontrakt-pc-7"):
        konsolider(folder)
    assert master.read_bytes() == before
    # another computer, three hours ago: abandoned
    _write_lock(master, bruger="søren", vaert="kontrakt-pc-7", pid=4242,
                startet="2027-09-01 07:00:00", startet_epoch=now - 3 * 3600)  # fmt: skip
    konsolider(folder)
    # a half-written record of a fresh lock (just created): respected
    run_lock_path(master).write_text("{", "utf-8")
    with pytest.raises(KonsoliderRunning):
        konsolider(folder)
    run_lock_path(master).unlink()


def test_the_lock_is_released_when_the_run_fails(folder: Path) -> None:
    (folder / "inddata" / "Virksomhedsregister.xlsx").write_bytes(b"ikke et register")
    with pytest.raises(Exception, match="kan ikke læses"):
        konsolider(folder)
    assert not run_lock_path(folder / "master.xlsx").exists()
    with run_lock(folder / "master.xlsx") as lock:
        assert lock.exists()


# ---------------------------------------------------------------- permissions and targets


def test_outputs_follow_the_umask_and_a_replaced_master_keeps_its_mode(
    folder: Path, umask_022: None
) -> None:
    master = folder / "master.xlsx"
    res = konsolider(folder, export_dir=folder / "eksport2")
    assert stat.S_IMODE(master.stat().st_mode) == 0o644
    assert stat.S_IMODE((folder / "master.log").stat().st_mode) == 0o644
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in res.exported)
    master.chmod(0o664)
    res = konsolider(folder)
    assert stat.S_IMODE(master.stat().st_mode) == 0o664
    assert res.backup is not None and stat.S_IMODE(res.backup.stat().st_mode) == 0o664
    assert not list(folder.glob(".~tmp-*"))


def test_a_read_only_master_is_refused_and_left_alone(folder: Path) -> None:
    master = folder / "master.xlsx"
    konsolider(folder)
    master.chmod(0o444)
    before = master.read_bytes()
    with pytest.raises(MasterRefused, match="skrivebeskyttet"):
        konsolider(folder)
    res = CliRunner().invoke(app, cli(folder)[3:])
    assert res.exit_code == 2 and "skrivebeskyttet" in res.output
    assert master.read_bytes() == before and stat.S_IMODE(master.stat().st_mode) == 0o444
    assert (
        not (folder / "Sikkerhedskopier").exists()
        or len(list((folder / "Sikkerhedskopier").iterdir())) == 0
    )


@pytest.mark.parametrize("target", ["register", "workbook", "csv"])
def test_a_target_that_is_not_a_master_is_never_overwritten(folder: Path, target: str) -> None:
    path = {
        "register": folder / "inddata" / "Virksomhedsregister.xlsx",
        "workbook": sorted((folder / "indbakke").glob("*.xlsx"))[0],
        "csv": folder / "master.csv",
    }[target]
    if target == "csv":
        path.write_text("id;navn\n", "utf-8")
    before = path.read_bytes()
    res = CliRunner().invoke(app, cli(folder, master=path)[3:])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "Intet er ændret" in res.output
    assert path.read_bytes() == before
    assert not (path.parent / "Sikkerhedskopier").exists()


def test_failures_after_the_master_is_written_are_reported_in_danish(folder: Path) -> None:
    blocked = folder / "eksport-er-en-fil"
    blocked.write_text("x", "utf-8")
    (folder / "master.log").mkdir()  # the log cannot be appended to
    done = subprocess.run(cli(folder, "--eksport", str(blocked)), capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 0
    assert "Masterarbejdsbogen er opdateret" in done.stdout
    text = " ".join(done.stderr.split())
    assert "kørselsloggen master.log kunne ikke skrives" in text
    assert "eksporten til" in text and "kunne ikke skrives" in text
    _, rows = read_master_rows(folder / "master.xlsx")
    assert rows["oversigt"]


def test_the_master_and_its_backups_in_the_inbox_are_not_submissions(folder: Path) -> None:
    inbox = folder / "indbakke"
    n = len(list(inbox.glob("*.xlsx")))
    master = inbox / "master.xlsx"
    for _ in range(2):
        res = run([inbox], master, folder / "inddata" / "Virksomhedsregister.xlsx", YEAR,
                  workers=1)  # fmt: skip
    assert (inbox / "Sikkerhedskopier").exists()
    assert res.intake.files == n
    assert not any(f["fil"].startswith("master") for f in res.tables["fund"])


# ---------------------------------------------------------------- register and focus areas


def _institutions(folder: Path) -> list[Institution]:
    return read_register(folder / "inddata" / "Virksomhedsregister.xlsx").institutions


def test_odd_spaces_and_invisible_characters_in_ids_are_normalised_and_named(folder: Path) -> None:
    insts = _institutions(folder)
    submitted = sorted(
        p.name.split(" - ")[1].split()[0] for p in (folder / "indbakke").glob("*.xlsx")
    )
    x, y = submitted[:2]
    odd = {x: f" {x}\u200b", y: f"\ufeff{y}\u00a0"}
    changed = [
        Institution(**{**i.as_dict(), "id": odd.get(i.id, i.id)}) for i in insts
    ]  # fmt: skip
    reg_path = folder / "inddata" / "Virksomhedsregister.xlsx"
    write_register(reg_path, "Demokommune", changed, read_register(reg_path).register_id)
    reg = read_register(reg_path)
    assert [i.id for i in reg.institutions] == [i.id for i in insts]
    named = [p for p in reg.problems if "usynlige tegn" in p]
    assert len(named) == 2 and all(re.search(r"celle A\d+", p) for p in named)
    res = konsolider(folder)
    assert {x, y} <= set(res.intake.used)
    assert not any("findes ikke" in f["besked"] for f in res.tables["fund"])
    assert any("usynlige tegn" in w for w in res.warnings)


def test_duplicate_ids_and_empty_committees_are_named_by_opret_and_konsolider(
    folder: Path, tmp_path: Path
) -> None:
    insts = _institutions(folder)
    dup = Institution(**{**insts[1].as_dict(), "id": insts[0].id})
    empty = Institution(**{**insts[2].as_dict(), "udvalg": ""})
    reg_path = folder / "inddata" / "Virksomhedsregister.xlsx"
    rid = read_register(reg_path).register_id
    write_register(reg_path, "Demokommune", [*insts[:2], empty, *insts[3:], dup], rid)
    reg = read_register(reg_path)
    by_id = reg.by_id()
    assert by_id[insts[0].id].navn == insts[0].navn  # never replaced by the duplicate
    problems = " ".join(reg.problems)
    assert f"id '{insts[0].id}' står også i række 2" in problems and insts[1].navn in problems
    assert "Fagudvalg mangler" in problems
    res = konsolider(folder)
    assert any("står også i række" in w for w in res.warnings)
    assert any("Fagudvalg mangler" in w for w in res.warnings)
    out = CliRunner().invoke(app, [
        "opret", "--aar", str(YEAR), "--register", str(reg_path),
        "--indsatsomraader", str(folder / "inddata" / "Indsatsområder.xlsx"),
        "--ud", str(tmp_path / "ud"), "--kun", insts[3].id,
    ])  # fmt: skip
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "står også i række" in text and "Fagudvalg mangler" in text


def test_unknown_focus_area_committees_are_named(folder: Path, tmp_path: Path) -> None:
    focus_path = folder / "inddata" / "Indsatsområder.xlsx"
    areas = read_focus_areas(focus_path).areas
    write_focus_areas(focus_path, [*areas, FocusArea("Kulturudvalget", YEAR, 1, "Læselyst")])
    reg = read_register(folder / "inddata" / "Virksomhedsregister.xlsx")
    problems = focus_problems(reg, read_focus_areas(focus_path))
    assert sum("'Kulturudvalget'" in p for p in problems) == 1
    res = konsolider(folder, focus_path=focus_path)
    assert any("'Kulturudvalget'" in w for w in res.warnings)
    out = CliRunner().invoke(app, [
        "opret", "--aar", str(YEAR), "--register", str(folder / "inddata" / "Virksomhedsregister.xlsx"),
        "--indsatsomraader", str(focus_path), "--ud", str(tmp_path / "ud"), "--kun", reg.institutions[0].id,
    ])  # fmt: skip
    assert "'Kulturudvalget'" in " ".join(out.output.split())


# ---------------------------------------------------------------- which file is newest


def _with_saved_time(src: Path, dst: Path, when: str) -> None:
    zin = zipfile.ZipFile(src)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml" and when:
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), data
                )  # fmt: skip
            elif item.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
            zout.writestr(item, data)
    dst.write_bytes(buf.getvalue())


def test_newest_by_the_workbooks_saved_time_then_sub_second_mtime_ties_named(
    folder: Path,
) -> None:
    inbox = folder / "indbakke"
    orig = sorted(inbox.glob("Kontrakt*.xlsx"))[0]
    inst_id = orig.name.split(" - ")[1].split()[0]
    reg = read_register(folder / "inddata" / "Virksomhedsregister.xlsx")
    a, b = inbox / "a.xlsx", inbox / "b.xlsx"
    _with_saved_time(orig, a, "2027-09-02T08:00:00Z")
    _with_saved_time(orig, b, "2027-09-01T08:00:00Z")
    orig.unlink()
    t = time.time_ns()
    os.utime(a, ns=(t, t))  # a was saved later by Excel, but b's file is newer on disk
    os.utime(b, ns=(t + 500_000_000, t + 500_000_000))
    intake = gather([inbox], reg, YEAR, workers=1)
    assert intake.used[inst_id].path == a
    # same saved time; mtimes half a second apart (same second): the later one wins
    _with_saved_time(a, b, "2027-09-02T08:00:00Z")
    base = (t // 1_000_000_000) * 1_000_000_000
    os.utime(a, ns=(base + 100_000_000, base + 100_000_000))
    os.utime(b, ns=(base + 600_000_000, base + 600_000_000))
    intake = gather([inbox], reg, YEAR, workers=1)
    assert intake.used[inst_id].path == b
    assert not any("præcis samme tidspunkt" in f.message for f in intake.used[inst_id].findings)
    # a true tie is named
    os.utime(a, ns=(base, base))
    os.utime(b, ns=(base, base))
    intake = gather([inbox], reg, YEAR, workers=1)
    tie = [f for f in intake.used[inst_id].findings if "præcis samme tidspunkt" in f.message]
    assert len(tie) == 1 and "a.xlsx" in tie[0].message and "b.xlsx" in tie[0].message
    # a program that records no saved time does not lose for that: the file times decide
    _with_saved_time(a, b, "")
    os.utime(a, ns=(base, base))
    os.utime(b, ns=(base + 1_000, base + 1_000))
    intake = gather([inbox], reg, YEAR, workers=1)
    assert intake.used[inst_id].path == b
