"""The demo end to end: every mistake the generator planted is found by the rules."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from toolkit.demo.pipeline import run_demo

# Text in a goal's baseline/target is reported by the rule that knows the goal's direction
# (the value may be Ja/Nej there), not by the plain number-cell rule.
SAME_MISTAKE = {
    "celle_tekst_i_tal": {"celle_tekst_i_tal", "maal_vaerdi_type", "resultat_vaerdi_type"}
}


def test_every_planted_mistake_is_found_and_clean_workbooks_have_no_errors(tmp_path: Path) -> None:
    run_demo(tmp_path, antal=60, year=2027, seed=11, with_master=False)
    facit = json.loads((tmp_path / "facit.json").read_text("utf-8"))
    findings = json.loads((tmp_path / "validering.json").read_text("utf-8"))
    by_inst: dict[str, set[str]] = defaultdict(set)
    errors: dict[str, int] = defaultdict(int)
    for f in findings:
        inst = Path(f["file"]).name.split(" - ")[1].split()[0]
        by_inst[inst].add(f["rule"])
        errors[inst] += f["severity"] == "fejl"
    planted = facit["fejl"]
    assert planted, "the demo planted no mistakes: this test would prove nothing"
    for inst, rules in planted.items():
        for rule in rules:
            expected = SAME_MISTAKE.get(rule, {rule})
            assert expected & by_inst[inst], (
                f"{inst}: planted {rule}, found {sorted(by_inst[inst])}"
            )
    for inst in facit["udfyldninger"]:
        if inst not in planted:
            assert errors[inst] == 0, f"{inst} has no planted mistake but {sorted(by_inst[inst])}"
    assert len(list((tmp_path / "indbakke").glob("*.xlsx"))) == len(facit["udfyldninger"])
