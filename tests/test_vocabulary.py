"""One vocabulary (issue 12, item 4): the status and attainment words live in
:mod:`toolkit.spec.vocabulary`, list values agree with the spec's ``[lister]``, and "Eget
forslag" is typed once in the package."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import toolkit
from toolkit.master import tables
from toolkit.rules import attainment, checks, cycle
from toolkit.rules.indicators import OWN_INDICATOR
from toolkit.spec import vocabulary as V
from toolkit.spec.workbook import OWN_PROPOSAL, default_spec

PACKAGE = Path(toolkit.__file__).parent


def test_attainment_levels_are_the_spec_list() -> None:
    assert default_spec().lists["maalopfyldelse"] == V.ATTAINMENT
    assert attainment.LEVELS is V.ATTAINMENT
    assert (attainment.OPFYLDT, attainment.IKKE_MAALT) == (V.OPFYLDT, V.IKKE_MAALT)


def test_master_tables_use_the_same_words() -> None:
    assert tuple(tables.ATTAINMENT) == V.ATTAINMENT
    assert tuple(tables.STATUSES) == V.STATUSES


def test_status_words() -> None:
    assert V.STATUSES == ("Mangler", "Fejl", "Modtaget", "Godkendt")
    assert (cycle.MISSING, cycle.LATE) == (V.MANGLER, V.FORSINKET)


def test_own_choices_open_their_spec_lists() -> None:
    lists = default_spec().lists
    assert lists["indsatsomraader"][0] == OWN_PROPOSAL
    assert lists["indikatorer"][0] == OWN_INDICATOR


@pytest.mark.parametrize(
    ("name", "list_name"),
    [("LEADER", "roller"), ("EMPLOYEE_REP", "roller"), ("USER", "roller"),
     ("USERS", "med_hvem"), ("EMPLOYEES", "med_hvem"), ("BOTH", "med_hvem"),
     ("YES_NO", "retninger"), ("HIGHER", "retninger"), ("LOWER", "retninger"),
     ("RESULTS_PHASE", "faser"), ("PERCENT", "enheder"), ("SURVEY", "maalemetoder")],
)  # fmt: skip
def test_rule_constants_are_spec_list_values(name: str, list_name: str) -> None:
    assert getattr(checks, name) in default_spec().lists[list_name]


def test_eget_forslag_is_typed_once() -> None:
    hits = [
        f"{p.relative_to(PACKAGE)}:{n}"
        for p in sorted(PACKAGE.rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""["']Eget forslag["']""", line) and '"""' not in line
    ]
    assert len(hits) == 1 and hits[0].startswith("spec/workbook.py:"), hits


def test_attainment_words_are_typed_only_in_the_vocabulary() -> None:
    pattern = re.compile(r"""["'](Delvist opfyldt|Ikke opfyldt|Ikke målt)["']""")
    allowed = {"spec/vocabulary.py", "demo/names.py"}  # demo: sentences a person would write
    hits = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    )
    assert set(hits) <= allowed, hits


def test_parameters_say_year_and_phase() -> None:
    """Python identifiers use ``year``/``phase``; ``aar``/``fase`` stay in data keys only."""
    import ast

    danish = []
    for p in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                a = node.args
                named = {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
                where = f"{p.relative_to(PACKAGE)}:{node.name}"
                if named & {"aar", "fase"}:
                    danish.append(where)
    assert danish == []
