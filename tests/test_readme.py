"""The README's usage stays true: its example commands parse, and the options it names exist."""
from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from parallax.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = [line.split("#")[0].strip() for line in README.splitlines() if line.startswith("    parallax ")]


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """Every option string of `parser` and of its sub-commands, recursively."""
    found = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options(sub)
    return found


def test_the_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_parses(command: str) -> None:
    args = build_parser().parse_args(shlex.split(command)[1:])
    assert callable(args.run)


def test_every_option_the_readme_names_exists() -> None:
    named = set(re.findall(r"`(--[a-z][a-z-]*)", README))
    assert named, "the README names no options"
    assert named <= _options(build_parser()), f"README names unknown options: {sorted(named - _options(build_parser()))}"


def test_the_library_example_runs(monkeypatch, tmp_path, capsys) -> None:
    """The README's Python example, run as it is from the repository root."""
    # The one library example; the cluster recipe (dask_jobqueue) needs a SLURM cluster.
    [code] = [block for block in re.findall(r"```python\n(.*?)```", README, flags=re.S)
              if "dask_jobqueue" not in block]
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.db"))
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "same_quote" in printed and " told " in printed
