"""The in-game commands (`:save`, `:journal`, ...): their table, and how a typed line is read.

One table serves the parser, `:help` and the completion of the interactive
prompt, so the three cannot disagree. Reading a line never raises anything but
`CommandError`, whose message is a short hint for the player.
"""

from __future__ import annotations

from typing import NamedTuple

from zone.diagnostics import did_you_mean
from zone.errors import CommandError
from zone.tui.view import CommandHelp

__all__ = ["COMMANDS", "KEYS", "LINE_LIMIT", "Command", "Input", "help_lines", "read_line"]

LINE_LIMIT = 1000  # the longest line the game reads; the readers keep one character more, to tell


class Command(NamedTuple):
    name: str
    args: str  # "", "[slot]" (optional) or "FILE" (required)
    about: str

    @property
    def usage(self) -> str:
        return f":{self.name} {self.args}".rstrip()

    @property
    def required(self) -> bool:
        return bool(self.args) and not self.args.startswith("[")


COMMANDS = {c.name: c for c in (
    Command("save", "[slot]", "save this run in a slot (default: quick)"),
    Command("load", "[slot]", "load a saved run; with no slot, list the saved runs"),
    Command("undo", "", "take back the last choice"),
    Command("status", "[line]", "the characters, their state, and what you carry; "
                                ":status line (or F2) shows or hides the status line"),
    Command("notes", "[on/off]", "say when a choice changes what :status shows (on at the start)"),
    Command("journal", "", "the story so far: every passage and choice of this run"),
    Command("transcript", "FILE", "write the story so far to FILE (.txt, .html, or .json to replay)"),
    Command("help", "", "this list"),
    Command("restart", "", "start this story again from its beginning"),
    Command("quit", "", "save the run and leave (Ctrl-D does the same)"),
)}

KEYS = (
    CommandHelp("1, 2, 3 ... Enter", "take that choice"),
    CommandHelp("Up / Down, Enter", "move to a choice and take it"),
    CommandHelp("Tab", "complete a command"),
    CommandHelp("Ctrl-C", "clear the line; twice in a row quits"),
    CommandHelp("Ctrl-D", "save and quit"),
)

_ALIASES = {"q": "quit", "exit": "quit", "h": "help", "?": "help", "s": "status", "j": "journal", "u": "undo"}




class Input(NamedTuple):
    """A line the player typed: a choice number (1-based) or a command with its argument."""

    number: int | None = None
    command: str | None = None
    arg: str = ""


def help_lines(*, keys: bool) -> list[CommandHelp]:
    lines = [CommandHelp(c.usage, c.about) for c in COMMANDS.values()]
    return [*lines, CommandHelp("", ""), *KEYS] if keys else lines


def read_line(line: str, count: int) -> Input | None:
    """What a typed line asks for; None for a blank line. `count` is the number of choices shown."""
    text = line.strip()
    if not text:
        return None
    if len(text) > LINE_LIMIT:
        raise CommandError(f"That line is too long to be a choice or a command. {_hint(count)}")
    if text.startswith(":"):
        name, _, arg = text[1:].strip().partition(" ")
        name = _ALIASES.get(name.casefold(), name.casefold())
        arg = arg.strip()
        if name not in COMMANDS:
            shown = f":{name}"
            near = did_you_mean(shown, [f":{c}" for c in COMMANDS])
            raise CommandError(f"There is no command '{shown}'{near}. Type :help for the list.")
        command = COMMANDS[name]
        if command.required and not arg:
            raise CommandError(f"Say where: {command.usage}")
        if not command.args and arg:
            raise CommandError(f":{name} takes nothing after it.")
        return Input(command=name, arg=arg)
    if text.isdigit() and text.isascii():
        number = int(text)
        if 1 <= number <= count:
            return Input(number=number)
    raise CommandError(_hint(count))


def _hint(count: int) -> str:
    if count == 0:
        return "Type a command, or :help for the list."
    if count == 1:
        return "Type 1 to go on, or :help for the commands."
    return f"Type a number from 1 to {count}, or :help for the commands."
