"""The README and the CLI stay in step: every command and option the README shows exists."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli.app import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_the_two_commands_are_in_the_readme():
    assert "python3 bootstrap.py demo" in README and "python3 bootstrap.py test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text("utf-8")
    assert "python3 bootstrap.py test" in ci, ".ci/run calls the README's test command"


def test_every_documented_command_and_option_exists():
    runner = CliRunner()
    lines = [m.group(1) for m in re.finditer(r"^kontrakt (.+)$", README, re.M)]
    assert len(lines) >= 4
    for line in lines:
        cmd = line.split()[0]
        res = runner.invoke(app, [cmd, "--help"], env={"COLUMNS": "200"})
        assert res.exit_code == 0, f"kontrakt {cmd}: {res.output}"
        for opt in re.findall(r"(--[a-z-]+)", line):
            assert opt in res.output, (
                f"README shows kontrakt {cmd} {opt}, the CLI has no such option"
            )
