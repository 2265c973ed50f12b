"""Nyt kontraktår: next year's workbooks start from this year's goals and results."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.demo.pipeline import run_demo
from toolkit.master.carryover import contract_goals, ongoing_text, status_text
from toolkit.master.model import read_master_rows
from toolkit.reading.workbook import read_workbook
from toolkit.rules.validate import validate


def test_contract_goals_follow_the_decisions():
    goals = [{"noegle": "a", "beslutning": "Godkendt"}, {"noegle": "b", "beslutning": "Afvist"},
             {"noegle": "c", "beslutning": "Ændret"}, {"noegle": "d", "beslutning": None}]  # fmt: skip
    assert [g["noegle"] for g in contract_goals(goals)] == ["a", "c"]
    undecided = [{"noegle": "x"}, {"noegle": "y"}]
    assert contract_goals(undecided) == undecided


def test_status_text():
    goals = [{"noegle": "k1", "nr": 1, "titel": "Færre fald", "maalvaerdi": 9},
             {"noegle": "k2", "nr": 2, "titel": "Handleplan", "maalvaerdi": "Ja"}]  # fmt: skip
    results = {"k1": {"resultat": 8.5, "maalopfyldelse": "Opfyldt"}, "k2": {"resultat": None}}
    text = status_text(2027, goals, results)
    assert text.startswith("Kontrakt 2027: 1 af 2 mål opfyldt.")
    assert 'Mål 1 "Færre fald": Opfyldt (resultat 8,5, målværdi 9).' in text
    assert 'Mål 2 "Handleplan": Ikke målt (målværdi Ja).' in text


def test_status_text_states_the_decided_title_and_target():
    """A goal the committee changed (80 → 85, new title) is reported with the contract's
    values: graded against 85, so the text must not say 80."""
    g = {"noegle": "k1", "nr": 1, "titel": "Sprog", "maalvaerdi": 80, "beslutning": "Ændret",
         "aendret_titel": "Bedre sprogudvikling", "aendret_maalvaerdi": 85}  # fmt: skip
    text = status_text(2027, [g], {"k1": {"resultat": 78, "maalopfyldelse": "Ikke opfyldt"}})
    assert 'Mål 1 "Bedre sprogudvikling": Ikke opfyldt (resultat 78, målværdi 85).' in text
    assert "80" not in text
    assert 'Mål 1 "Bedre sprogudvikling": målværdi 85' in ongoing_text(2027, [g], {})


def test_nytaar_command(tmp_path: Path) -> None:
    run_demo(tmp_path, antal=15, year=2027, seed=5, phase="resultater", with_documents=False)
    res = CliRunner().invoke(app, [
        "nytaar", "--master", str(tmp_path / "master.xlsx"),
        "--register", str(tmp_path / "inddata" / "Virksomhedsregister.xlsx"),
        "--indsatsomraader", str(tmp_path / "inddata" / "Indsatsområder.xlsx"),
        "--ud", str(tmp_path / "2028"),
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    _, rows = read_master_rows(tmp_path / "master.xlsx")
    results = {r["noegle"]: r for r in rows["resultater"]}
    books = [read_workbook(p) for p in sorted((tmp_path / "2028").glob("*.xlsx"))]
    assert len(books) == 15 and all(b.year == 2028 for b in books)
    carried = [(b, g) for b in books for g in b.maal]
    assert carried
    for b, g in carried:
        old = results[f"{b.meta.virksomhed_id}-2027-{g.nr}"]
        if old["resultat"] is not None:
            assert g.baseline == old["resultat"], "last year's result is this year's baseline"
        assert g.maalvaerdi is None
        found = {(f.rule, f.cell) for f in validate(b)}
        assert any(rule == "maal_felt_mangler" for rule, _ in found), (
            "the check sheet asks for a new target"
        )
    assert any((b.virksomhed.status_sidste_aar or "").startswith("Kontrakt 2027:") for b in books)


def test_results_phase_workbooks_carry_the_contract_goals(tmp_path: Path) -> None:
    run_demo(tmp_path, antal=10, year=2027, seed=8, with_documents=False)
    res = CliRunner().invoke(app, [
        "opret", "--aar", "2027", "--fase", "resultater", "--master", str(tmp_path / "master.xlsx"),
        "--register", str(tmp_path / "inddata" / "Virksomhedsregister.xlsx"),
        "--indsatsomraader", str(tmp_path / "inddata" / "Indsatsområder.xlsx"),
        "--ud", str(tmp_path / "resultater"),
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    _, rows = read_master_rows(tmp_path / "master.xlsx")
    goals = {(g["virksomhed_id"], g["nr"]): g for g in rows["maal"]}
    books = [read_workbook(p) for p in sorted((tmp_path / "resultater").glob("*.xlsx"))]
    assert books and all(b.phase == "resultater" for b in books)
    n = 0
    for b in books:
        for g in b.maal:
            old = goals[(b.meta.virksomhed_id, g.nr)]
            assert (g.titel, g.maalvaerdi, g.frist) == (
                old["titel"],
                old["maalvaerdi"],
                old["frist"],
            )
            n += 1
        if b.maal:  # the institution is now asked for its results
            assert "resultat_mangler" in {f.rule for f in validate(b)}
    assert n == len(rows["maal"])
