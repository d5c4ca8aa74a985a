"""Resolve a `censo …` command line against the real command-line app, without running it."""

from __future__ import annotations

from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from services.cli import app


def resolve(words: list[str]) -> str:
    """The full name of the command `words` run (`censo worker run`), their arguments and
    options parsed by that command; AssertionError when any of it is not a command's."""
    command: Any = typer.main.get_command(app)  # Typer's own click: typed loosely here
    path, rest = ["censo"], list(words)
    context = typer.Context(command, info_name="censo")
    while isinstance(command, TyperGroup):
        assert rest, f"`{' '.join(path)}` is a group, not a command"
        found = command.get_command(context, rest[0])
        assert found is not None, f"`{' '.join(path)}` has no command {rest[0]!r}"
        path.append(rest.pop(0))
        command = found
        context = typer.Context(command, info_name=path[-1], parent=context)
    try:
        command.make_context(path[-1], list(rest), parent=context.parent)
    except typer.TyperException as exc:  # click's usage errors: unknown option, extra argument
        raise AssertionError(f"`{' '.join(path)}` refuses {rest}: {exc}") from None
    return " ".join(path)
