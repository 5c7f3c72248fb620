"""The short exception hierarchy of Zone.

Everything that can go wrong because of what a person gave us (a pack, a save,
an argument) is a `ZoneError` whose message is one line meant for that person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from zone.diagnostics import Diagnostic

__all__ = ["ZoneError", "PackError", "StateError", "UsageError"]


class ZoneError(Exception):
    """A problem to report to a person in one line, never as a traceback."""


class PackError(ZoneError):
    """A pack could not be compiled; `diagnostics` says every reason."""

    def __init__(self, diagnostics: list[Diagnostic], pack: Path | None = None) -> None:
        self.diagnostics = diagnostics
        self.pack = pack  # the pack's folder, so a hint can name it
        first = next((d for d in diagnostics if d.is_error), diagnostics[0] if diagnostics else None)
        super().__init__(first.format() if first else "the pack could not be loaded")


class StateError(ZoneError):
    """A game state does not fit the story it is played against."""


class UsageError(ZoneError):
    """A command was called with arguments that do not make sense."""
