"""The README's commands and links work as written from a fresh clone."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest

from cds_service.cli import main
from tests.support.paths import ROOT, VIGNETTES

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {path.name: path.read_text(encoding="utf-8") for path in DOCUMENTS}


def _shell_lines(text: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    joined = [block.replace("\\\n", " ") for block in blocks]
    return [line.split(" #", 1)[0].strip() for block in joined for line in block.splitlines()]


COMMANDS = [line for text in TEXT.values() for line in _shell_lines(text)]
EXPLAIN = [line for line in COMMANDS if line.startswith(".venv/bin/gluteal-cds explain")]


@pytest.mark.parametrize("line", EXPLAIN)
def test_every_explain_example_runs(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(shlex.split(line)[1:]) == 0
    assert "knowledge base" in capsys.readouterr().out


def test_every_make_target_named_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = {
        word
        for text in TEXT.values()
        for word in re.findall(r"`(?:[A-Z_]+=\S+ )*make ([a-z-]+)", text)
    }
    named |= {line.split()[1] for line in COMMANDS if line.startswith("make ")}

    assert named
    assert named <= targets


def test_every_vignette_and_local_link_exists() -> None:
    vignettes = {
        v for text in TEXT.values() for v in re.findall(r"vignettes/([\w.-]+\.json)", text)
    }
    links = {
        (path.parent / target)
        for path in DOCUMENTS
        for target in re.findall(r"\]\(((?!https?:|#)[^)\s]+)\)", path.read_text(encoding="utf-8"))
    }

    assert vignettes
    assert all((VIGNETTES / name).is_file() for name in vignettes)
    assert [link for link in links if not link.resolve().exists()] == []


def test_every_gluteal_cds_command_named_exists() -> None:
    named = {
        match for text in TEXT.values() for match in re.findall(r"gluteal-cds ([a-z][a-z-]+)", text)
    }
    commands = {"serve", "explain", "feedback-report", "migrate", "config"}

    assert named & commands
    assert named <= commands


def test_image_tags_shown_are_the_package_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    tags = {tag for text in TEXT.values() for tag in re.findall(r"gluteal-cds:(\d[\w.]*)", text)}

    assert tags == {version["version"]}
