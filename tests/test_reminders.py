"""Påmindelser (issue 8, finding 9): e-mail drafts for the institutions that are missing,
late or have errors — parsed back with the ``email`` package as Outlook would read them."""

from __future__ import annotations

import email
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import python_calamine
from conftest import FOCUS, INSTITUTION, good_filling, make_input
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.master.consolidate import run
from toolkit.reading.inputs import FocusArea, Institution, write_focus_areas, write_register
from toolkit.reading.workbook import read_workbook
from toolkit.workbook.build import build_workbook

UDVALG = INSTITUTION["udvalg"]


def _inst(id_: str, navn: str, first: int | None) -> Institution:
    return Institution(id_, navn, "Daginstitution", UDVALG, f"Leder {id_}",
                       f"{id_.lower()}@demo.dk", first)  # fmt: skip


REGISTER = [
    Institution(**INSTITUTION, foerste_kontraktaar=2006),  # V042: sends a workbook with errors
    _inst("V043", "Børnehuset Solsikken", None),  # never answers
    _inst("V044", "Børnehuset Mariehønen", 2028),  # a later rollout wave
    _inst("V045", "Børnehuset Anemonen", 2010),  # sends a clean workbook
]


def _parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(msg, EmailMessage)
    return msg


def _cli(*args: str) -> str:
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_paamind_writes_drafts_for_missing_late_and_errors(tmp_path: Path) -> None:
    reg, focus = tmp_path / "Virksomhedsregister.xlsx", tmp_path / "Indsatsområder.xlsx"
    write_register(reg, "Demokommune", REGISTER, "Demokommune-2027")
    write_focus_areas(focus, [FocusArea(UDVALG, 2027, i + 1, t) for i, t in enumerate(FOCUS)])
    udsendt = tmp_path / "Udsendt"
    _cli("opret", "--aar", "2027", "--register", str(reg), "--indsatsomraader", str(focus),
         "--ud", str(udsendt))  # fmt: skip
    inbox = tmp_path / "Indbakke"
    inbox.mkdir()
    bad = good_filling()
    bad.maal[0]["maalvaerdi"] = 72  # the same as the baseline: an error
    build_workbook(inbox / "V042.xlsx", make_input(bad))
    clean = make_input(good_filling())
    clean = type(clean)(**{**clean.__dict__, "institution": REGISTER[3].as_dict()})
    build_workbook(inbox / "V045.xlsx", clean)
    master = tmp_path / "Master.xlsx"
    run([inbox], master, reg, 2027, workers=1, now=datetime(2026, 8, 20, 10, 0))

    ud = tmp_path / "Påmindelser"
    out = _cli("paamind", "--master", str(master), "--register", str(reg), "--ud", str(ud),
               "--udsendt", str(udsendt), "--dato", "02-09-2026")  # fmt: skip
    assert "2 e-mailkladder" in out and "1 forsinket, 1 med fejl" in out and "Intet er sendt" in out
    drafts = {p.name: _parse(p) for p in ud.glob("*.eml")}
    assert sorted(drafts) == ["V042 Børnehuset Mælkebøtten.eml", "V043 Børnehuset Solsikken.eml"]

    late = drafts["V043 Børnehuset Solsikken.eml"]
    assert late["X-Unsent"] == "1" and late["To"] == "v043@demo.dk"
    assert late["Content-Language"] == "da-DK"
    assert (
        late["Subject"]
        == "Fristen er overskredet: forslag til kontraktmål 2027 fra Børnehuset Solsikken"
    )
    text = late.get_body(("plain",)).get_content()
    assert text.startswith("Kære Leder V043")
    assert "Fristen for forslagene til kontraktmål for 2027 var 1. september 2026" in text
    [att] = list(late.iter_attachments())
    blank = next(udsendt.glob("Kontrakt 2027 - V043 *.xlsx"))
    assert att.get_filename() == blank.name
    assert att.get_content() == blank.read_bytes()  # the institution's own blank workbook
    copy = tmp_path / "bilag.xlsx"
    copy.write_bytes(att.get_content())
    assert read_workbook(copy).meta.virksomhed_id == "V043"

    errors = drafts["V042 Børnehuset Mælkebøtten.eml"]
    assert errors["To"] == INSTITUTION["email"] and errors["X-Unsent"] == "1"
    assert errors["Subject"].startswith("Ret fejl i arbejdsbogen: forslag til kontraktmål 2027")
    body = errors.get_body(("plain",)).get_content()
    assert "Den har 1 fejl, som skal rettes" in body and "igen hurtigst muligt." in body
    assert "- Fejl (arket Kontraktmål, celle " in body and "Mål 1" in body
    assert not list(errors.iter_attachments())

    rows = python_calamine.CalamineWorkbook.from_path(str(ud / "Påmindelser.xlsx"))
    table = rows.get_sheet_by_name("Påmindelser").to_python()
    assert table[0][:5] == ["Id", "Virksomhed", "Fagudvalg", "E-mail", "Årsag"]
    assert {(r[0], r[4], r[8]) for r in table[1:]} == {("V042", "Fejl i arbejdsbogen", "Nej"),
                                                        ("V043", "Forsinket", "Ja")}  # fmt: skip

    # before the deadline the missing institution gets a friendly reminder instead
    early = tmp_path / "Tidligt"
    _cli("paamind", "--master", str(master), "--register", str(reg), "--ud", str(early),
         "--dato", "20-08-2026")  # fmt: skip
    friendly = _parse(early / "V043 Børnehuset Solsikken.eml")
    assert friendly["Subject"].startswith("Påmindelse: forslag til kontraktmål 2027")
    assert "Husk, at fristen er 1. september 2026." in friendly.get_body(("plain",)).get_content()
    assert not list(friendly.iter_attachments())  # no --udsendt: nothing to attach


