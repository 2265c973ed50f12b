"""The building blocks of the master's tables: a column, a table, and a column taken from the spec.

A column that carries an institution's field (a goal's title, a dialogue's date …) is made by
:func:`from_spec`: its Danish header, its kind and (where the master wants a dropdown) its
choices come from the field in the institution workbook's spec (``workbook/kontraktbog.toml``,
:mod:`toolkit.spec.workbook`), so the master cannot drift from the workbook. The master's own
columns (id, status, decision, attainment …) are declared with :class:`Col` directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.spec.workbook import Field, default_spec

#: The master's kind of a spec field type.
KIND_OF_TYPE = {
    "tekst": "text",
    "langtekst": "longtext",
    "email": "text",
    "heltal": "int",
    "tal": "number",
    "dato": "date",
    "vaerdi": "value",
    "valg": "text",
}


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = "text"
    width: float = 14
    manual: bool = False
    choices: tuple[str, ...] = ()
    #: headers this column had in earlier versions of the master (still read)
    aliases: tuple[str, ...] = ()
    #: kept by Konsolider from run to run like a manual column, but written by the toolkit
    kept: bool = False
    #: the spec field the column carries, as ``"<sheet key>.<field key>"`` (None: the master's own)
    spec: str | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def spec_field(self) -> Field | None:
        """The spec field the column carries (None for the master's own columns)."""
        if self.spec is None:
            return None
        sheet, key = self.spec.split(".", 1)
        return default_spec().sheet(sheet).field(key)


@dataclass(frozen=True)
class TableDef:
    key: str  # also the pandas/export name
    sheet: str  # the Danish sheet name
    table: str  # the Excel table name
    title: str
    cols: tuple[Col, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.cols]

    @property
    def manual_keys(self) -> list[str]:
        return [c.key for c in self.cols if c.manual]

    @property
    def kept_keys(self) -> list[str]:
        """Manual columns and the toolkit's own kept columns: what follows a goal's id."""
        return [c.key for c in self.cols if c.manual or c.kept]

    @property
    def spec_cols(self) -> tuple[Col, ...]:
        """The columns that carry a spec field."""
        return tuple(c for c in self.cols if c.spec is not None)

    def input_keys(self, sheet: str | None = None) -> tuple[str, ...]:
        """Keys of the columns carrying a field the institution fills in (optionally only
        fields of the spec sheet ``sheet``), in the table's order."""
        out = []
        for c in self.spec_cols:
            f = c.spec_field
            if (
                f is not None
                and f.is_input
                and (sheet is None or f"{c.spec}".startswith(f"{sheet}."))
            ):
                out.append(c.key)
        return tuple(out)


def from_spec(
    field: str,
    width: float,
    *,
    key: str | None = None,
    aliases: tuple[str, ...] = (),
    dropdown: bool = False,
) -> Col:
    """A master column carrying the spec field ``field`` (``"<sheet key>.<field key>"``).

    Header and kind are the field's; ``key`` is the master's key (default: the field's);
    ``aliases`` are headers earlier masters used for it; with ``dropdown`` the column gets
    the field's list as choices.
    """
    sheet, field_key = field.split(".", 1)
    spec = default_spec()
    f = spec.sheet(sheet).field(field_key)
    choices = spec.lists[f.list] if dropdown and f.list else ()
    return Col(
        key or f.key,
        f.label,
        KIND_OF_TYPE[f.type],
        width,
        choices=choices,
        aliases=aliases,
        spec=field,
    )
