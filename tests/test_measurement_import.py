"""``kontrakt maaling`` end to end: a survey export into a real master, through Konsolider.

Two institutions; goal 1 of each uses the library's "Andel tilfredse brugere/pårørende",
goal 2 an indicator of its own. Mælkebøtten types 70 as its result; Solsikken types none.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path

from conftest import INSTITUTION
from cycle import OTHER, YEAR, Kommune
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.master.carryover import results_phase_inputs
from toolkit.master.measurements.importer import import_survey
from toolkit.master.measurements.rows import MARK
from toolkit.reading.inputs import read_focus_areas, read_register
from toolkit.rules.indicators import default_library

SATISFIED = default_library().get("brugertilfredshed_andel")
MAPPING = f"""indikator = "{SATISFIED.id}"
institutionskolonne = "Institution"
skalakolonner = ["Hvor tilfreds er du samlet set?"]
[population]
"{INSTITUTION["navn"]}" = 20
"""


def goals() -> list[dict]:
    from conftest import good_filling

    out = copy.deepcopy(good_filling().maal)
    out[0].update(indikator=SATISFIED.navn, maalemetode=SATISFIED.metode, enhed=SATISFIED.enhed,
                  retning=SATISFIED.retning, baseline=72, maalvaerdi=80)  # fmt: skip
    return out


def export(path: Path, mine: list[int], other: list[int]) -> Path:
    rows = ["Institution;Hvor tilfreds er du samlet set?;Kommentar"]
    rows += [f"{INSTITUTION['navn']};{a};" for a in mine]
    rows += [f"{OTHER['id']};{a};Fin" for a in other]
    rows += ["Skovtrolden;5;", "Skovtrolden;4;"]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode("utf-8"))
    return path


def _setup(tmp_path: Path) -> Kommune:
    k = Kommune(tmp_path)
    k.submit(INSTITUTION, goals())
    k.submit(OTHER, goals())
    k.consolidate()
    rows = k.rows()
    inputs = results_phase_inputs(rows, read_register(k.register), read_focus_areas(k.focus), YEAR)
    mine = next(i for i in inputs if i.institution["id"] == INSTITUTION["id"])
    assert mine.filling is not None
    filling = copy.deepcopy(mine.filling)
    filling.resultater = [
        {"resultat": 70, "maalt_dato": date(YEAR, 11, 1), "dokumentation": "Egen optælling"}
        if i == 0 else {"resultat": 11, "maalt_dato": date(YEAR, 12, 1), "dokumentation": "HR"}
        for i in range(len(filling.maal))
    ]  # fmt: skip
    k.submit(INSTITUTION, list(filling.maal), phase="resultater", filling=filling)
    k.consolidate(k.results_inbox)
    (tmp_path / "kort.toml").write_text(MAPPING, encoding="utf-8")
    return k


def _results(k: Kommune, inst: dict) -> list[dict]:
    rows = [r for r in k.rows()["resultater"] if r["virksomhed_id"] == inst["id"]]
    return sorted(rows, key=lambda r: r["nr"])


def test_survey_fills_only_goals_using_the_indicator_and_never_overwrites(tmp_path: Path) -> None:
    k = _setup(tmp_path)
    # Mælkebøtten: 8 of 10 answer 4 or 5 -> 80,0 %, 10 of 20 invited -> 50,0 %
    # Solsikken (by id): 3 of 6 -> 50,0 %
    path = export(tmp_path / "tilfredshed.csv", [5, 4, 4, 5, 3, 4, 5, 2, 4, 4], [5, 4, 3, 2, 1, 4])
    done = import_survey(path, tmp_path / "kort.toml", k.master, k.register,
                         now=datetime(YEAR, 11, 20, 9))  # fmt: skip
    rows = k.rows()
    maal = {(m["virksomhed_id"], m["vaerdi"], m["respondenter"], m["svarprocent"], m["status"])
            for m in rows["maalinger"]}  # fmt: skip
    assert maal == {
        (INSTITUTION["id"], 80.0, 10, 50.0, "Brugt"),
        (OTHER["id"], 50.0, 6, None, "Brugt"),
    }
    assert any("'Skovtrolden' (2 besvarelser)" in p for p in done.result.problems)

    mine, other = _results(k, INSTITUTION), _results(k, OTHER)
    # a typed result is never overwritten; the difference is a finding
    assert (mine[0]["resultat"], mine[0]["dokumentation"]) == (70, "Egen optælling")
    diff = [f for f in rows["fund"] if f["regel"] == "maaling_afviger"]
    assert [(f["virksomhed_id"], f["alvor"]) for f in diff] == [(INSTITUTION["id"], "advarsel")]
    assert "(70)" in diff[0]["besked"] and "(80," in diff[0]["besked"]
    # filled where the goal uses the indicator, marked with the documentation reference
    assert other[0]["resultat"] == 50
    assert other[0]["dokumentation"].startswith(f"{MARK} '{SATISFIED.navn}' (tilfredshed.csv; 6")
    assert other[0]["maalt_dato"] == date(YEAR, 11, 20)
    assert other[0]["maalopfyldelse"] == "Ikke opfyldt"  # 72 -> 80, measured 50
    # ... and nowhere else
    assert other[1]["resultat"] is None and mine[1]["resultat"] == 11

    # a new import of the same indicator and year replaces the old one, and the result
    # that came from the measurement follows it
    path = export(tmp_path / "tilfredshed2.csv", [5] * 10, [5, 5, 5, 5, 4, 1])
    import_survey(path, tmp_path / "kort.toml", k.master, k.register)
    rows = k.rows()
    assert sorted(m["vaerdi"] for m in rows["maalinger"]) == [83.3, 100.0]
    assert _results(k, OTHER)[0]["resultat"] == 83.3
    assert _results(k, OTHER)[0]["maalopfyldelse"] == "Opfyldt"
    assert len([f for f in rows["fund"] if f["regel"] == "maaling_afviger"]) == 1


def test_too_few_respondents_are_stored_but_not_used(tmp_path: Path) -> None:
    k = _setup(tmp_path)
    path = export(tmp_path / "lille.csv", [5, 4, 4, 5, 3, 4], [5, 4, 3])
    import_survey(path, tmp_path / "kort.toml", k.master, k.register)
    stored = {m["virksomhed_id"]: m for m in k.rows()["maalinger"]}
    assert (stored[OTHER["id"]]["vaerdi"], stored[OTHER["id"]]["status"]) == (
        None,
        "For få besvarelser",
    )
    assert _results(k, OTHER)[0]["resultat"] is None


def test_cli_reports_in_danish(tmp_path: Path) -> None:
    k = _setup(tmp_path)
    path = export(tmp_path / "tilfredshed.csv", [5, 4, 4, 5, 3], [5, 4])
    res = CliRunner().invoke(app, ["maaling", str(path), "--kortlaegning", str(tmp_path / "kort.toml"),
                                   "--master", str(k.master), "--register", str(k.register)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Andel tilfredse brugere/pårørende" in res.output and "80,0" in res.output
    assert "anonymitetsgrænsen" in res.output and "Skovtrolden" in res.output
    bad = CliRunner().invoke(app, ["maaling", str(tmp_path / "findes-ikke.csv"), "--kortlaegning",
                                   str(tmp_path / "kort.toml"), "--master", str(k.master),
                                   "--register", str(k.register)])  # fmt: skip
    assert bad.exit_code == 2 and "findes ikke" in bad.output
