"""The `zone` command line: a table of subcommands, each imported only when used.

`main(argv, env)` returns an `ExitStatus` and never lets a traceback reach a
person: errors a person can fix are one line on stderr. This module imports
almost nothing itself, so that `zone --version` costs little more than starting
Python; argument parsing lives in `_parser.py`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from zone import __version__

if TYPE_CHECKING:
    from zone.environment import Environment
    from zone.errors import PackError
    from zone.status import ExitStatus

__all__ = ["COMMANDS", "main", "run"]

# name -> (module, one-line summary). Each module has configure(parser) and run(args, env).
COMMANDS = MappingProxyType({
    "play": ("zone.commands.play", "play a pack (the one in this folder, else the bundled game)"),
    "check": ("zone.commands.check", "check a pack and print every problem with file:line:col"),
    "saves": ("zone.commands.saves", "list the saved runs (or 'zone saves delete NAME')"),
    "new": ("zone.commands.new", "start a new pack from a small, sound example"),
    "stats": ("zone.commands.stats", "count scenes, choices, endings and words; route lengths to each ending"),
    "graph": ("zone.commands.graph", "draw the story map (dot, mermaid, svg, png)"),
    "playtest": ("zone.commands.playtest", "play many seeded random runs: coverage and problems"),
    "prove": ("zone.commands.prove", "explore every state: reachable endings, soft locks, dead choices"),
    "replay": ("zone.commands.replay", "play a recorded run (a replay file) and print its transcript"),
    "test": ("zone.commands.test", "replay the runs recorded in the pack's tests/ folder against their transcripts"),
    "schema": ("zone.commands.schema", "print the JSON Schema of pack files, for editors"),
    "docs": ("zone.commands.docs", "read the guides: writing packs, the tools, playing (zone docs TOPIC)"),
    "lsp": ("zone.commands.lsp", "the language server for editors (needs the lsp extra: pip install 'zone[lsp]')"),
})


EPILOG = """exit status: 0 ok, 1 error (a pack with errors, an unusable save), 2 bad arguments,
70 internal error (a bug in Zone), 130 interrupted.
Run 'zone COMMAND --help' for a command's options."""


def _command_of(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg
    return None


def _check_command(env: Environment, exc: PackError) -> str:
    """The command that lists every problem of the refused pack, as the person can type it here."""
    import shlex

    from zone.environment import program_name
    from zone.pack import bundled_pack, display_name

    words = [program_name(env), "check"]
    if exc.pack is not None and exc.pack.resolve() != bundled_pack().resolve():
        words.append(shlex.quote(display_name(exc.pack)))
    return " ".join(words)


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> ExitStatus:
    from zone._parser import ArgumentError, ParserExit, build_parser
    from zone.environment import Environment
    from zone.errors import PackError, ZoneError
    from zone.status import ExitStatus

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
        parser = build_parser(COMMANDS, command, EPILOG, env)
        args = parser.parse_args(args_list)
    except ArgumentError as exc:
        env.error(str(exc))
        return ExitStatus.USAGE
    except ParserExit as exc:
        return ExitStatus.OK if exc.status == 0 else ExitStatus.USAGE
    try:
        status: ExitStatus = args.handler(args, env)
        return status
    except PackError as exc:
        from zone._text import one_line

        errors = [d for d in exc.diagnostics if d.is_error] or exc.diagnostics
        for diagnostic in errors:
            print(one_line(diagnostic.format()), file=env.stderr)
        env.error(f"the pack has {len(errors)} error{'s' * (len(errors) != 1)}; to list them all: "
                  f"{_check_command(env, exc)}")
        return exc.status
    except ZoneError as exc:  # each kind of error carries its exit status
        env.error(str(exc))
        return exc.status
    except KeyboardInterrupt:
        env.error("interrupted")
        return ExitStatus.INTERRUPTED


def run() -> None:
    """The console entry point."""
    if sys.argv[1:] == ["--version"]:
        print(f"zone {__version__}")
        sys.exit(0)
    try:
        status = int(main())
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`zone check | head`): stop quietly.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback on screen
        import os

        if os.environ.get("ZONE_DEBUG"):
            raise
        from zone._text import one_line

        first = one_line(str(exc).splitlines()[0]) if str(exc) else ""
        print(f"zone: internal error ({type(exc).__name__}{': ' + first if first else ''}); "
              "this is a bug in Zone: run again with ZONE_DEBUG=1 to see where", file=sys.stderr)
        from zone.status import ExitStatus

        status = int(ExitStatus.INTERNAL)
    sys.exit(status)
