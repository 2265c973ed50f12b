"""The master workbook's tables: names, columns and Danish headers, declared once.

The writer (:mod:`toolkit.master.write`), the reader (:mod:`toolkit.master.model`), the CSV/
Parquet export and the documents all use these declarations, through
:mod:`toolkit.master.layout`. A column that carries an institution's field is taken from the
spec by :func:`~toolkit.master.columns.from_spec` (``"maal.frist"``: header and kind are the
spec's; the width is the master's); the master's own columns are ``(key, Danish header, kind,
width)``; kinds: text, longtext, int, number, date, datetime, value (number or Ja/Nej). A
header that changed keeps its old text as an alias, so earlier masters still read. Columns
marked ``manual`` are Kontraktservice's own:
Konsolider never overwrites them, and they survive every re-run keyed by ``noegle`` — the
goal's stable id (:mod:`toolkit.master.identity`).
"""

from __future__ import annotations

from toolkit.master.columns import Col, TableDef
from toolkit.master.columns import from_spec as spec
from toolkit.spec import vocabulary as V
from toolkit.spec.vocabulary import DECISIONS

# the words of the status and attainment columns: one definition, in the vocabulary
ATTAINMENT, STATUSES = V.ATTAINMENT, V.STATUSES

OVERSIGT = TableDef("oversigt", "Oversigt", "tblOversigt", "Oversigt over virksomhederne", (
    Col("virksomhed_id", "Id", width=8),
    Col("aar", "År", "int", 6),
    Col("navn", "Virksomhed", width=30),
    Col("type", "Type", width=16),
    Col("udvalg", "Fagudvalg", width=30),
    Col("status", "Status", width=11),
    Col("fejl", "Fejl", "int", 6),
    Col("advarsler", "Advarsler", "int", 9),
    Col("antal_maal", "Mål", "int", 5),
    Col("fil", "Fil", width=40),
    Col("sidst_aendret", "Sidst ændret", "datetime", 16),
    Col("sha256", "SHA-256", width=12),
    Col("resultatstatus", "Resultater", width=11),
    spec("virksomhed.udfyldt_af", 20),
    spec("virksomhed.beskrivelse", 40),
    spec("virksomhed.su_orienteret", 11, aliases=("SU orienteret",)),
))  # fmt: skip

MAAL = TableDef("maal", "Kontraktmål", "tblMaal", "Alle kontraktmål", (
    spec("maal.id", 14, key="noegle", aliases=("Nøgle",)),
    Col("virksomhed_id", "Id", width=7),
    Col("navn", "Virksomhed", width=26),
    Col("udvalg", "Fagudvalg", width=24),
    Col("aar", "År", "int", 6),
    spec("maal.nr", 5),
    Col("status", "Status", width=16),
    spec("maal.titel", 30),
    spec("maal.beskrivelse", 36),
    spec("maal.indsatsomraade", 26),
    spec("maal.maaltype", 18),
    spec("maal.indikator", 28),
    spec("maal.maalemetode", 20),
    spec("maal.enhed", 10),
    spec("maal.retning", 14),
    spec("maal.baseline", 12),
    spec("maal.maalvaerdi", 10),
    spec("maal.dokumentationskrav", 28),
    spec("maal.ansvarlig", 18),
    spec("maal.frist", 11, aliases=("Frist",)),
    spec("maal.forrige_id", 14, key="forrige"),
    Col("beslutning", "Beslutning", width=12, manual=True, choices=DECISIONS),
    Col("beslutningsdato", "Beslutningsdato", "date", 12, manual=True),
    Col("aendret_titel", "Ændret kontraktmål", width=30, manual=True),
    Col("aendret_maalvaerdi", "Ændret målværdi", "value", 10, manual=True),
    Col("kommentar", "Kommentar", "longtext", 30, manual=True),
    Col("besluttet_paa", "Beslutningsgrundlag", "longtext", 30, kept=True),
))  # fmt: skip

RESULTATER = TableDef("resultater", "Resultater", "tblResultater", "Resultater og målopfyldelse", (
    spec("maal.id", 14, key="noegle", aliases=("Nøgle",)),
    Col("virksomhed_id", "Id", width=7),
    Col("navn", "Virksomhed", width=26),
    Col("udvalg", "Fagudvalg", width=24),
    Col("aar", "År", "int", 6),
    spec("resultater.nr", 5),
    spec("resultater.titel", 30),
    spec("resultater.enhed", 10),
    spec("maal.retning", 14),
    spec("resultater.baseline", 12),
    spec("resultater.maalvaerdi", 10),
    spec("resultater.resultat", 10),
    spec("resultater.maalt_dato", 11),
    spec("resultater.dokumentation", 26),
    spec("resultater.forklaring", 34),
    Col("beregnet", "Beregnet målopfyldelse", width=16),
    Col("manuel", "Manuel målopfyldelse", width=16, manual=True, choices=ATTAINMENT),
    Col("begrundelse", "Begrundelse for manuel", "longtext", 26, manual=True),
    Col("maalopfyldelse", "Målopfyldelse", width=15),
))  # fmt: skip

