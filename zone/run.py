"""A run being played: the state now, the choices that led here, undo and the journal.

The engine knows only single steps; a `Run` strings them together for the
adapters (the terminal, saves, replays). Everything in it can be rebuilt from
the start parameters and the list of choices, because the engine is
deterministic; the undo stack is kept as well, bounded, so that a save made
against an older version of a pack can fall back to an earlier state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

from zone.engine import Engine, Frame
from zone.errors import StateError
from zone.limits import MAX_CHOICES, UNDO_LIMIT
from zone.model import Value
from zone.replay import Replayed, Stop, refusal, replay_choices
from zone.state import GameState

__all__ = ["JournalEntry", "Run", "journal_entries", "new_ident"]



def new_ident() -> str:
    """A name for a new run, so that a save can tell this run from every other (and from a new one)."""
    return os.urandom(8).hex()


class JournalEntry(NamedTuple):
    """One passage of the story so far, and what the player chose after it."""

    turn: int
    chapter: str
    title: str
    text: str
    choice: str | None  # None for the passage the player is reading now


def journal_entries(replayed: Replayed) -> list[JournalEntry]:
    """One journal entry for every choice a replay took: the passage it was taken in, and its text."""
    return [JournalEntry(state.turn, frame.chapter, frame.title, frame.text, frame.choices[index].text)
            for state, frame, index in zip(replayed.states, replayed.frames, replayed.choices, strict=False)]


class Run:
    """One run: its start, its choices, the state now and the states to undo to.

    `ident` names the run across saves: the same run saved again keeps it, a new run gets another.
    """

    def __init__(self, engine: Engine, seed: int, state: GameState, start_scene: str | None = None,
                 start_values: Mapping[str, Value] | None = None, choices: list[int] | None = None,
                 undo_stack: list[GameState] | None = None, *, ident: str | None = None) -> None:
        self.engine = engine
        self.ident = ident if ident is not None else new_ident()
        self.seed = seed
        self.state = state
        self.start_scene = start_scene
        self.start_values: Mapping[str, Value] = start_values if start_values is not None else {}
        self.choices: list[int] = choices if choices is not None else []
        self.undo_stack: list[GameState] = undo_stack if undo_stack is not None else []
        self._journal: list[JournalEntry] = []
        self._frame: tuple[GameState, Frame] | None = None

    @classmethod
    def new(cls, engine: Engine, seed: int, *, scene: str | None = None,
            values: Mapping[str, Value] | None = None, ident: str | None = None) -> Run:
        state, passed = engine.advance(engine.start(seed, scene=scene, values=values))
        run = cls(engine, seed, state, scene, dict(values or {}), ident=ident)
        run._frame = (state, engine.frame(state, passed))
        return run

    # -- playing -------------------------------------------------------------------------
    def frame(self) -> Frame:
        """The frame of the state now, computed once per state (a frame is a pure function of it)."""
        cached = self._frame
        if cached is not None and cached[0] is self.state:
            return cached[1]
        frame = self.engine.frame(self.state)
        self._frame = (self.state, frame)
        return frame

    def choose(self, index: int) -> Frame:
        """Take a shown choice (0-based); returns the new frame. Raises StateError if not allowed."""
        before = self.frame()
        reason = refusal(before, index, len(self.choices))
        if reason is Stop.LIMIT:
            raise StateError(f"this run is as long as a run can be ({MAX_CHOICES} choices); ':restart' begins again")
        new_state, passed = self.engine.advance(self.engine.choose(self.state, index, before))  # or StateError
        view = before.choices[index]
        self._journal_sync()
        self._journal.append(JournalEntry(self.state.turn, before.chapter, before.title, before.text, view.text))
        self.undo_stack.append(self.state)
        if len(self.undo_stack) > UNDO_LIMIT:
            del self.undo_stack[0]
        self.choices.append(index)
        self.state = new_state
        self._frame = (new_state, self.engine.frame(new_state, passed))
        return self._frame[1]

    def undo(self) -> bool:
        """Step back one choice; False when there is nothing to undo."""
        if not self.undo_stack or not self.choices:
            return False
        self._journal_sync()
        self.state = self.undo_stack.pop()
        self.choices.pop()
        if self._journal:
            self._journal.pop()
        return True

    def rebased(self, engine: Engine, state: GameState, start_values: Mapping[str, Value],
                undo_stack: list[GameState]) -> Run:
        """The same run carried over to another engine (an edited pack), keeping its journal."""
        self._journal_sync()
        moved = Run(engine, self.seed, state, self.start_scene, start_values, list(self.choices), undo_stack,
                    ident=self.ident)
        moved._journal = list(self._journal)
        return moved

    # -- the story so far ------------------------------------------------------------------
    def adopt_journal(self, entries: list[JournalEntry]) -> None:
        """Use a journal built elsewhere (one entry per choice), for runs whose choices no longer replay."""
        if len(entries) != len(self.choices):
            raise StateError("a journal needs one entry per choice")
        self._journal = list(entries)

    def _journal_sync(self) -> None:
        if len(self._journal) != len(self.choices):
            self._journal = self.replay_journal()

    def replay_journal(self) -> list[JournalEntry]:
        """Rebuild the journal by replaying the choices from the start."""
        start = self.engine.start(self.seed, scene=self.start_scene, values=self.start_values)
        replayed = replay_choices(self.engine, start, self.choices)
        if not replayed.complete:
            raise StateError("the recorded choices no longer fit this pack")
        return journal_entries(replayed)

    def journal(self) -> list[JournalEntry]:
        """Every passage of this run with the choice made after it, and the passage now."""
        self._journal_sync()
        now = self.frame()
        return [*self._journal, JournalEntry(self.state.turn, now.chapter, now.title, now.text, None)]
