"""Rollout waves, deadlines and the calendar of the årshjul (issue 8, findings 8 and 9).

* An institution is under contract from its *Første kontraktår*: ``opret`` leaves later
  waves out (and says so), the master's Oversigt lists them as *Ikke omfattet endnu*, and
  they count in no totals.
* Deadlines per phase stand on the master's Indstillinger (defaults from the årshjul) and
  can be changed by typing a date there (typed in LibreOffice here); an institution still
  missing after the deadline is *Forsinket*.
* ``nytaar`` for N+1 runs in April–August of year N, before year N's results exist.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import FOCUS, INSTITUTION, build, good_filling
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.master.carryover import next_year_inputs
from toolkit.master.consolidate import run
from toolkit.master.model import read_master_rows
from toolkit.reading.inputs import (
    FocusArea,
    Institution,
    read_focus_areas,
    read_register,
    write_focus_areas,
    write_register,
)
from toolkit.reading.workbook import read_workbook
from toolkit.rules.cycle import (
    LATE,
    NOT_YET,
    deadline,
    default_deadline,
    is_covered,
    is_missing,
    overview_kpis,
    phase_of,
    split_waves,
)
from toolkit.rules.validate import validate
from toolkit.spec.periods import dialog_window

UDVALG = INSTITUTION["udvalg"]


def _inst(id_: str, navn: str, first: int | None) -> Institution:
    return Institution(
        id_, navn, "Daginstitution", UDVALG, "Leder", f"{id_.lower()}@demo.dk", first
    )


REGISTER = [
    Institution(**INSTITUTION, foerste_kontraktaar=2006),  # V042: sends its workbook
    _inst("V043", "Børnehuset Solsikken", None),  # under contract, never answers
    _inst("V044", "Børnehuset Mariehønen", 2028),  # a later rollout wave
]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    reg, focus = tmp_path / "Virksomhedsregister.xlsx", tmp_path / "Indsatsområder.xlsx"
    write_register(reg, "Demokommune", REGISTER, "Demokommune-2027")
    write_focus_areas(focus, [FocusArea(UDVALG, y, i + 1, t) for y in (2027, 2028)
                              for i, t in enumerate(FOCUS)])  # fmt: skip
    return reg, focus


def test_waves_and_statuses_helpers() -> None:
    now, later = split_waves(REGISTER, 2027)
    assert [i.id for i in now] == ["V042", "V043"] and [i.id for i in later] == ["V044"]
    assert [i.id for i in split_waves(REGISTER, 2028)[0]] == ["V042", "V043", "V044"]
    assert is_missing("Mangler") and is_missing(LATE) and not is_missing(NOT_YET)
    assert is_covered(LATE) and not is_covered(NOT_YET)
    assert default_deadline("forslag", 2027) == date(2026, 9, 1)
    assert default_deadline("resultater", 2027) == date(2028, 1, 31)
    results = {"fase": "Resultater"}
    assert deadline(results, phase_of(results), 2027) == date(2028, 1, 31)
    typed = {"fase": "Resultater", "frist_resultater": "15-02-2028", "frist_forslag": 46280.0}
    assert deadline(typed, phase_of(typed), 2027) == date(2028, 2, 15)  # typed as text
    assert deadline(typed, "forslag", 2027) == date(2026, 9, 15)  # a date serial
    kpis = dict(
        overview_kpis([{"status": "Modtaget"}, {"status": LATE}, {"status": NOT_YET}], 4, 2)
    )
    assert kpis["Virksomheder"] == 2 and kpis["Modtaget"] == 1 and kpis["Mangler"] == 1
    assert kpis["Heraf forsinket"] == 1 and kpis["Ikke omfattet endnu"] == 1


def test_opret_leaves_later_waves_out_and_says_so(tmp_path: Path, inputs) -> None:
    reg, focus = inputs
    res = CliRunner().invoke(app, ["opret", "--aar", "2027", "--register", str(reg),
                                   "--indsatsomraader", str(focus), "--ud", str(tmp_path / "ud")])  # fmt: skip
    assert res.exit_code == 0, res.output
    made = sorted(read_workbook(p).meta.virksomhed_id for p in (tmp_path / "ud").glob("*.xlsx"))
    assert made == ["V042", "V043"]
    text = " ".join(res.output.split())
    assert "1 virksomhed er ikke omfattet af kontraktstyring i 2027 endnu" in text
    assert "Første kontraktår i registret: 2028 (1)" in text


def _consolidate(tmp_path: Path, reg: Path, master: Path, now: datetime):
    inbox = tmp_path / "indbakke"
    if not inbox.exists():
        inbox.mkdir()
        build(inbox, good_filling(), name="V042.xlsx")
    return run([inbox], master, reg, 2027, workers=1, now=now)


def test_oversigt_says_not_yet_and_late_and_totals_leave_later_waves_out(
    tmp_path: Path, inputs
) -> None:
    reg, _ = inputs
    master = tmp_path / "Master.xlsx"
    before = _consolidate(tmp_path, reg, master, datetime(2026, 8, 31, 12, 0))
    status = {o["virksomhed_id"]: o["status"] for o in before.tables["oversigt"]}
    assert status == {"V042": "Modtaget", "V043": "Mangler", "V044": NOT_YET}
    assert before.missing == ["V043"]

    after = _consolidate(tmp_path, reg, master, datetime(2026, 9, 2, 9, 0))
    settings, rows = read_master_rows(master)
    status = {o["virksomhed_id"]: o["status"] for o in rows["oversigt"]}
    assert status == {"V042": "Modtaget", "V043": LATE, "V044": NOT_YET}
    assert after.missing == ["V043"] and after.summary()["forsinket"] == 1
    [u] = rows["udvalg"]
    assert (u["virksomheder"], u["modtaget"], u["mangler"]) == (2, 1, 1)
    assert settings["frist_forslag"] in (date(2026, 9, 1), datetime(2026, 9, 1))
    assert settings["frist_resultater"] in (date(2028, 1, 31), datetime(2028, 1, 31))


def test_memos_and_report_count_only_institutions_under_contract(tmp_path: Path, inputs) -> None:
    from toolkit.documents.context import memo_context
    from toolkit.master.model import read_master

    reg, _ = inputs
    master = tmp_path / "Master.xlsx"
    result = _consolidate(tmp_path, reg, master, datetime(2026, 9, 2, 9, 0))
    m = read_master(master)
    memo = memo_context(m, UDVALG, "forslag")["resume"]
    assert (memo["virksomheder"], memo["modtaget"], memo["mangler"]) == (2, 1, 1)  # V043 is late
    names = [v["navn"] for v in memo_context(m, UDVALG, "forslag")["virksomheder"]]
    assert "Børnehuset Mariehønen" not in names  # joins in 2028
    # the committee totals (Fagudvalg) count only institutions under contract; the report
    # itself needs results (it is refused without them — tests/test_committee_documents.py)
    assert [u["virksomheder"] for u in result.tables["udvalg"]] == [2]


@pytest.mark.libreoffice
def test_a_deadline_typed_on_indstillinger_is_used(tmp_path: Path, inputs) -> None:
    from test_lo_workbook import require_uno
    from uno_harness.session import UnoSession

    from toolkit.master.model import SETTINGS, SETTINGS_SHEET

    require_uno()
    reg, _ = inputs
    master = tmp_path / "Master.xlsx"
    _consolidate(tmp_path, reg, master, datetime(2026, 9, 2, 9, 0))
    row = 4 + [k for k, _, _ in SETTINGS].index("frist_forslag")
    typed = tmp_path / "typed.xlsx"
    with UnoSession() as lo:
        res = lo.run([
            {"op": "open", "path": str(master)},
            {"op": "type", "sheet": SETTINGS_SHEET, "cell": f"B{row}", "text": "15-09-2026"},
            {"op": "save", "path": str(typed)},
            {"op": "close"},
        ])  # fmt: skip
    assert res[1]["t"] == "num", res[1]
    shutil.move(typed, master)
    result = _consolidate(tmp_path, reg, master, datetime(2026, 9, 2, 9, 0))
    status = {o["virksomhed_id"]: o["status"] for o in result.tables["oversigt"]}
    assert status["V043"] == "Mangler"  # the typed deadline (15 September) has not passed
    settings, _ = read_master_rows(master)
    assert settings["frist_forslag"] in (date(2026, 9, 15), datetime(2026, 9, 15))
    later = _consolidate(tmp_path, reg, master, datetime(2026, 9, 16, 9, 0))
    assert {o["virksomhed_id"]: o["status"] for o in later.tables["oversigt"]}["V043"] == LATE


# ------------------------------------------------------------------------------ the calendar


def _goal(year: int, inst: str, nr: int, titel: str, **kw: object) -> dict[str, object]:
    return {"noegle": f"{inst}-{year}-{nr}", "virksomhed_id": inst, "aar": year, "nr": nr,
            "titel": titel, "enhed": "Procent", "retning": "Højere er bedre", **kw}  # fmt: skip


def test_nytaar_before_the_running_years_results(tmp_path: Path, inputs) -> None:
    """May 2027: 2028's workbooks carry 2027's approved goals as ongoing (no 2027 results
    exist yet) with 2026's results as the latest known status."""
    reg, focus = inputs
    rows = {
        "maal": [
            _goal(2026, "V042", 1, "Bedre sprog", baseline=60, maalvaerdi=70, beslutning="Godkendt"),
            _goal(2026, "V042", 2, "Færre sygedage", baseline=14, maalvaerdi=12,
                  beslutning="Godkendt", retning="Lavere er bedre", enhed="Dage"),
            _goal(2027, "V042", 1, "Bedre  sprog", baseline=68, maalvaerdi=75, beslutning="Godkendt"),
            _goal(2027, "V042", 2, "Ny legeplads", baseline="Nej", maalvaerdi="Ja",
                  beslutning="Godkendt", retning="Ja/Nej", enhed="Ja/Nej"),
            _goal(2027, "V042", 3, "Afvist mål", baseline=1, maalvaerdi=2, beslutning="Afvist"),
        ],
        "resultater": [
            {"noegle": "V042-2026-1", "aar": 2026, "resultat": 72, "maalopfyldelse": "Opfyldt"},
            {"noegle": "V042-2026-2", "aar": 2026, "resultat": 13, "maalopfyldelse": "Delvist opfyldt"},
            {"noegle": "V042-2027-1", "aar": 2027, "resultat": None},
        ],
    }  # fmt: skip
    inputs_2028 = next_year_inputs(rows, read_register(reg), read_focus_areas(focus), 2028)
    by_id = {i.institution["id"]: i for i in inputs_2028}
    assert sorted(by_id) == ["V042", "V043", "V044"]  # V044 joins in 2028
    v042 = by_id["V042"].filling
    assert v042 is not None
    text = v042.virksomhed["status_sidste_aar"]
    assert text.startswith("Kontrakt 2027 er i gang (resultaterne kendes i marts 2028).")
    assert 'Mål 1 "Bedre  sprog": målværdi 75, seneste kendte resultat 72 (2026).' in text
    assert 'Mål 2 "Ny legeplads": målværdi Ja, udgangspunkt Nej.' in text
    assert "Kontrakt 2026: 1 af 2 mål opfyldt." in text
    assert "Ikke målt" not in text  # no result that does not exist yet is reported
    goals = v042.maal
    assert [g["titel"] for g in goals] == ["Bedre  sprog", "Ny legeplads"]  # approved only
    assert goals[0]["baseline"] == 72  # the latest known measurement (2026's result)
    assert goals[1]["baseline"] == "Nej"
    assert all("maalvaerdi" not in g for g in goals)
    assert by_id["V044"].filling is not None and by_id["V044"].filling.maal == []


def test_nytaar_after_the_running_years_results_reports_them(tmp_path: Path, inputs) -> None:
    reg, focus = inputs
    rows = {
        "maal": [_goal(2027, "V042", 1, "Bedre sprog", baseline=68, maalvaerdi=75)],
        "resultater": [{"noegle": "V042-2027-1", "aar": 2027, "resultat": 76,
                        "maalopfyldelse": "Opfyldt"}],
    }  # fmt: skip
    [v042, *_] = next_year_inputs(rows, read_register(reg), read_focus_areas(focus), 2028)
    assert v042.filling is not None
    assert v042.filling.virksomhed["status_sidste_aar"].startswith("Kontrakt 2027: 1 af 1 mål")
    assert v042.filling.maal[0]["baseline"] == 76


def test_2028_workbooks_ask_for_dialogue_in_april_august_2027(tmp_path: Path) -> None:
    assert dialog_window(2028) == (date(2027, 4, 1), date(2027, 8, 31))
    book = read_workbook(build(tmp_path, good_filling(), year=2028))
    # the 2026 dialogue of the filling lies outside 2028's window: the rules say 2027
    messages = [f.message for f in validate(book)]
    assert any("april–august 2027" in m for m in messages), messages