GRUPPE = TableDef("gruppe", "Kontraktgrupper", "tblGrupper", "Kontraktgrupper", (
    Col("virksomhed_id", "Id", width=7),
    Col("aar", "År", "int", 6),
    Col("virksomhed", "Virksomhed", width=26),
    Col("udvalg", "Fagudvalg", width=24),
    spec("gruppe.navn", 24),
    spec("gruppe.rolle", 22),
    spec("gruppe.stilling", 22),
    spec("gruppe.email", 28),
))  # fmt: skip

DIALOG = TableDef("dialog", "Dialog", "tblDialog", "Dialogaktiviteter", (
    Col("virksomhed_id", "Id", width=7),
    Col("aar", "År", "int", 6),
    Col("virksomhed", "Virksomhed", width=26),
    Col("udvalg", "Fagudvalg", width=24),
    spec("dialog.dato", 11),
    spec("dialog.med_hvem", 16),
    spec("dialog.form", 20),
    spec("dialog.deltagere", 9, aliases=("Deltagere",)),
    spec("dialog.tema", 28),
    spec("dialog.udbytte", 36),
))  # fmt: skip

#: Survey measurements (``kontrakt maaling``): one row per year, indicator and institution.
MAALINGER = TableDef("maalinger", "Målinger", "tblMaalinger", "Målinger fra undersøgelser", (
    Col("aar", "År", "int", 6),
    Col("indikator_id", "Indikator-id", width=16),
    Col("indikator", "Indikator", width=30),
    Col("virksomhed_id", "Id", width=7),
    Col("virksomhed", "Virksomhed", width=26),
    Col("type", "Type", width=16),
    Col("udvalg", "Fagudvalg", width=24),
    Col("vaerdi", "Værdi", "number", 9),
    Col("enhed", "Enhed", width=12),
    Col("respondenter", "Respondenter", "int", 11),
    Col("besvarelser", "Besvarelser", "int", 11),
    Col("inviterede", "Inviterede", "int", 10),
    Col("svarprocent", "Svarprocent", "number", 11),
    Col("status", "Status", width=20),
    Col("kilde", "Kilde", width=30),
    Col("importeret", "Importeret", "datetime", 16),
))  # fmt: skip

FUND = TableDef("fund", "Fund", "tblFund", "Fejl og advarsler i de indsendte arbejdsbøger", (
    Col("virksomhed_id", "Id", width=7),
    Col("virksomhed", "Virksomhed", width=26),
    Col("fil", "Fil", width=34),
    Col("aar", "År", "int", 6),
    Col("fase", "Fase", width=10),
    Col("ark", "Ark", width=14),
    Col("celle", "Celle", width=7),
    Col("alvor", "Alvor", width=9),
    Col("regel", "Regel", width=18),
    Col("besked", "Besked", "longtext", 70),
))  # fmt: skip

UDVALG = TableDef("udvalg", "Fagudvalg", "tblUdvalg", "Status pr. fagudvalg", (
    Col("udvalg", "Fagudvalg", width=34),
    Col("virksomheder", "Virksomheder", "int", 12),
    Col("modtaget", "Modtaget", "int", 10),
    Col("mangler", "Mangler", "int", 9),
    Col("med_fejl", "Med fejl", "int", 9),
    Col("maal", "Mål", "int", 6),
    Col("opfyldt", V.OPFYLDT, "int", 8),
    Col("delvist", V.DELVIST, "int", 9),
    Col("ikke_opfyldt", V.IKKE_OPFYLDT, "int", 9),
    Col("ikke_maalt", V.IKKE_MAALT, "int", 9),
))  # fmt: skip

#: Goals whose institution's resubmission no longer has them, with their manual data.
FORAELDEDE = TableDef("foraeldede", "Forældede mål", "tblForaeldede", "Mål, der er forsvundet fra en ny indsendelse", (
    spec("maal.id", 14, key="noegle", aliases=("Nøgle",)),
    Col("tabel", "Fra arket", width=12),
    Col("titel", "Kontraktmål (sidst set)", width=30),
    Col("forsvundet", "Forsvundet", "datetime", 16),
    Col("data", "Manuelle data (JSON)", "longtext", 60),
))  # fmt: skip

KOERSLER = TableDef("koersler", "Kørsler", "tblKoersler", "Log over kørsler af Konsolider", (
    Col("tidspunkt", "Tidspunkt", "datetime", 17),
    Col("bruger", "Bruger", width=14),
    Col("aar", "År", "int", 6),
    Col("filer", "Filer", "int", 7),
    Col("gyldige", "Gyldige", "int", 8),
    Col("fejl", "Fejl", "int", 6),
    Col("varighed", "Varighed (s)", "number", 10),
    Col("detaljer", "Filer og SHA-256 (JSON)", "longtext", 60),
))  # fmt: skip

TABLES = (OVERSIGT, UDVALG, MAAL, RESULTATER, GRUPPE, DIALOG, MAALINGER, FUND, FORAELDEDE,
          KOERSLER)  # fmt: skip
BY_KEY = {t.key: t for t in TABLES}


def goal_key(virksomhed_id: str, year: int, n: int) -> str:
    """A goal id: institution, year and a serial number that is never reused for that
    institution and year (see :mod:`toolkit.master.identity`)."""
    return f"{virksomhed_id}-{year}-{n}"
