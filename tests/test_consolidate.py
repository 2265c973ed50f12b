"""Konsolider: ground truth, manual columns across re-runs, safety, injection, bad files."""

from __future__ import annotations

import copy
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import good_filling

from toolkit.demo.pipeline import run_demo
from toolkit.master.consolidate import run
from toolkit.master.model import read_master_rows
from toolkit.master.save import MasterLocked
from toolkit.rules.cycle import is_missing
from toolkit.workbook.build import Filling, WorkbookInput, build_workbook, workbook_filename

YEAR = 2027


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, antal=24, year=YEAR, seed=7, with_master=False)
    return folder


def _copy_demo(demo: Path, tmp: Path) -> Path:
    dst = tmp / "kommune"
    shutil.copytree(demo, dst)
    return dst


def konsolider(folder: Path, **kw):
    return run(
        [folder / "indbakke"],
        folder / "master.xlsx",
        folder / "inddata" / "Virksomhedsregister.xlsx",
        YEAR,
        workers=1,
        **kw,
    )


def test_every_goal_of_every_valid_workbook_is_in_the_master(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    res = konsolider(folder)
    facit = json.loads((folder / "facit.json").read_text("utf-8"))
    _, rows = read_master_rows(folder / "master.xlsx")
    by_key = {r["noegle"]: r for r in rows["maal"]}
    expected = 0
    for inst_id, filling in facit["udfyldninger"].items():
        for nr, goal in enumerate(filling["maal"], start=1):
            expected += 1
            row = by_key[f"{inst_id}-{YEAR}-{nr}"]
            for k in ("titel", "indikator", "ansvarlig"):
                if goal.get(k) not in (None, ""):
                    assert row[k] == goal[k].strip(), (inst_id, nr, k)
            b = goal.get("baseline")
            if isinstance(b, int | float) and not isinstance(b, bool):
                assert row["baseline"] == b
    assert len(rows["maal"]) == expected
    status = {r["virksomhed_id"]: r["status"] for r in rows["oversigt"]}
    assert sorted(k for k, v in status.items() if is_missing(v)) == facit["mangler"]
    assert len(status) == facit["institutioner"]
    assert res.summary()["brugt"] == len(facit["udfyldninger"])
    # the groups and dialogue rows are there too
    assert len(rows["gruppe"]) == sum(len(f["gruppe"]) for f in facit["udfyldninger"].values())
    assert len(rows["dialog"]) == sum(len(f["dialog"]) for f in facit["udfyldninger"].values())


def _type_into(path: Path, sheet_index: int, cells: dict[str, object]) -> None:
    """What a person typing into the master does to the cells (tests only)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    src = zipfile.ZipFile(path)
    out = path.with_suffix(".tmp")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == part:
                for ref, v in cells.items():
                    pat = re.compile(
                        rb'<c r="' + ref.encode() + rb'"((?: [a-z]+="[^"]*")*)(?:/>|>.*?</c>)', re.S
                    )
                    m = pat.search(data)
                    assert m, ref
                    attrs = re.sub(rb' t="[^"]*"', b"", m.group(1))
                    if isinstance(v, date):
                        body = (
                            b"><v>"
                            + str(
                                (datetime(v.year, v.month, v.day) - datetime(1899, 12, 30)).days
                            ).encode()
                            + b"</v></c>"
                        )
                    else:
                        body = b' t="inlineStr"><is><t>' + str(v).encode() + b"</t></is></c>"
                    data = (
                        data[: m.start()]
                        + b'<c r="'
                        + ref.encode()
                        + b'"'
                        + attrs
                        + body
                        + data[m.end() :]
                    )
            dst.writestr(item, data)
    src.close()
    out.replace(path)


def _sheet_index(path: Path, name: str) -> int:
    with zipfile.ZipFile(path) as z:
        names = re.findall(rb'<sheet name="([^"]+)"', z.read("xl/workbook.xml"))
    return [n.decode() for n in names].index(name) + 1


def _manual_cells(path: Path, keys: list[str]) -> dict[str, object]:
    """Cells of the decision/comment columns for the given goal keys."""
    from toolkit.master.model import HEADER_ROW
    from toolkit.master.tables import MAAL
    from toolkit.spec.layout import cell_ref

    _, rows = read_master_rows(path)
    idx = {r["noegle"]: i for i, r in enumerate(rows["maal"])}
    c_dec, c_com = MAAL.keys.index("beslutning"), MAAL.keys.index("kommentar")
    out: dict[str, object] = {}
    for k in keys:
        r = HEADER_ROW + 1 + idx[k]
        out[cell_ref(r, c_dec)] = "Godkendt"
        out[cell_ref(r, c_com)] = f"Kommentar til {k} — æøå =1+1"
    return out


@pytest.mark.slow
def test_manual_columns_survive_50_reruns_with_resubmissions(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    for extra in sorted((folder / "indbakke").glob("*.xlsx"))[
        8:
    ]:  # keep the test quick: 8 institutions
        extra.unlink()
    master = folder / "master.xlsx"
    konsolider(folder)
    _, rows = read_master_rows(master)
    keys = [r["noegle"] for r in rows["maal"]][:30]
    _type_into(master, _sheet_index(master, "Kontraktmål"), _manual_cells(master, keys))
    facit = json.loads((folder / "facit.json").read_text("utf-8"))
    rng = random.Random(50)
    inbox = folder / "indbakke"
    victims: dict[str, Path] = {}
    saw_orphans = 0
    for i in range(50):
        # resubmissions: a goal disappears, or comes back; a late duplicate file
        action = rng.choice(["drop", "restore", "duplicate", "nothing"])
        inst_ids = sorted({k.split("-")[0] for k in keys})
        inst = rng.choice(inst_ids)
        files = sorted(inbox.glob(f"Kontrakt * - {inst} *.xlsx"))
        if action == "drop" and files and inst not in victims:
            victims[inst] = files[0].with_suffix(".orig")
            shutil.copy2(files[0], victims[inst])
            _rebuild_without_last_goal(files[0], facit)
        elif action == "restore" and victims:
            inst = rng.choice(sorted(victims))
            orig = victims.pop(inst)
            target = next(iter(sorted(inbox.glob(f"Kontrakt * - {inst} *.xlsx"))))
            shutil.copy2(orig, target)
            orig.unlink()
            for kopi in inbox.glob(f"kopi * - {inst} *.xlsx"):
                kopi.unlink()
            os.utime(target, (time.time() + i, time.time() + i))
        elif action == "duplicate" and files:
            dup = inbox / f"kopi {i} {files[0].name}"
            shutil.copy2(files[0], dup)
            os.utime(dup, (time.time() + 100 + i, time.time() + 100 + i))
        konsolider(folder)
        _, rows = read_master_rows(master)
        live = {r["noegle"]: r for r in rows["maal"]}
        orphans = {r["noegle"]: json.loads(r["data"]) for r in rows["foraeldede"]}
        saw_orphans += bool(orphans)
        for k in keys:
            data = live[k] if k in live else orphans.get(k)
            assert data is not None, f"run {i}: manual data of {k} lost"
            assert data["beslutning"] == "Godkendt" and data["kommentar"].startswith(
                f"Kommentar til {k}"
            ), (i, k)
    assert saw_orphans, "the resubmissions never made a goal disappear: the test proves nothing"
    for kopi in inbox.glob("kopi *.xlsx"):
        kopi.unlink()
    for inst, orig in victims.items():
        target = next(iter(sorted(inbox.glob(f"Kontrakt * - {inst} *.xlsx"))))
        shutil.copy2(orig, target)
        os.utime(target, (time.time() + 1000, time.time() + 1000))
    konsolider(folder)
    _, rows = read_master_rows(master)
    live = {r["noegle"]: r for r in rows["maal"]}
    assert all(live[k]["beslutning"] == "Godkendt" for k in keys), (
        "restored goals got their decisions back"
    )
    assert not rows["foraeldede"], "nothing left behind once every goal is back"
    assert len(rows["koersler"]) == 52


def _rebuild_without_last_goal(path: Path, facit: dict) -> None:
    from toolkit.reading.workbook import read_workbook

    book = read_workbook(path)
    inst_id = book.meta.virksomhed_id
    f = facit["udfyldninger"][inst_id]
    filling = copy.deepcopy(f)
    filling["maal"] = filling["maal"][:-1]
    filling["resultater"] = filling["resultater"][: len(filling["maal"])]
    for table in ("dialog", "maal", "resultater"):
        for row in filling[table]:
            for k, v in list(row.items()):
                if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                    row[k] = date.fromisoformat(v)

    inst = {
        k: getattr(book.virksomhed, k) for k in ("id", "navn", "type", "udvalg", "leder", "email")
    }
    inp = WorkbookInput(inst, YEAR, book.meta.kommune or "", tuple(x for x in book.lists["indsatsomraader"] if x != "Eget forslag"),
                        "forslag", book.meta.register_id or "", datetime(2026, 3, 15, 9), Filling(**{k: filling[k] for k in ("virksomhed", "gruppe", "dialog", "maal", "resultater")}))  # fmt: skip
    build_workbook(path, inp)
    os.utime(path, (time.time() + 10, time.time() + 10))


def test_locked_master_changes_nothing(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    konsolider(folder)
    master = folder / "master.xlsx"
    before = master.read_bytes()
    lock = folder / "~$master.xlsx"
    lock.write_bytes(b"\x0cKontraktservice")
    with pytest.raises(MasterLocked) as exc:
        konsolider(folder)
    assert "åben" in str(exc.value) and "Intet er ændret" in str(exc.value)
    assert master.read_bytes() == before
    lock.unlink()
    konsolider(folder)
    assert (folder / "Sikkerhedskopier").is_dir() and len(
        list((folder / "Sikkerhedskopier").iterdir())
    ) == 1


def test_failure_during_write_leaves_the_old_master(demo, tmp_path, monkeypatch):
    folder = _copy_demo(demo, tmp_path)
    konsolider(folder)
    master = folder / "master.xlsx"
    before = master.read_bytes()

    def boom(*a, **k):
        raise OSError("disken er fuld")

    monkeypatch.setattr("toolkit.files.os.replace", boom)
    with pytest.raises(OSError):
        konsolider(folder)
    assert master.read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".~tmp")], (
        "temporary file left behind"
    )


@pytest.mark.slow
def test_killed_run_leaves_a_readable_master(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    konsolider(folder)
    master = folder / "master.xlsx"
    code = (
        "import sys; from pathlib import Path; from toolkit.master.consolidate import run; f=Path(sys.argv[1]);"
        "run([f/'indbakke'], f/'master.xlsx', f/'inddata'/'Virksomhedsregister.xlsx', 2027, workers=1)"
    )
    rng = random.Random(3)
    for _ in range(8):
        p = subprocess.Popen([sys.executable, "-c", code, str(folder)])
        time.sleep(rng.uniform(0.3, 2.0))
        p.send_signal(signal.SIGKILL)
        p.wait()
        settings, rows = read_master_rows(master)  # must never be half written
        assert settings["aar"] == YEAR and rows["oversigt"]


def test_injection_strings_arrive_as_text(tmp_path):
    from toolkit.reading.inputs import Institution, write_register

    inbox = tmp_path / "indbakke"
    filling = good_filling()
    evil = ['=HYPERLINK("http://x","klik")', "+SUM(1;2)", "-2+3", "@cmd|' /C calc'!A0", "=1+1"]
    for g, text in zip(filling.maal, evil, strict=False):
        g["titel"] = text
    filling.maal[0]["beskrivelse"] = evil[3]
    inst = Institution(
        "V042",
        "Børnehuset Mælkebøtten",
        "Daginstitution",
        "Børne- og Undervisningsudvalget",
        "H",
        "h@x.dk",
    )
    inp = WorkbookInput(inst.as_dict(), YEAR, "Demokommune", ("Sprog og læsning", "Trivsel og fællesskab", "Sund kost og bevægelse"),
                        "forslag", "Demokommune-2027", datetime(2026, 3, 1), filling)  # fmt: skip
    build_workbook(inbox / workbook_filename(inst.as_dict(), YEAR), inp)
    write_register(tmp_path / "reg.xlsx", "Demokommune", [inst], "Demokommune-2027")
    run(
        [inbox],
        tmp_path / "master.xlsx",
        tmp_path / "reg.xlsx",
        YEAR,
        workers=1,
        export_dir=tmp_path / "eksport",
    )
    with zipfile.ZipFile(tmp_path / "master.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = z.read(name).decode("utf-8")
                for f in re.findall(r"<f>(.*?)</f>", xml):
                    assert "HYPERLINK" not in f and "cmd" not in f and "SUM" not in f
    _, rows = read_master_rows(tmp_path / "master.xlsx")
    assert [r["titel"] for r in rows["maal"]] == evil[:3]
    csv_text = (tmp_path / "eksport" / "maal.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+SUM(1;2)" in csv_text and "'-2+3" in csv_text
    assert (tmp_path / "eksport" / "maal.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_bad_files_are_reported_and_the_rest_consolidated(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    inbox = folder / "indbakke"
    n_good = len(list(inbox.glob("*.xlsx")))
    (inbox / "noter.xlsx").write_bytes(b"%PDF-1.5 not a workbook")
    (inbox / "halv.xlsx").write_bytes(
        next(iter(sorted(inbox.glob("Kontrakt*.xlsx")))).read_bytes()[:5000]
    )
    (inbox / "~$Kontrakt 2027 - V001.xlsx").write_bytes(b"lock")
    old_year = folder / "indbakke" / "sidste år.xlsx"
    src = next(iter(sorted((folder / "udsendt").glob("*.xlsx"))))
    from toolkit.reading.workbook import read_workbook

    b = read_workbook(src)
    inst = {k: getattr(b.virksomhed, k) for k in ("id", "navn", "type", "udvalg", "leder", "email")}
    build_workbook(
        old_year,
        WorkbookInput(
            inst, YEAR - 1, b.meta.kommune or "", (), "forslag", b.meta.register_id or ""
        ),
    )
    res = konsolider(folder)
    _, rows = read_master_rows(folder / "master.xlsx")
    fund = {(r["fil"], r["regel"]) for r in rows["fund"]}
    assert ("noter.xlsx", "fil_type") in fund
    assert ("halv.xlsx", "fil_laest") in fund
    assert ("sidste år.xlsx", "fil_fremmed") in fund
    assert not any(f.startswith("~$") for f, _ in fund), "lock files are not files to read"
    assert res.summary()["brugt"] == n_good
    assert res.intake.files == n_good + 3


def test_newest_duplicate_wins_and_both_are_reported(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    inbox = folder / "indbakke"
    orig = next(iter(sorted(inbox.glob("Kontrakt*.xlsx"))))
    newer = inbox / "rettet" / orig.name
    newer.parent.mkdir()
    shutil.copy2(orig, newer)
    os.utime(newer, (time.time() + 60, time.time() + 60))
    res = konsolider(folder)
    inst_id = orig.name.split(" - ")[1].split()[0]
    assert res.intake.used[inst_id].path == newer
    _, rows = read_master_rows(folder / "master.xlsx")
    dup = [r for r in rows["fund"] if r["regel"] == "fil_dublet"]
    assert len(dup) == 2 and {r["fil"] for r in dup} == {orig.name}


def test_export_csv_danish_and_parquet(demo, tmp_path):
    import pyarrow.parquet as pq

    folder = _copy_demo(demo, tmp_path)
    res = konsolider(folder, export_dir=folder / "eksport")
    maal_csv = (folder / "eksport" / "maal.csv").read_text("utf-8-sig").splitlines()
    assert maal_csv[0].split(";")[:3] == ["Mål-id", "Id", "Virksomhed"]
    assert any(re.search(r";\d+,\d+;", line) for line in maal_csv[1:]), "decimal comma"
    assert any(re.search(r";\d{2}-\d{2}-\d{4};", line) for line in maal_csv[1:]), "Danish dates"
    t = pq.read_table(folder / "eksport" / "maal.parquet")
    assert t.num_rows == len(res.tables["maal"])


@pytest.mark.libreoffice
def test_master_opens_in_libreoffice_and_keeps_charts_and_tables(demo, tmp_path):
    from uno_harness import session as lo

    if not lo.uno_available():
        pytest.skip(f"LibreOffice/UNO er ikke tilgængelig: {lo.unavailable_reason()}")
    folder = _copy_demo(demo, tmp_path)
    konsolider(folder)
    saved = tmp_path / "gemt.xlsx"
    res = lo.run_uno(
        [
            {"op": "open", "path": str(folder / "master.xlsx")},
            {"op": "database_ranges"},
            {"op": "read", "sheet": "Fagudvalg", "range": "A3:J9"},
            {"op": "save", "path": str(saved)},
            {"op": "close"},
        ]
    )
    opened, dbranges, udvalg, _, _ = res
    assert "error" not in opened, opened
    assert {"Overblik", "Oversigt", "Kontraktmål", "Resultater", "Fund", "Kørsler"} <= set(
        opened["sheets"]
    )
    assert len(dbranges) >= 8, "the Excel tables arrive as database ranges"
    assert udvalg[0][0]["v"] == "Fagudvalg"
    with zipfile.ZipFile(saved) as z:
        names = z.namelist()
    assert len([n for n in names if n.startswith("xl/charts/chart")]) == 2, "both charts survive"
    assert len([n for n in names if n.startswith("xl/tables/")]) >= 8, "tables survive"
    _, rows = read_master_rows(saved)  # and we still read what LibreOffice wrote
    assert rows["maal"] and rows["oversigt"]


def test_attainment_rule():
    from toolkit.rules.attainment import AttainmentRule, attainment

    assert attainment("Højere er bedre", 70, 80, 80) == "Opfyldt"
    assert attainment("Højere er bedre", 70, 80, 76) == "Delvist opfyldt"
    assert attainment("Højere er bedre", 70, 80, 74) == "Ikke opfyldt"
    assert attainment("Lavere er bedre", 14, 9, 9) == "Opfyldt"
    assert attainment("Lavere er bedre", 14, 9, 12) == "Ikke opfyldt"
    assert attainment("Lavere er bedre", 14, 9, 11.5) == "Delvist opfyldt"
    assert attainment("Ja/Nej", "Nej", "Ja", "ja") == "Opfyldt"
    assert attainment("Ja/Nej", "Nej", "Ja", "Nej") == "Ikke opfyldt"
    assert attainment("Højere er bedre", 70, 80, None) == "Ikke målt"
    assert attainment("Højere er bedre", 70, 70, 75) is None  # no way to measure the way
    assert attainment("Højere er bedre", 70, 80, 76, AttainmentRule(1.0, 0.7)) == "Ikke opfyldt"


def test_status_godkendt_when_every_goal_has_a_decision(demo, tmp_path):
    folder = _copy_demo(demo, tmp_path)
    konsolider(folder)
    master = folder / "master.xlsx"
    _, rows = read_master_rows(master)
    ok = next(r for r in rows["oversigt"] if r["status"] == "Modtaget")
    keys = [r["noegle"] for r in rows["maal"] if r["virksomhed_id"] == ok["virksomhed_id"]]
    _type_into(master, _sheet_index(master, "Kontraktmål"), _manual_cells(master, keys))
    konsolider(folder)
    _, rows = read_master_rows(master)
    assert (
        next(r for r in rows["oversigt"] if r["virksomhed_id"] == ok["virksomhed_id"])["status"]
        == "Godkendt"
    )