def test_results_phase_reminders_use_the_results_deadline(tmp_path: Path) -> None:
    from datetime import date

    from toolkit.master.reminders import write_reminders
    from toolkit.reading.inputs import Register

    register = Register("Demokommune", "Demokommune-2027", REGISTER)
    settings = {"aar": 2027, "fase": "Resultater", "kommune": "Demokommune"}
    # in the results phase the column Resultater (resultatstatus) says what came in
    rows = {"oversigt": [{"virksomhed_id": "V042", "status": "Godkendt", "resultatstatus": "Modtaget"},
                         {"virksomhed_id": "V043", "status": "Godkendt", "resultatstatus": "Mangler"},
                         {"virksomhed_id": "V044", "status": "Ikke omfattet endnu", "resultatstatus": None},
                         {"virksomhed_id": "V045", "status": "Mangler", "resultatstatus": None}]}  # fmt: skip
    before = write_reminders(settings, rows, register, tmp_path / "a", date(2028, 1, 31))
    assert [(r.institution.id, r.reason) for r in before] == [("V043", "Mangler")]
    [late] = write_reminders(settings, rows, register, tmp_path / "b", date(2028, 2, 1))
    assert late.reason == "Forsinket" and late.path is not None
    msg = _parse(late.path)
    assert msg["Subject"] == "Fristen er overskredet: resultater 2027 fra Børnehuset Solsikken"
    text = msg.get_body(("plain",)).get_content()
    assert "Fristen for resultaterne for kontraktåret 2027 var 31. januar 2028" in text
    # a deadline typed on Indstillinger wins
    typed = {**settings, "frist_resultater": date(2028, 2, 15)}
    [r] = write_reminders(typed, rows, register, tmp_path / "c", date(2028, 2, 1))
    assert r.reason == "Mangler" and r.deadline == date(2028, 2, 15)


def test_write_reminders_derives_year_phase_and_deadline_once(tmp_path: Path, monkeypatch) -> None:
    """collect and write_reminders share one Round (year, phase, deadline) per call."""
    from datetime import date

    from toolkit.master import reminders as R
    from toolkit.reading.inputs import Register

    calls: list[object] = []
    real = R.phase_of
    monkeypatch.setattr(R, "phase_of", lambda s: calls.append(s) or real(s))
    settings = {"aar": 2027, "fase": "Resultater"}
    rows = {
        "oversigt": [{"virksomhed_id": "V043", "status": "Godkendt", "resultatstatus": "Mangler"}]
    }
    register = Register("Demokommune", "Demokommune-2027", REGISTER)
    r = R.write_reminders(settings, rows, register, tmp_path, date(2028, 2, 1))[0]
    assert len(calls) == 1
    assert R.round_of(settings, date(2028, 2, 1)) == R.Round(2027, "resultater", r.deadline)
    assert R.collect(settings, rows, register, date(2028, 2, 1))[0].deadline == r.deadline
