"""The `zone` command line: a table of subcommands, each imported only when used.

`main(argv, env)` returns an `ExitStatus` and never lets a traceback reach a
person: errors a person can fix are one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import MappingProxyType
from typing import Protocol

from zone import __version__
from zone.environment import Environment
from zone.errors import PackError, ZoneError
from zone.status import ExitStatus

__all__ = ["COMMANDS", "main", "run"]

# name -> (module, one-line summary). Each module has configure(parser) and run(args, env).
COMMANDS = MappingProxyType({
    "play": ("zone.commands.play", "play a pack (the bundled game by default)"),
    "check": ("zone.commands.check", "check a pack and print every problem with file:line:col"),
})

_EPILOG = """exit status: 0 ok, 1 error (a pack with errors, an unusable save), 2 bad arguments, 130 interrupted.
Run 'zone COMMAND --help' for a command's options."""


class Command(Protocol):
    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, env: Environment) -> ExitStatus: ...


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so `main` decides the exit status."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(f"{message} (see '{self.prog} --help')")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            print(message, file=sys.stderr, end="")
        raise _Exit(status)


class _ArgumentError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def _parser(env: Environment, command: str | None) -> argparse.ArgumentParser:
    summary = "\n".join(f"  {name:<10} {text}" for name, (_, text) in COMMANDS.items())
    parser = _Parser(
        prog="zone",
        description="Zone: choice-based text adventures in the terminal. With no command, plays the bundled game.",
        epilog=f"commands:\n{summary}\n\n{_EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zone {__version__}")
    if command is not None:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        module_name, text = COMMANDS[command]
        module: Command = importlib.import_module(module_name)
        cmd_parser = sub.add_parser(command, help=text, description=text[:1].upper() + text[1:] + ".")
        module.configure(cmd_parser)
        cmd_parser.set_defaults(handler=module.run)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg
    return None


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> ExitStatus:
    env = env or Environment()
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(args_list)
    if command is not None and command not in COMMANDS:
        from zone.diagnostics import did_you_mean

        env.error(f"unknown command '{command}'{did_you_mean(command, COMMANDS)}; see 'zone --help'")
        return ExitStatus.USAGE
    if command is None and not any(a in ("-h", "--help", "--version") for a in args_list):
        command = "play"
        args_list = ["play", *args_list]
    try:
        parser = _parser(env, command)
        args = parser.parse_args(args_list)
    except _ArgumentError as exc:
        env.error(str(exc))
        return ExitStatus.USAGE
    except _Exit as exc:
        return ExitStatus.OK if exc.status == 0 else ExitStatus.USAGE
    try:
        status: ExitStatus = args.handler(args, env)
        return status
    except PackError as exc:
        errors = [d for d in exc.diagnostics if d.is_error] or exc.diagnostics
        for diagnostic in errors:
            print(diagnostic.format(), file=env.stderr)
        env.error(f"the pack has {len(errors)} error{'s' * (len(errors) != 1)}; 'zone check' lists them all")
        return ExitStatus.ERROR
    except ZoneError as exc:
        env.error(str(exc))
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        env.error("interrupted")
        return ExitStatus.INTERRUPTED


def run() -> None:
    """The console entry point."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`zone check | head`): stop quietly.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = ExitStatus.OK
    sys.exit(int(status))
