"""Paths confined to one root (toolkit.excel.confine), and the server refusing to start unsafely."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.excel.confine import UdenforMappen, confine, confine_tree, current_root, set_root


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "rod" / "indbakke").mkdir(parents=True)
    (tmp_path / "ude").mkdir()
    (tmp_path / "ude" / "hemmelig.xlsx").write_bytes(b"x")
    resolved = set_root(tmp_path / "rod")
    assert resolved is not None
    try:
        yield resolved
    finally:
        set_root(None)


def test_paths_inside_the_root_are_kept(root: Path) -> None:
    assert confine(root / "indbakke", "Indbakke") == root / "indbakke"
    assert confine(f"{root}/./indbakke//", "Indbakke") == root / "indbakke"
    assert confine(root / "ny" / "mappe", "Dokumentmappe") == root / "ny" / "mappe"  # not yet made
    assert confine(root, "Dokumentmappe") == root


@pytest.mark.parametrize(
    "value, words",
    [
        ("{root}/../ude/hemmelig.xlsx", "'..'"),
        ("{root}\\..\\ude\\hemmelig.xlsx", "'..'"),
        ("{root}/%2e%2e/ude", "'..'"),
        ("{root}%2F..%2Fude", "'..'"),
        ("{root}/indbakke/..", "'..'"),
        ("{ude}/hemmelig.xlsx", "uden for"),
        ("/", "uden for"),
        ("indbakke", "fuld sti"),
        ("{root}/ind\x00bakke", "ugyldigt tegn"),
    ],
)
def test_ways_out_are_refused_in_danish(root: Path, value: str, words: str) -> None:
    value = value.format(root=root, ude=root.parent / "ude")
    with pytest.raises(UdenforMappen, match="Indbakke") as exc:
        confine(value, "Indbakke")
    assert words in str(exc.value)


def test_links_are_refused_on_the_way_and_at_the_end(root: Path) -> None:
    ude = root.parent / "ude"
    (root / "genvej").symlink_to(ude, target_is_directory=True)
    (root / "indbakke" / "fil.xlsx").symlink_to(ude / "hemmelig.xlsx")
    (root / "indbakke" / "doed.xlsx").symlink_to(root / "findes-ikke.xlsx")  # a dangling link
    for path in (root / "genvej", root / "genvej" / "hemmelig.xlsx", root / "genvej" / "ny",
                 root / "indbakke" / "fil.xlsx", root / "indbakke" / "doed.xlsx"):  # fmt: skip
        with pytest.raises(UdenforMappen, match="genvej"):
            confine(path, "Virksomhedsregister")
    with pytest.raises(UdenforMappen, match=r"doed\.xlsx|fil\.xlsx"):
        confine_tree(root / "indbakke", "Indbakke")
    os.unlink(root / "indbakke" / "fil.xlsx")
    os.unlink(root / "indbakke" / "doed.xlsx")
    assert confine_tree(root / "indbakke", "Indbakke") == root / "indbakke"


def test_a_root_given_through_a_link_is_resolved_once(tmp_path: Path) -> None:
    (tmp_path / "rigtig").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "rigtig", target_is_directory=True)
    try:
        assert set_root(tmp_path / "link") == tmp_path / "rigtig"
        assert confine(tmp_path / "rigtig" / "x", "Indbakke") == tmp_path / "rigtig" / "x"
        with pytest.raises(UdenforMappen):
            confine(tmp_path / "link" / "x", "Indbakke")  # the link itself is outside
    finally:
        set_root(None)


def test_without_a_root_nothing_is_checked(tmp_path: Path) -> None:
    assert current_root() is None
    assert confine("../x", "Indbakke") == Path("../x")


def test_the_server_refuses_to_start_unsafely(tmp_path: Path) -> None:
    from toolkit.excel.server import EntraConfig, KonfigurationsFejl, ServerConfig, start

    good = {"root": tmp_path, "secrets": {"h" * 16: frozenset()}}
    for config, words in [
        (ServerConfig(secrets=good["secrets"]), "--mappe"),
        (ServerConfig(root=tmp_path / "findes-ikke", secrets=good["secrets"]), "findes ikke"),
        (ServerConfig(root=tmp_path), "kræver login"),
        (ServerConfig(root=tmp_path, secrets={"kort": frozenset()}), "mindst 16"),
        (ServerConfig(root=tmp_path, entra=EntraConfig((), ("klient",), "")), "Entra ID kræver"),
    ]:
        with pytest.raises(KonfigurationsFejl, match=words):
            start(config)
    assert current_root() is None  # nothing was set up


def test_cli_server_without_a_folder_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli.app import app

    monkeypatch.setenv("KONTRAKT_HEMMELIGHED", "h" * 20)
    res = CliRunner().invoke(app, ["server", "--port", "0"])
    assert res.exit_code == 2 and "--mappe" in res.output
    monkeypatch.delenv("KONTRAKT_HEMMELIGHED")
    res = CliRunner().invoke(app, ["server", "--mappe", "."])
    assert res.exit_code == 2 and "kræver login" in res.output
