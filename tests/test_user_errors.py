"""One Danish user-error base (issue 12, item 4): every problem a user can act on is a
:class:`toolkit.errors.UserError`, and the command line catches that one class."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.documents.make import PdfFejl
from toolkit.documents.render import SkabelonFejl
from toolkit.documents.shared import IngenResultater
from toolkit.documents.template_check import TemplateProblem
from toolkit.errors import UserError
from toolkit.master.measurements.survey import SurveyError
from toolkit.office.libreoffice import (
    ConversionError,
    LibreOfficeError,
    LibreOfficeMissing,
    LibreOfficeTimeout,
)
from toolkit.reading.inputs import InputError
from toolkit.reading.workbook import WorkbookError
from toolkit.reading.xlsx_cells import XlsxError
from toolkit.rules.indicators import LibraryError
from toolkit.spec.workbook import SpecError
from toolkit.vba.module import ModuleError
from toolkit.workbook.lite.bundle import BundleError

USER_FACING = [InputError, WorkbookError, XlsxError, LibraryError, SurveyError, SkabelonFejl,
               TemplateProblem, IngenResultater, PdfFejl, LibreOfficeError, LibreOfficeMissing,
               LibreOfficeTimeout, ConversionError]  # fmt: skip
#: Callers catch these by their older base too; it stays.
ALSO = {LibraryError: ValueError, SurveyError: ValueError, IngenResultater: ValueError,
        PdfFejl: RuntimeError, LibreOfficeError: RuntimeError, LibreOfficeTimeout: TimeoutError}  # fmt: skip
#: Developer and build errors: English messages, never shown as a user's problem.
INTERNAL = [SpecError, ModuleError, BundleError]


@pytest.mark.parametrize("cls", USER_FACING, ids=lambda c: c.__name__)
def test_user_facing_errors_are_user_errors(cls: type[Exception]) -> None:
    assert issubclass(cls, UserError)
    if cls in ALSO:
        assert issubclass(cls, ALSO[cls])


@pytest.mark.parametrize("cls", INTERNAL, ids=lambda c: c.__name__)
def test_internal_errors_are_not_user_errors(cls: type[Exception]) -> None:
    assert not issubclass(cls, UserError)
    assert "internal" in (cls.__doc__ or "").lower()


def test_cli_shows_a_deep_user_error_in_danish_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "register.xlsx"
    broken.write_bytes(b"ikke en projektmappe")
    areas = tmp_path / "indsatsomraader.xlsx"
    areas.write_bytes(b"heller ikke")
    res = CliRunner().invoke(
        app,
        [
            "opret",
            "--aar",
            "2027",
            "--register",
            str(broken),
            "--indsatsomraader",
            str(areas),
            "--ud",
            str(tmp_path / "ud"),
        ],
        env={"COLUMNS": "200", "TERM": "dumb"},
    )
    assert res.exit_code == 2, res.output
    assert "Fejl:" in res.output
    assert "kan ikke læses som Excel-projektmappe" in res.output
    assert "Traceback" not in res.output
    assert not isinstance(res.exception, InputError)  # handled, not escaped


def test_cli_catches_any_user_error_subclass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new kind of user error needs no change in the command line."""

    class NewKind(UserError):
        pass

    def boom(*_a: object, **_k: object) -> None:
        raise NewKind("Noget nyt gik galt.")

    monkeypatch.setattr("toolkit.cli.workbooks.read_register", boom)
    res = CliRunner().invoke(
        app,
        [
            "opret",
            "--aar",
            "2027",
            "--register",
            "r.xlsx",
            "--indsatsomraader",
            "i.xlsx",
            "--ud",
            str(tmp_path),
        ],
        env={"COLUMNS": "200", "TERM": "dumb"},
    )
    assert res.exit_code == 2
    assert "Fejl: Noget nyt gik galt." in res.output
    assert "Traceback" not in res.output
