"""Danish help and error texts for the ``kontrakt`` command line.

Typer writes its help with Rich from module-level texts ("Options", "[required]",
"[default: …]" …) that are public names of :mod:`typer.rich_utils`; they are set to Danish
here once. The help option's own text, the "Usage:" line and the texts of parsing errors
("Missing option '--master'.") come from the command classes, so the commands use
:class:`DanskKommando` and the app :class:`DanskGruppe`, which put them into Danish.

:class:`DanskKommando` is also the one place a :class:`~toolkit.errors.UserError` is caught:
its Danish message is printed as ``Fejl: …`` (no traceback) and the command ends with exit
code 2 — the commands themselves list no error classes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer
import typer.rich_utils as rich_utils
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from toolkit.errors import UserError

HELP_TEXT = "Vis denne hjælp og afslut."
#: The exit code of a command that stopped on a :class:`~toolkit.errors.UserError`.
USER_ERROR_EXIT = 2
TEXTS = {
    "DEPRECATED_STRING": "(forældet) ",
    "DEFAULT_STRING": "[standard: {}]",
    "ENVVAR_STRING": "[miljøvariabel: {}]",
    "REQUIRED_LONG_STRING": "[påkrævet]",
    "ARGUMENTS_PANEL_TITLE": "Argumenter",
    "OPTIONS_PANEL_TITLE": "Tilvalg",
    "COMMANDS_PANEL_TITLE": "Kommandoer",
    "ERRORS_PANEL_TITLE": "Fejl",
    "ABORTED_TEXT": "Afbrudt.",
    "RICH_HELP": "Skriv [blue]'{command_path} {help_option}'[/] for at få hjælp.",
}
#: Parsing errors (English in the command-line library) -> Danish.
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing option '([^']+)'\.?(.*)$", re.S), "Tilvalget '{0}' mangler.{1}"),
    (re.compile(r"^Missing argument '([^']+)'\.?(.*)$", re.S), "Argumentet '{0}' mangler.{1}"),
    (re.compile(r"^Missing parameter: (.*)$"), "Parameteren {0} mangler."),
    (re.compile(r"^Invalid value for '([^']+)': (.*)$", re.S), "Ugyldig værdi for '{0}': {1}"),
    (re.compile(r"^Invalid value: (.*)$", re.S), "Ugyldig værdi: {0}"),
    (re.compile(r"^No such option: (\S+)(?: \(Possible options: (.*)\))?$"), "Tilvalget {0} findes ikke.{1}"),
    (re.compile(r"^No such command '([^']+)'\.(?: Did you mean (.+)\?)?$"),
     "Kommandoen '{0}' findes ikke.{1}"),
    (re.compile(r"^Missing command\.$"), "Der mangler en kommando."),
    (re.compile(r"^Option '([^']+)' requires an argument\.$"), "Tilvalget '{0}' skal have en værdi."),
    (re.compile(r"^Option '([^']+)' requires (\d+) arguments\.$"), "Tilvalget '{0}' skal have {1} værdier."),
    (re.compile(r"^Option '([^']+)' does not take a value\.$"), "Tilvalget '{0}' tager ingen værdi."),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "Uventede ekstra argumenter: {0}."),
    (re.compile(r"^'([^']*)' is not a valid integer\.$"), "'{0}' er ikke et helt tal."),
    (re.compile(r"^'([^']*)' is not a valid float\.$"), "'{0}' er ikke et tal."),
    (re.compile(r"^'([^']*)' is not a valid boolean\.$"), "'{0}' er ikke ja eller nej."),
    (re.compile(r"^(File|Directory|Path) '([^']*)' does not exist\.$"), "'{1}' findes ikke."),
)  # fmt: skip


def dansk_fejl(message: str) -> str:
    """A parsing error message in Danish (unknown ones are returned as they are)."""
    for pattern, danish in ERRORS:
        m = pattern.match(message.strip())
        if m:
            groups = [_inner(g or "") for g in m.groups()]
            if danish.endswith(".{1}") and groups[1].strip():
                groups[1] = f" Mente du {groups[1].strip()}?"
            return danish.format(*groups)
    return message


#: What the value checks say (inside "Invalid value for …: <this>").
INNER: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*Input should be a valid integer.*$", re.S), "skal være et helt tal."),
    (re.compile(r"^\s*Input should be a valid number.*$", re.S), "skal være et tal."),
    (re.compile(r"^\s*Input should be a valid boolean.*$", re.S), "skal være ja eller nej."),
    (re.compile(r"^\s*(?:Path|File|Directory) '([^']*)' does not exist\.?$"), "'{0}' findes ikke."),
)
#: The value types in the help (Typer shows the Python type names) -> Danish.
METAVARS = {"<list[Path]>": "<stier>", "list[Path]": "stier", "<path>": "<sti>", "<str>": "<tekst>", "<int>": "<heltal>", "<float>": "<tal>",
            "<bool>": ""}  # fmt: skip


def _danish_type(shown: str | None) -> str | None:
    if shown is None:
        return None
    for english, danish in METAVARS.items():
        shown = shown.replace(english, danish)
    return shown


def _inner(text: str) -> str:
    for pattern, danish in INNER:
        m = pattern.match(text)
        if m:
            return danish.format(*m.groups())
    return text


def install() -> None:
    """Set Typer's help texts to Danish (idempotent)."""
    for name, text in TEXTS.items():
        setattr(rich_utils, name, text)


def _danish_errors(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except typer.Exit:
        raise
    except Exception as exc:
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            english = format_message
            exc.format_message = lambda: dansk_fejl(english())  # type: ignore[attr-defined]
        raise


class _Dansk:
    """Danish help option, usage line and parsing errors (mixed into Typer's classes)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            kind = getattr(param, "param_type_name", "")
            if kind == "option" and param.metavar is None:
                shown = str(param.display_type(ctx) or "")
                if shown in METAVARS:
                    param.metavar = METAVARS[shown]
            elif kind == "argument" and not getattr(param, "kontrakt_dansk", False):
                english = param.display_type_rich
                param.display_type_rich = lambda ctx, _e=english: _danish_type(_e(ctx=ctx))
                param.kontrakt_dansk = True
        return params

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        return (
            re.sub(r"^Usage:", "Brug:", usage)
            .replace("[OPTIONS]", "[TILVALG]")
            .replace("COMMAND [ARGS]...", "KOMMANDO [ARGUMENTER]...")
        )

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        parse = super().parse_args  # type: ignore[misc]
        result: list[str] = _danish_errors(lambda: parse(ctx, args))
        return result


class DanskKommando(_Dansk, TyperCommand):
    """A ``kontrakt`` command with Danish help and errors."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            show_user_error(exc)
            raise typer.Exit(USER_ERROR_EXIT) from None


def show_user_error(exc: UserError) -> None:
    """Print a user error's Danish message to stderr as ``Fejl: …``."""
    Console(stderr=True, highlight=False).print(f"[red]Fejl:[/] {exc}")


class DanskGruppe(_Dansk, TyperGroup):
    """The ``kontrakt`` app with Danish help and errors."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        resolve = super().resolve_command
        return _danish_errors(lambda: resolve(ctx, args))


install()
