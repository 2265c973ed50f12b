"""The demo runs the årshjul twice (issue 8): every figure in its documents is real and
adds up to the ground truth the cycle computed from the contract goals and results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest

from toolkit.demo.pipeline import run_demo
from toolkit.master.model import read_master_rows

YEAR = 2027


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("aarshjul")
    run_demo(folder, antal=24, year=YEAR, seed=31, cycle=True)
    return folder


def _facit(folder: Path) -> dict:
    return json.loads((folder / "facit.json").read_text("utf-8"))["aarshjul"]


def _text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_the_cycle_makes_every_document_of_both_years(cycle: Path) -> None:
    docs = cycle / "dokumenter"
    assert list((docs / str(YEAR) / "kontrakter").glob("*.docx"))
    assert list((docs / str(YEAR + 1) / "kontrakter").glob("*.docx"))
    memos = sorted((docs / str(YEAR) / "udvalgsnotater").glob("*.docx"))
    assert any("forslag" in p.name for p in memos) and any("målopfyldelse" in p.name for p in memos)
    assert list((docs / str(YEAR)).glob("Samlet rapport*.docx"))


def test_attainment_counts_add_up_to_the_ground_truth(cycle: Path) -> None:
    truth = _facit(cycle)[str(YEAR)]
    levels = truth["maalopfyldelse"]
    assert sum(levels.values()) == truth["kontraktmaal"] > 0
    assert levels.get("Opfyldt", 0) > 0 and levels.get("Ikke målt", 0) > 0
    report = _text(next((cycle / "dokumenter" / str(YEAR)).glob("Samlet rapport*.docx")))
    total = re.search(r"i alt (\d+) kontraktmål", report)
    met = re.search(r"(\d+) mål blev opfyldt", report)
    assert total and met, report[:500]
    assert int(total.group(1)) == truth["kontraktmaal"]
    assert int(met.group(1)) == levels["Opfyldt"]


def test_decisions_reached_the_results(cycle: Path) -> None:
    facts = _facit(cycle)["beslutninger"]
    _, rows = read_master_rows(cycle / "master.xlsx")
    res = {r["noegle"]: r for r in rows["resultater"]}
    changed = facts["aendret"]
    assert res[changed["noegle"]]["maalvaerdi"] == changed["maalvaerdi"]
    rejected = facts["afvist"]["noegle"]
    assert rejected not in res
    orphan = next(o for o in rows["foraeldede"] if o["noegle"] == rejected)
    assert json.loads(orphan["data"])["beslutning"] == "Afvist"
    for key in facts["erstatning"]:
        goal = next(g for g in rows["maal"] if g["noegle"] == key)
        assert goal["beslutning"] == "Godkendt" and key in res


def test_the_master_holds_both_years(cycle: Path) -> None:
    _, rows = read_master_rows(cycle / "master.xlsx")
    for table in ("maal", "gruppe", "dialog", "oversigt"):
        years = {r["aar"] for r in rows[table]}
        assert {YEAR, YEAR + 1} <= years, (table, years)
    silent = _facit(cycle)[str(YEAR)]["mangler_resultater"]
    over = next(o for o in rows["oversigt"] if o["virksomhed_id"] == silent and o["aar"] == YEAR)
    assert (
        over["resultatstatus"] == "Forsinket"
    )  # consolidated 1 February, the deadline was 31 January


def test_the_contract_holds_the_changed_target(cycle: Path) -> None:
    changed = _facit(cycle)["beslutninger"]["aendret"]
    contract = next(
        (cycle / "dokumenter" / str(YEAR) / "kontrakter").glob(f"*{changed['virksomhed_id']}*.docx")
    )
    text = _text(contract)
    want = f"{changed['maalvaerdi']}".replace(".", ",")
    assert re.search(rf"(?<![\d,]){re.escape(want)}(?![\d,])", text), (want, text[:2000])


def test_the_late_institution_gets_a_reminder(cycle: Path) -> None:
    import email

    facit = _facit(cycle)
    silent = facit[str(YEAR)]["mangler_resultater"]
    assert silent in facit["paamindelser"]
    eml = next((cycle / "påmindelser").glob(f"*{silent}*.eml"))
    msg = email.message_from_bytes(eml.read_bytes())
    assert msg["X-Unsent"] == "1"
    attached = [p.get_filename() for p in msg.walk() if p.get_filename()]
    assert any(silent in (name or "") for name in attached)


def test_next_years_goals_continue_this_years_and_the_contract_says_so(cycle: Path) -> None:
    _, rows = read_master_rows(cycle / "master.xlsx")
    ids_2027 = {g["noegle"] for g in rows["maal"] if g["aar"] == YEAR}
    carried = [g for g in rows["maal"] if g["aar"] == YEAR + 1 and g.get("forrige")]
    assert carried and all(g["forrige"] in ids_2027 for g in carried)
    g = carried[0]
    contract = next(
        (cycle / "dokumenter" / str(YEAR + 1) / "kontrakter").glob(f"*{g['virksomhed_id']}*.docx")
    )
    text = _text(contract)
    assert f"i kontrakt {YEAR}" in text and f"kendes i marts {YEAR + 1}" in text, text[:3000]


def test_survey_results_and_involvement_reach_the_documents(cycle: Path) -> None:
    """The demo's survey exports are measured in the results phase: the master has them,
    goals that use a surveyed indicator carry the measurement, and the report and the
    attainment memos compare the institutions and show the dialogue and involvement."""
    exports = sorted((cycle / "undersøgelser").glob("*.csv"))
    assert len(exports) == 4 and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in exports)
    rows = read_master_rows(cycle / "master.xlsx")[1]
    measured = [m for m in rows["maalinger"] if m["aar"] == YEAR]
    assert {m["indikator_id"] for m in measured} == {
        "brugertilfredshed_andel",
        "medarbejdertrivsel",
    }
    used = {(m["virksomhed_id"], m["indikator"]): m["vaerdi"] for m in measured
            if m["vaerdi"] is not None}  # fmt: skip
    goals = {g["noegle"]: g for g in rows["maal"] if g["aar"] == YEAR}
    hits = [r for r in rows["resultater"] if r["aar"] == YEAR and r["noegle"] in goals
            and (r["virksomhed_id"], goals[r["noegle"]]["indikator"]) in used]  # fmt: skip
    assert hits and all(
        r["resultat"] == used[(r["virksomhed_id"], goals[r["noegle"]]["indikator"])] for r in hits
    )
    report = _text(next((cycle / "dokumenter" / str(YEAR)).glob("Samlet rapport*.docx")))
    assert "Brugertilfredshed og trivsel sammenlignet" in report
    assert "Andel tilfredse brugere/pårørende — Daginstitution" in report
    assert "Kommunens gennemsnit" in report and "Dialog og inddragelse" in report
    memos = (cycle / "dokumenter" / str(YEAR) / "udvalgsnotater").glob("*målopfyldelse*.docx")
    assert any("Andel medarbejdere med høj trivsel" in _text(p) for p in memos)
