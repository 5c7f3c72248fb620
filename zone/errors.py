"""The short exception hierarchy of Zone, each error with the exit status it stands for.

Everything that can go wrong because of what a person gave us (a pack, a save,
an argument, a line typed in the game) is a `ZoneError` whose message is one
line meant for that person. `status` is what `zone` exits with when one ends a
command, so the command line maps errors to statuses by their class alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from zone.status import ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from zone.diagnostics import Diagnostic
    from zone.saves.savefile import Header

__all__ = [
    "CommandError",
    "CorruptSave",
    "NewerSave",
    "PackError",
    "RecordsError",
    "ReplayError",
    "SaveError",
    "StateError",
    "UnusableSave",
    "UsageError",
    "ZoneError",
]


class ZoneError(Exception):
    """A problem to report to a person in one line, never as a traceback."""

    status: ClassVar[ExitStatus] = ExitStatus.ERROR


class UsageError(ZoneError):
    """A command was called with arguments that do not make sense."""

    status = ExitStatus.USAGE


class PackError(ZoneError):
    """A pack could not be compiled; `diagnostics` says every reason."""

    def __init__(self, diagnostics: list[Diagnostic], pack: Path | None = None) -> None:
        self.diagnostics = diagnostics
        self.pack = pack  # the pack's folder, so a hint can name it
        first = next((d for d in diagnostics if d.is_error), diagnostics[0] if diagnostics else None)
        super().__init__(first.format() if first else "the pack could not be loaded")


class StateError(ZoneError):
    """A game state does not fit the story it is played against."""


# -- saves, records and replay files (zone.saves) ----------------------------------------------
class SaveError(ZoneError):
    """A save could not be written or read; the message is one line for the player."""


class CorruptSave(SaveError):
    """The file is not a readable save: cut short, bytes changed, or not a save at all."""


class UnusableSave(CorruptSave):
    """The file is whole (its checksum matches) but holds what no run of Zone could: the message says what."""

    def __init__(self, reason: str, header: Header | None = None) -> None:
        super().__init__(reason)
        self.header = header  # what the file says about itself, when that much could be read


class NewerSave(SaveError):
    """The file is a save of a format this version of Zone does not know yet."""


class RecordsError(ZoneError):
    """The records could not be written; the message is one line for the player."""


class ReplayError(ZoneError):
    """A replay file that cannot be read or does not fit."""


# -- the game --------------------------------------------------------------------------------
class CommandError(ZoneError):
    """A line typed in the game that it cannot use; the message says what to type instead."""
