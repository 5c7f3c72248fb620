"""Choices whose outcomes read the same: two enabled choices after which the player reads the same next text.

The next text of a choice is what the game shows after it: its effects, the scene
it leads to, the scenes that scene passes through by `next`, and their narration,
exactly as `Engine.take`, `Engine.advance` and `Engine.frame` produce it (a random
choice reads as the texts of all its outcomes). A choice that reads like a sibling
leaves the player's decision unanswered.

Texts are rendered once per distinct state after the choice (its scene and every
value its text can still read, the key of `KeyCodec`), and kept as a digest, so
the cost grows with the states met, not with the choices compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from zone.author.relevance import KeyCodec
from zone.engine import Engine, Option
from zone.state import GameState

__all__ = ["SameReading", "Sameness", "Witness"]

# How a caller names a state: its number in a walk, or (seed, choices) of a playthrough that reaches it.
Witness = int | tuple[int, tuple[int, ...]] | None


class SameReading(NamedTuple):
    """One scene where two enabled choices lead to the same next text."""

    scene: str
    first: tuple[int, int]  # the first pair found: positions in Scene.choices
    texts: tuple[str, str]  # ... and their texts as the player read them there
    states: int  # states of the scene where some enabled choices read alike
    compared: int  # states of the scene with two or more enabled choices
    alike: tuple[int, ...]  # every choice (position in Scene.choices) found reading like a sibling
    most: int  # the most enabled choices reading alike in one state
    witness: Witness  # the first state where it shows, as the caller named it


@dataclass
class _Tally:
    states: int = 0
    compared: int = 0
    first: tuple[int, int] = (0, 0)
    texts: tuple[str, str] = ("", "")
    alike: set[int] = field(default_factory=set)
    most: int = 0
    witness: Witness = None


class Sameness:
    """Compares the next texts of the enabled choices of every state it is shown."""

    def __init__(self, engine: Engine, codec: KeyCodec) -> None:
        self.engine, self.codec = engine, codec
        self.digests: dict[int, bytes] = {}  # key of the state after a choice -> digest of the text read next
        self.choices = 0  # enabled choices in states with two or more
        self.alike = 0  # ... of them, those that read like a sibling
        self.tallies: dict[str, _Tally] = {}

    def next_text(self, state: GameState) -> bytes:
        """The digest of what the player reads on arriving in `state` (after any `next`)."""
        key = self.codec.encode(state)
        digest = self.digests.get(key)
        if digest is None:
            engine = self.engine
            stop, passed = engine.advance(state)
            text = engine.frame(stop, passed).text
            digest = self.digests[key] = hashlib.blake2b(text.encode(), digest_size=12).digest()
        return digest

    def see(self, state: GameState, options: tuple[tuple[Option, bool], ...], witness: Witness = None) -> None:
        """Compare the enabled choices of `state` (`options` as `Engine.options` gives them)."""
        enabled = [option for option, can in options if can]
        if len(enabled) < 2:
            return
        engine = self.engine
        groups: dict[tuple[bytes, ...], list[Option]] = {}
        for option in enabled:
            choice = option.choice
            ways = range(len(choice.outcomes)) if choice.outcomes else (None,)
            reading = tuple(self.next_text(engine.take(state, choice, b)) for b in ways)
            groups.setdefault(reading, []).append(option)
        tally = self.tallies.get(state.scene)
        if tally is None:
            tally = self.tallies[state.scene] = _Tally()
        tally.compared += 1
        self.choices += len(enabled)
        same = [group for group in groups.values() if len(group) > 1]
        if not same:
            return
        tally.states += 1
        for group in same:
            self.alike += len(group)
            tally.alike.update(o.position for o in group)
            tally.most = max(tally.most, len(group))
        if tally.states == 1:
            a, b = same[0][0], same[0][1]
            tally.first = (a.position, b.position)
            tally.texts = (self._text(a, state), self._text(b, state))
            tally.witness = witness

    def _text(self, option: Option, state: GameState) -> str:
        return option.text if option.text is not None else self.engine.render(option.choice.text, state)

    def findings(self, order: Callable[[str], int]) -> list[SameReading]:
        """Each scene where choices read alike, the most affected first (by share of its states, then count)."""
        found = [SameReading(sid, t.first, t.texts, t.states, t.compared, tuple(sorted(t.alike)), t.most, t.witness)
                 for sid, t in self.tallies.items() if t.states]
        found.sort(key=lambda f: (-f.states / f.compared, -f.states, order(f.scene)))
        return found
