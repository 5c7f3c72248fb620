"""Which texts of a pack a player can ever read: the branches of its narration seen shown, and those never.

A branch is one side of a passage's `if` (its text, or its `else`), or of an
inline `{if c: a | b}` in narration, a choice's text or its reason. A tool shows
`Branches` every state it meets; what no state showed is dead text, or text that
waits for a state the tool did not reach. An inline `{if}` inside a branch never
shown is not reported again: its outer branch already is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from zone import inline
from zone.diagnostics import Position
from zone.engine import Engine, Option
from zone.expr import Compiled
from zone.inline import Cond, Seen
from zone.model import Story, Text
from zone.state import GameState

__all__ = ["Branches", "TextBranch"]


class TextBranch(NamedTuple):
    """One side of a condition in the text."""

    scene: str
    pos: Position  # the text that holds it
    inline: bool  # an `{if}` inside the text; False for a passage's own `if`
    condition: Compiled
    shows: bool  # True: the text shown when the condition holds; False: the else
    proved: bool = False  # proved never shown (not only unseen by a bounded tool)

    def describe(self) -> str:
        side = "text" if self.shows else "else"
        if self.inline:
            return f"the {side} of '{{if {self.condition.source}: ...}}'"
        return f"the {side} of the passage 'if: {self.condition.source}'"


class Branches:
    """What the states shown so far have shown of each scene's text."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.scenes: set[str] = set()  # scenes whose text was shown in some state
        self.passages: set[tuple[str, int, bool]] = set()  # (scene, passage, side shown)
        self.met: set[tuple[int, int]] = set()  # (id of the text, id of the `{if}`) evaluated
        self.sides: set[tuple[int, int, bool]] = set()  # ... and the side it showed

    def see(self, engine: Engine, state: GameState, options: tuple[tuple[Option, bool], ...]) -> None:
        """Record what `state` shows: its narration, the text of each choice shown, and the reason of each
        one disabled (`options`, as `Engine.options` gives them)."""
        sid = state.scene
        self.scenes.add(sid)
        seen = Seen(sid, state.visits.get(sid, 1), state.seed)
        for n, passage in enumerate(engine.story.scenes[sid].passages):
            text: Text | None = passage.text
            if passage.condition is not None:
                holds = bool(passage.condition.fn(state))
                self.passages.add((sid, n, holds))
                text = passage.text if holds else passage.otherwise
            if text is not None:
                self._trace(text, state, seen)
        for option, enabled in options:
            self._trace(option.choice.text, state, seen)
            if not enabled and option.choice.reason is not None:
                self._trace(option.choice.reason, state, seen)

    def _trace(self, text: Text, state: GameState, seen: Seen) -> None:
        if text.plain is not None:
            return
        found: list[tuple[Cond, bool]] = []
        inline.taken(text.pieces, state, seen, found)
        for cond, side in found:
            self.met.add((id(text), id(cond)))
            self.sides.add((id(text), id(cond), side))

    def never(self) -> list[TextBranch]:
        """Every branch, in a scene whose text was shown, that no state showed (in file order)."""
        found = []
        for sid, scene in self.story.scenes.items():
            if sid not in self.scenes:
                continue
            for n, passage in enumerate(scene.passages):
                if passage.condition is None:
                    continue
                test = passage.condition
                if (sid, n, True) not in self.passages:
                    found.append(TextBranch(sid, passage.text.pos, False, test, True))
                if passage.otherwise is not None and (sid, n, False) not in self.passages:
                    found.append(TextBranch(sid, passage.otherwise.pos, False, test, False))
            found += self._inline_never(sid)
        return found

    def _inline_never(self, sid: str) -> Iterator[TextBranch]:
        for text in self.story.scenes[sid].texts():
            if text.plain is not None:
                continue
            for cond in inline.conditions(text.pieces):
                if (id(text), id(cond)) not in self.met:
                    continue
                for side, shown in ((True, cond.then), (False, cond.otherwise)):
                    if shown and (id(text), id(cond), side) not in self.sides:
                        yield TextBranch(sid, text.pos, True, cond.test, side)

    def unshown(self) -> int:
        """How many branches lie in scenes whose text no state showed."""
        count = 0
        for sid, scene in self.story.scenes.items():
            if sid in self.scenes:
                continue
            count += sum(1 + (p.otherwise is not None) for p in scene.passages if p.condition is not None)
            count += sum(len(inline.conditions(t.pieces)) for t in self.story.scenes[sid].texts() if t.plain is None)
        return count
