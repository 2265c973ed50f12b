"""The indicator library (workbook/indikatorer.toml) and the rule that a goal agrees with it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import build, good_filling

from toolkit.reading.workbook import read_workbook
from toolkit.rules.indicators import OWN_INDICATOR, LibraryError, default_library, load_library
from toolkit.rules.validate import validate
from toolkit.spec.layout import layout
from toolkit.spec.workbook import default_spec

SPEC = default_spec()
MAAL = layout(SPEC).table("maal")

ISSUE_INDICATORS = {
    "brugertilfredshed_andel",
    "brugertilfredshed_gennemsnit",
    "svarprocent",
    "medarbejdertrivsel",
    "sygefravaer",
    "personaleomsaetning",
    "dialogmoeder_brugere",
    "medarbejderdeltagelse",
}


def test_the_library_has_the_issues_indicators_in_the_specs_vocabulary() -> None:
    lib = default_library()
    assert {i.id for i in lib.indicators} >= ISSUE_INDICATORS
    for ind in lib.indicators:
        assert ind.enhed in SPEC.lists["enheder"]
        assert ind.retning in SPEC.lists["retninger"]
        assert ind.metode in SPEC.lists["maalemetoder"]
        assert ind.definition and ind.dokumentation
    andel = lib.get("brugertilfredshed_andel")
    assert (andel.beregning, andel.graense, andel.skala) == ("andel_mindst", 4.0, (1.0, 5.0))
    assert lib.get("sygefravaer").retning == "Lavere er bedre"
    assert lib.by_name("  SYGEFRAVÆR (dage pr. fuldtidsansat) ") is lib.get("sygefravaer")
    lists = lib.workbook_lists()
    assert lists["indikatorer"][-1] == OWN_INDICATOR
    assert len(lists["indikatorer"]) == len(lists["indikator_metoder"]) + 1


ONE = """
[[indikator]]
id = "{id}"
navn = "{navn}"
definition = "Antal af noget."
enhed = "{enhed}"
retning = "Højere er bedre"
metode = "Registrering"
dokumentation = "En liste."
"""


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ([{"enhed": "Stk."}], ["'a'", "enhed 'Stk.'"]),
        ([{"id": "Æble"}], ["'Æble'", "små bogstaver"]),
        ([{}, {"id": "b"}], ["navn bruges af flere", "x"]),
        ([{"navn": OWN_INDICATOR}], ["reserveret"]),
    ],
)
def test_a_library_that_contradicts_the_spec_is_refused_in_danish(
    tmp_path: Path, entries: list[dict[str, str]], words: list[str]
) -> None:
    base = {"id": "a", "navn": "x", "enhed": "Antal"}
    text = "".join(ONE.format(**{**base, **e}) for e in entries)
    path = tmp_path / "indikatorer.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LibraryError) as exc:
        load_library(path, SPEC)
    for w in words:
        assert w in str(exc.value)


def test_a_correct_small_library_loads(tmp_path: Path) -> None:
    path = tmp_path / "indikatorer.toml"
    path.write_text(ONE.format(id="a", navn="x", enhed="Antal"), encoding="utf-8")
    assert [i.id for i in load_library(path, SPEC).indicators] == ["a"]


def _rules(tmp_path: Path, **goal0: str) -> list[tuple[str, str]]:
    filling = good_filling()
    filling.maal[0].update(goal0)
    book = read_workbook(build(tmp_path, filling))
    return [(f.rule, f.cell) for f in validate(book) if f.rule == "maal_indikator"]


def test_a_goal_must_have_its_library_indicators_unit_direction_and_method(
    tmp_path: Path,
) -> None:
    # good_filling's goal 1: Procent, Højere er bedre, Registrering, 72 -> 80
    name = default_library().get("brugertilfredshed_gennemsnit").navn
    got = _rules(tmp_path, indikator=name)
    assert got == [("maal_indikator", MAAL.cell(0, "enhed")),
                   ("maal_indikator", MAAL.cell(0, "maalemetode"))]  # fmt: skip
    # the same indicator with its own unit and method: no finding
    ok = _rules(
        tmp_path / "ok", indikator=name.upper(), enhed="point (skala 1-5)",
        maalemetode="Spørgeskemaundersøgelse", baseline="3,2", maalvaerdi="3,8",
    )  # fmt: skip
    assert ok == []
    # an indicator of one's own, or "Egen indikator", is never compared
    assert _rules(tmp_path / "own", indikator="Andel glade børn") == []
    assert _rules(tmp_path / "egen", indikator=OWN_INDICATOR) == []


def test_a_workbook_without_the_library_lists_is_not_judged(tmp_path: Path) -> None:
    """A 1.0 workbook has no library on its Lister sheet: nothing to compare with."""
    filling = good_filling()
    filling.maal[0]["indikator"] = default_library().get("sygefravaer").navn
    book = read_workbook(build(tmp_path, filling))
    assert any(f.rule == "maal_indikator" for f in validate(book))
    lists = {k: v for k, v in book.lists.items() if not k.startswith("indikator")}
    older = dataclasses.replace(book, lists=lists)
    assert not any(f.rule == "maal_indikator" for f in validate(older))


def test_works_council_date_is_asked_for_in_the_proposal_only(tmp_path: Path) -> None:
    filling = good_filling()
    del filling.virksomhed["su_orienteret"]
    book = read_workbook(build(tmp_path, filling))
    su = [(f.rule, f.severity, f.cell) for f in validate(book) if f.rule == "su_orienteret"]
    cell = layout(SPEC).field("virksomhed", "su_orienteret").ref
    assert su == [("su_orienteret", "advarsel", cell)]
    # the results-phase workbook is about results; a 1.0 workbook has no such field
    results = read_workbook(build(tmp_path, filling, phase="resultater", name="r.xlsx"))
    assert not any(f.rule == "su_orienteret" for f in validate(results))
    older = dataclasses.replace(book, meta=dataclasses.replace(book.meta, version="1.0"))
    assert not any(f.rule == "su_orienteret" for f in validate(older))
