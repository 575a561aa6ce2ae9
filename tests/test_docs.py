"""The README documents the whole command line: every command and every option `ledger --help` lists."""

from __future__ import annotations

import click
import pytest

from ledger.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group = cli, path: tuple[str, ...] = ("ledger",)):
    """(command path, command) for the group and every command below it."""
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = list(commands())


@pytest.mark.parametrize("path", [" ".join(p) for p, _ in COMMANDS[1:]])
def test_every_command_is_in_the_readme(path):
    assert path in README, f"README does not show `{path}`"


@pytest.mark.parametrize(
    "path,option",
    [(" ".join(p), opt) for p, command in COMMANDS for param in command.params
     if isinstance(param, click.Option) for opt in param.opts + param.secondary_opts if opt.startswith("--")],
)
def test_every_option_is_in_the_readme(path, option):
    assert option in README, f"README does not mention {option} of `{path}`"


def test_every_package_is_installed_by_a_plain_pip_install():
    """pyproject lists packages by hand (migrations live outside ledger/): a package left out breaks `pip install .`."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "ledger").rglob("__init__.py")}
    found |= {"ledger.migrations", "ledger.migrations.versions"}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
