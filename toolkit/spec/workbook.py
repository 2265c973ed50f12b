"""The declarative spec of the institution workbook, loaded from ``workbook/kontraktbog.toml``.

Everything that knows the workbook's content asks this module: the builder, the reader,
the Python rules and the in-sheet check formulas. Cell addresses are *not* here; they are
computed from the order of sheets and fields by :mod:`toolkit.spec.layout`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from toolkit.spec.paths import data_dir

FieldType = Literal["tekst", "langtekst", "email", "dato", "heltal", "tal", "valg", "vaerdi"]
Source = Literal["input", "register", "system", "formel"]
Period = Literal["forberedelsesaar", "kontraktaar", "resultatperiode"]
SheetKind = Literal["vejledning", "felter", "tabel", "tjek", "lister", "meta"]

FIELD_TYPES = {"tekst", "langtekst", "email", "dato", "heltal", "tal", "valg", "vaerdi"}
SOURCES = {"input", "register", "system", "formel"}
PERIODS = {"forberedelsesaar", "kontraktaar", "resultatperiode"}
KINDS = {"vejledning", "felter", "tabel", "tjek", "lister", "meta"}
REQUIRED = {"altid", "resultater"}

#: The focus-area choice for a goal the institution proposes itself (the spec's list
#: ``indsatsomraader`` starts with it; a test keeps the two equal).
OWN_PROPOSAL = "Eget forslag"

#: Excel's limits for data-validation input messages.
MAX_HELP = 255
MAX_HELP_TITLE = 32


class SpecError(ValueError):
    """The spec file contradicts itself (a developer error, reported in English).

    Internal: not a :class:`~toolkit.errors.UserError`; the shipped spec is checked by the tests.
    """


@dataclass(frozen=True)
class Field:
    """A single input cell (art = "felter"/"meta") or a table column (art = "tabel")."""

    key: str
    label: str
    type: FieldType
    source: Source = "input"
    required: str | None = None  # "altid" | "resultater" | None
    list: str | None = None
    open_list: bool = False
    period: Period | None = None
    help: str = ""
    width: float = 14
    formula: str | None = None
    #: a column the person does not see (ids the toolkit keeps in the workbook)
    hidden: bool = False
    #: the template version that introduced the field; older workbooks may lack it
    since: str | None = None

    @property
    def is_input(self) -> bool:
        return self.source == "input"

    def required_in(self, phase: str) -> bool:
        """Whether the field must be filled in the given phase ("forslag"/"resultater")."""
        return self.required == "altid" or (self.required == "resultater" and phase == "resultater")


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    kind: SheetKind
    title: str = ""
    intro: str = ""
    text: str = ""
    hidden: str | None = None  # "skjult" | "meget_skjult"
    table: str | None = None
    rows: int = 0
    numbered: bool = False
    fields: tuple[Field, ...] = ()

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.key}.{key}")

    @cached_property
    def input_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_input)


@dataclass(frozen=True, eq=False)  # hashed by identity: one Spec object per load
class Spec:
    name: str
    version: str
    readable_versions: tuple[str, ...]
    password: str
    max_text: int
    max_longtext: int
    lists: dict[str, tuple[str, ...]]
    sheets: tuple[Sheet, ...]
    source: Path = field(default=Path())

    def sheet(self, key: str) -> Sheet:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    def max_length(self, f: Field) -> int | None:
        if f.type in ("tekst", "email"):
            return self.max_text
        if f.type == "langtekst":
            return self.max_longtext
        return None


def _field(raw: dict[str, Any], where: str) -> Field:
    # parsed TOML: the values are checked by Field itself (SpecError names the field)
    try:
        f = Field(
            key=str(raw["key"]),
            label=str(raw["label"]),
            type=raw["type"],
            source=raw.get("kilde", "input"),
            required=raw.get("paakraevet"),
            list=raw.get("liste"),
            open_list=bool(raw.get("aaben_liste", False)),
            period=raw.get("periode"),
            help=str(raw.get("hjaelp", "")),
            width=float(raw.get("bredde", 14)),
            formula=raw.get("formel"),
            hidden=bool(raw.get("skjult", False)),
            since=str(raw["siden"]) if "siden" in raw else None,
        )
    except KeyError as exc:
        raise SpecError(f"{where}: missing key {exc}") from None
    if f.type not in FIELD_TYPES:
        raise SpecError(f"{where}.{f.key}: unknown type {f.type!r}")
    if f.source not in SOURCES:
        raise SpecError(f"{where}.{f.key}: unknown kilde {f.source!r}")
    if f.required is not None and f.required not in REQUIRED:
        raise SpecError(f"{where}.{f.key}: paakraevet must be one of {sorted(REQUIRED)}")
    if f.period is not None and f.period not in PERIODS:
        raise SpecError(f"{where}.{f.key}: unknown periode {f.period!r}")
    if f.type == "dato" and f.is_input and f.period is None:
        raise SpecError(f"{where}.{f.key}: a date input needs a periode")
    if f.type == "valg" and not f.list:
        raise SpecError(f"{where}.{f.key}: type valg needs a liste")
    if f.source == "formel" and not f.formula:
        raise SpecError(f"{where}.{f.key}: kilde formel needs a formel")
    if f.hidden and f.is_input:
        raise SpecError(f"{where}.{f.key}: a hidden column cannot be an input")
    if len(f.help) > MAX_HELP:
        raise SpecError(f"{where}.{f.key}: help text longer than Excel's {MAX_HELP} characters")
    if len(f.label) > MAX_HELP_TITLE:
        raise SpecError(f"{where}.{f.key}: label longer than {MAX_HELP_TITLE} characters")
    return f


def load_spec(path: Path | None = None) -> Spec:
    """Load and check the spec (default: ``workbook/kontraktbog.toml``)."""
    path = path or data_dir("workbook") / "kontraktbog.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    tpl = raw["skabelon"]
    lists = {k: tuple(v) for k, v in raw["lister"].items()}
    sheets: list[Sheet] = []
    for s in raw["ark"]:
        where = f"ark.{s['key']}"
        kind = s["art"]
        if kind not in KINDS:
            raise SpecError(f"{where}: unknown art {kind!r}")
        raw_fields = s.get("felter", []) + s.get("kolonner", [])
        fields = tuple(_field(f, where) for f in raw_fields)
        keys = [f.key for f in fields]
        if len(set(keys)) != len(keys):
            raise SpecError(f"{where}: duplicate field keys")
        for f in fields:
            if f.list and f.list not in lists:
                raise SpecError(f"{where}.{f.key}: unknown liste {f.list!r}")
        if kind == "tabel" and (not s.get("tabel") or int(s.get("raekker", 0)) < 1):
            raise SpecError(f"{where}: a table sheet needs tabel and raekker")
        if len(s["navn"]) > 31:
            raise SpecError(f"{where}: sheet name longer than 31 characters")
        sheets.append(
            Sheet(
                key=s["key"],
                name=s["navn"],
                kind=kind,
                title=s.get("titel", ""),
                intro=s.get("intro", ""),
                text=s.get("tekst", "").strip("\n"),
                hidden=s.get("skjult"),
                table=s.get("tabel"),
                rows=int(s.get("raekker", 0)),
                numbered=bool(s.get("nummereret", False)),
                fields=fields,
            )
        )
    names = [s.name for s in sheets]
    if len(set(names)) != len(names):
        raise SpecError("duplicate sheet names")
    return Spec(
        name=tpl["navn"],
        version=str(tpl["version"]),
        readable_versions=tuple(str(v) for v in tpl.get("kan_laese", [tpl["version"]])),
        password=str(tpl.get("adgangskode", "")),
        max_text=int(tpl.get("maks_tekst", 255)),
        max_longtext=int(tpl.get("maks_langtekst", 2000)),
        lists=lists,
        sheets=tuple(sheets),
        source=path,
    )


@cache
def default_spec() -> Spec:
    """The project's spec, loaded once per process."""
    return load_spec()
