"""argparse, set up for `zone`: errors are raised, not printed with an exit, everything it
prints (help, usage, version) goes to the `Environment`'s streams, and only the command
in use is imported."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from zone import __version__
from zone.environment import Environment
from zone.status import ExitStatus

__all__ = ["ArgumentError", "ParserExit", "build_parser"]


class Command(Protocol):
    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, env: Environment) -> ExitStatus: ...


class ArgumentError(Exception):
    pass


class ParserExit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit status, and prints
    only to the environment's streams (argparse itself writes to `sys.stdout` and `sys.stderr`)."""

    def __init__(self, *args: Any, env: Environment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env = env

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgumentError(f"{message} (see '{self.prog} --help')")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            self.env.stderr.write(message)
        raise ParserExit(status)

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            (self.env.stderr if file is sys.stderr else self.env.stdout).write(message)


def build_parser(commands: Mapping[str, tuple[str, str]], command: str | None, epilog: str, env: Environment
                 ) -> argparse.ArgumentParser:
    """The parser for `zone`, with the one subcommand `command` configured (if any)."""
    summary = "\n".join(f"  {name:<10} {text}" for name, (_, text) in commands.items())
    parser = _Parser(
        env=env,
        prog="zone",
        description="Zone: choice-based text adventures in the terminal. "
        "With no command, plays the bundled game.",
        epilog=f"commands:\n{summary}\n\n{epilog}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zone {__version__}")
    if command is not None:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        module_name, text = commands[command]
        module: Command = importlib.import_module(module_name)
        cmd_parser = sub.add_parser(command, help=text, description=text[:1].upper() + text[1:] + ".",
                                    env=env)
        module.configure(cmd_parser)
        cmd_parser.set_defaults(handler=module.run)
    return parser
