"""The command line speaks Danish: help, errors, counts and durations (issue 9)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from toolkit.cli.app import app
from toolkit.cli.dansk import dansk_fejl
from toolkit.documents.formatting import sekunder

ENGLISH = ("Show this message and exit", "[required]", "[default:", "Usage:", "Options",
           "Commands", "Missing option", "No such", "Try '", "Error", "<path>", "<str>",
           "<int>", "<bool>", "list[Path]", "Invalid value")  # fmt: skip
COMMANDS = ("opret", "valider", "konsolider", "nytaar", "demo", "xlsm", "server", "kontrakter",
            "notater", "rapport")  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, list(args), env={"COLUMNS": "120", "TERM": "dumb"})
    return res.exit_code, res.output


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_danish(command: str) -> None:
    code, out = run(*([command] if command else []), "--help")
    assert code == 0, out
    assert "Brug:" in out and "Tilvalg" in out and "Vis denne hjælp og afslut." in out
    assert not [w for w in ENGLISH if w in out], out


def test_required_options_are_marked_in_danish() -> None:
    code, out = run("notater", "--help")
    assert code == 0
    assert "[påkrævet]" in out and "<sti>" in out and "<tekst>" in out


def test_errors_are_danish() -> None:
    code, out = run("notater")
    assert code == 2 and "Tilvalget '--master' mangler." in out and "Fejl" in out
    assert "for at få hjælp" in out
    code, out = run("notater", "--master", "m.xlsx", "--fase", "forslag", "--ud", "u", "--bogus")
    assert code == 2 and "Tilvalget --bogus findes ikke." in out
    code, out = run("opret", "--aar", "abc")
    assert code == 2 and "Ugyldig værdi for '--aar': skal være et helt tal." in out
    code, out = run("opretx")
    assert code == 2 and "Kommandoen 'opretx' findes ikke. Mente du 'opret'?" in out
    for _, text in [run("notater"), run("opret", "--aar", "abc"), run("opretx")]:
        assert not [w for w in ENGLISH if w in text], text


def test_unknown_messages_pass_through_and_known_ones_translate() -> None:
    assert dansk_fejl("Missing option '--ud'.") == "Tilvalget '--ud' mangler."
    assert dansk_fejl("Got unexpected extra argument (x)") == "Uventede ekstra argumenter: x."
    assert dansk_fejl("Noget helt andet") == "Noget helt andet"


def test_durations_and_counts_print_the_danish_way() -> None:
    assert sekunder(0.5) == "0,5\u00a0s" and sekunder(1.94) == "1,9\u00a0s"
    assert sekunder(1234.5) == "1.234,5\u00a0s"
    assert not re.search(r"\d\.\d\s*s\b", sekunder(0.25))
