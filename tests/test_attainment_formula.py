"""The live attainment formula of the Resultater sheet follows the rule in use.

A tiny evaluator for the functions that formula uses (no LibreOffice) computes it over a grid
of baselines, targets and results and compares with :func:`toolkit.rules.attainment.attainment`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from toolkit.rules.attainment import DEFAULT_RULE, AttainmentRule, attainment
from toolkit.spec.layout import Layout, layout
from toolkit.spec.workbook import default_spec
from toolkit.workbook.render_base import _attainment_formula
from toolkit.workbook.render_core import BaseKey

# ------------------------------------------------------------------- a tiny evaluator


class XlError:
    """An Excel error value (#VALUE!, #DIV/0!)."""


ERR = XlError()
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<ref>(?:'[^']+'|[A-Za-z_][\w.]*)!\$?[A-Z]+\$?\d+)
    |(?P<str>"(?:[^"]|"")*")
    |(?P<num>\d+(?:\.\d+)?)
    |(?P<name>[A-Za-z_][\w.]*)
    |(?P<op><>|>=|<=|[=<>&+\-*/(),{}])
    )""",
    re.X,
)


@functools.cache
def _tokens(formula: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(formula):
        m = _TOKEN.match(formula, pos)
        assert m and m.end() > pos, formula[pos : pos + 30]
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _number(v: Any) -> float | XlError:
    if v is None:
        return 0.0
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v))
    except ValueError:
        return ERR


def _find(needle: Any, hay: Any, case: bool = True) -> Any:
    if isinstance(needle, list):
        return [_find(n, hay, case) for n in needle]
    n, h = _text(needle), _text(hay)
    i = h.find(n) if case else h.lower().find(n.lower())
    return float(i + 1) if i >= 0 else ERR


def _numbervalue(x: Any, dec: str, group: str) -> Any:
    s = _text(x).strip().replace(group, "").replace(dec, ".")
    try:
        return float(s)
    except ValueError:
        return ERR


def _compare(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, XlError) or isinstance(b, XlError):
        return ERR
    if isinstance(a, str) or isinstance(b, str):
        a, b = _text(a).lower(), _text(b).lower()
    else:
        a, b = _number(a), _number(b)
    return {"=": a == b, "<>": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


def _arith(op: str, a: Any, b: Any) -> Any:
    x, y = _number(a), _number(b)
    if isinstance(x, XlError) or isinstance(y, XlError):
        return ERR
    if op == "/" and y == 0:
        return ERR
    return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else 0.0}[op]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "NOT": lambda x: not x,
    "AND": lambda *xs: ERR if any(isinstance(x, XlError) for x in xs) else all(xs),
    "OR": lambda *xs: ERR if any(isinstance(x, XlError) for x in xs) else any(xs),
    "LEN": lambda x: float(len(_text(x))),
    "TRIM": lambda x: " ".join(_text(x).split()),
    "CLEAN": lambda x: "".join(ch for ch in _text(x) if ch >= " "),
    "ISNUMBER": lambda x: isinstance(x, float | int) and not isinstance(x, bool),
    "ISTEXT": lambda x: isinstance(x, str),
    "ISERROR": lambda x: isinstance(x, XlError),
    "FIND": lambda n, h: _find(n, h),
    "SEARCH": lambda n, h: _find(n, h, case=False),
    "COUNT": lambda x: float(
        sum(1 for v in (x if isinstance(x, list) else [x]) if isinstance(v, float))
    ),
    "LEFT": lambda x, n=1.0: _text(x)[: int(n)],
    "RIGHT": lambda x, n=1.0: _text(x)[-int(n) :] if int(n) else "",
    "CELL": lambda what, x: "G",  # a number in the General format
    "_xlfn.NUMBERVALUE": _numbervalue,
}


class Evaluator:
    """Evaluates one formula of the functions above; ``cells`` maps a reference to its value."""

    def __init__(self, formula: str, cells: Mapping[str, Any]) -> None:
        self.toks, self.i, self.cells = _tokens(formula), 0, cells

    def peek(self) -> str:
        return self.toks[self.i][1] if self.i < len(self.toks) else ""

    def take(self, want: str | None = None) -> tuple[str, str]:
        tok = self.toks[self.i]
        assert want is None or tok[1] == want, (want, tok)
        self.i += 1
        return tok

    def run(self) -> Any:
        v = self.expr()
        assert self.i == len(self.toks)
        return v

    def expr(self) -> Any:  # comparisons, lowest
        a = self.concat()
        while self.peek() in ("=", "<>", ">=", "<=", ">", "<"):
            a = _compare(self.take()[1], a, self.concat())
        return a

    def concat(self) -> Any:
        a = self.additive()
        while self.peek() == "&":
            self.take()
            b = self.additive()
            a = ERR if ERR in (a, b) else _text(a) + _text(b)
        return a

    def additive(self) -> Any:
        a = self.term()
        while self.peek() in ("+", "-"):
            a = _arith(self.take()[1], a, self.term())
        return a

    def term(self) -> Any:
        a = self.unary()
        while self.peek() in ("*", "/"):
            a = _arith(self.take()[1], a, self.unary())
        return a

    def unary(self) -> Any:
        if self.peek() == "-":
            self.take()
            return _arith("-", 0.0, self.unary())
        return self.atom()

    def atom(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self.cells.get(text.replace("$", ""))
        if text == "(":
            v = self.expr()
            self.take(")")
            return v
        if text == "{":
            items = [self.expr()]
            while self.peek() == ",":
                self.take()
                items.append(self.expr())
            self.take("}")
            return items
        assert kind == "name", text
        self.take("(")
        args: list[Any] = []
        if self.peek() != ")":
            args.append(self.expr())
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
        self.take(")")
        if text in ("IF", "IFERROR"):  # both branches were evaluated: pick one
            if text == "IFERROR":
                return args[1] if isinstance(args[0], XlError) else args[0]
            cond = args[0]
            if isinstance(cond, XlError):
                return ERR
            return args[1] if cond else (args[2] if len(args) > 2 else False)
        return FUNCTIONS[text](*args)


# --------------------------------------------------------------------------- the tests

LAY: Layout = layout(default_spec())
HIGHER, LOWER, YES_NO = "Højere er bedre", "Lavere er bedre", "Ja/Nej"


@functools.cache
def _formula(rule: AttainmentRule) -> str:
    return _attainment_formula(LAY, 0, rule)


def _evaluate(rule: AttainmentRule, retning: Any, baseline: Any, target: Any, result: Any) -> Any:
    g, t = LAY.table("maal"), LAY.table("resultater")
    cells: dict[str, Any] = {ref.replace("$", ""): "x" for ref in g.input_row_range(0)}
    cells.update({
        g.qcell(0, "retning"): retning, g.qcell(0, "baseline"): baseline,
        g.qcell(0, "maalvaerdi"): target, t.qcell(0, "resultat"): result,
    })  # fmt: skip
    return Evaluator(_formula(rule), cells).run()


def test_the_default_rule_gives_todays_formula() -> None:
    formula = _attainment_formula(LAY, 0)
    assert formula == _attainment_formula(LAY, 0, AttainmentRule(1.0, 0.5))
    assert formula.count(">=1,") == 1 and formula.count(">=0.5,") == 1
    assert BaseKey(2027, "resultater", "K", ()).rule == DEFAULT_RULE


def test_another_rule_changes_the_formula() -> None:
    formula = _attainment_formula(LAY, 0, AttainmentRule(0.9, 0.6))
    assert formula != _attainment_formula(LAY, 0)
    assert formula.count(">=0.9,") == 1 and formula.count(">=0.6,") == 1


VALUES = (0.0, 25.0, 50.0, 60.0, 80.0, 90.0, 100.0, 120.0)


@pytest.mark.parametrize(
    "rule", [DEFAULT_RULE, AttainmentRule(0.9, 0.6), AttainmentRule(1.2, 0.25)], ids=str
)
def test_the_formula_agrees_with_python_over_a_grid(rule: AttainmentRule) -> None:
    seen = set()
    # the direction plays no part (a lower target is a goal where lower is better)
    grid = [(HIGHER, *v) for v in itertools.product(VALUES, VALUES, (*VALUES, None))]
    for retning, b, t, r in [*grid, (LOWER, 10.0, 5.0, 6.0), (LOWER, 10.0, 5.0, 8.0)]:
        want = attainment(retning, b, t, r, rule) or ""
        got = _evaluate(rule, retning, b, t, r)
        assert got == want, (rule, retning, b, t, r)
        seen.add(want)
    assert seen == {"Opfyldt", "Delvist opfyldt", "Ikke opfyldt", "Ikke målt", ""}
    for r, t in (("Ja", "Ja"), ("Nej", "Ja"), ("ja", "Ja")):
        assert _evaluate(rule, YES_NO, "Nej", t, r) == attainment(YES_NO, "Nej", t, r, rule)


def test_the_evaluator_tells_the_rules_apart() -> None:
    """The grid has results the two rules judge differently (the comparison can fail)."""
    b, t, r = 0.0, 100.0, 95.0
    assert _evaluate(DEFAULT_RULE, HIGHER, b, t, r) == "Delvist opfyldt"
    assert _evaluate(AttainmentRule(0.9, 0.6), HIGHER, b, t, r) == "Opfyldt"


def test_the_workbook_built_with_a_rule_has_its_formula(tmp_path) -> None:
    import zipfile

    from toolkit.workbook.render_base import BaseBuilder

    key = BaseKey(2027, "resultater", "Kommune", ("Trivsel",), rule=AttainmentRule(0.8, 0.4))
    path = tmp_path / "base.xlsx"
    BaseBuilder(default_spec(), key, str(path)).build()
    with zipfile.ZipFile(path) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    xml = xml.replace(b"&gt;", b">").replace(b"&quot;", b'"')
    assert b'>=0.8,"Opfyldt"' in xml and b'>=0.4,"Delvist opfyldt"' in xml
