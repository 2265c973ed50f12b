"""The spec is consistent with itself and with the model; the layout never overlaps."""

from __future__ import annotations

import dataclasses

from toolkit.rules.checks import sheet_checks
from toolkit.spec.catalog import RULES
from toolkit.spec.layout import layout
from toolkit.spec.model import RECORD_CLASSES, ROW_CLASSES
from toolkit.spec.workbook import MAX_HELP


def test_model_fields_are_the_spec_keys(spec):
    for key, cls in {**RECORD_CLASSES, **ROW_CLASSES}.items():
        fields = {f.name for f in dataclasses.fields(cls)} - {"raekke"}
        assert fields == {f.key for f in spec.sheet(key).fields}, key


def test_help_texts_fit_excel(spec):
    for sheet in spec.sheets:
        for f in sheet.fields:
            assert len(f.help.format(aar=2027, forberedelsesaar=2026, naeste_aar=2028)) <= MAX_HELP


def test_no_two_fields_share_a_cell(spec):
    lay = layout(spec)
    seen = {}
    for sheet in spec.sheets:
        if sheet.kind in ("felter", "meta"):
            for f in sheet.fields:
                pos = lay.field(sheet.key, f.key)
                assert (sheet.name, pos.row, pos.col) not in seen
                seen[(sheet.name, pos.row, pos.col)] = f.key
        if sheet.kind == "tabel":
            t = lay.table(sheet.key)
            assert t.n_rows == sheet.rows and t.first_row == t.header_row + 1


def test_every_check_row_names_a_known_in_sheet_rule(spec):
    rows = sheet_checks(spec, layout(spec), 2027)
    assert rows, "the check sheet has no rows"
    for r in rows:
        assert RULES[r.rule].in_sheet, r.rule
        assert len(r.message) <= 255
    in_sheet = {r.id for r in RULES.values() if r.in_sheet}
    assert in_sheet == {r.rule for r in rows}, "an in-sheet rule has no check row (or vice versa)"
    keys = [(r.rule, r.sheet, r.cell) for r in rows]
    assert len(keys) == len(set(keys)), "two check rows test the same rule on the same cell"


def test_own_proposal_is_the_first_entry_of_the_focus_area_list():
    from toolkit.spec.workbook import OWN_PROPOSAL, default_spec

    assert default_spec().lists["indsatsomraader"] == (OWN_PROPOSAL,)
