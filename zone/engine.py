"""The engine: a pure state machine over a compiled story.

`frame(state)` says what the player sees: narration, and every choice that is
not hidden, enabled or disabled with its reason. `choose(state, i)` returns the
next state. Nothing here reads files, clocks or the terminal, and the random
generator is a pure function of the state's seed and draw count, so the same
story, seed and choices always give the same run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from zone.errors import StateError
from zone.expr import Compiled, CompiledEffect
from zone.inline import Seen
from zone.inline import render as render_inline
from zone.model import Choice, Ending, Scene, Story, Text, Value, show_value
from zone.state import GameState

__all__ = ["ChoiceView", "Engine", "Frame", "random_draw"]

_MASK = (1 << 64) - 1


def random_draw(seed: int, n: int) -> int:
    """The n-th 64-bit number of the run with this seed (SplitMix64)."""
    z = (seed * 0x9E3779B97F4A7C15 + (n + 1) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class ChoiceView(NamedTuple):
    index: int  # type: ignore[assignment]  # the number to pass to `choose` (0-based); shadows tuple.index
    text: str
    enabled: bool
    reason: str  # why it is disabled ("" when enabled)
    choice: Choice


class Frame(NamedTuple):
    scene: Scene
    text: str
    choices: tuple[ChoiceView, ...]

    @property
    def ending(self) -> Ending | None:
        return self.scene.ending

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def chapter(self) -> str:
        return self.scene.chapter


class _Scratch:
    """A mutable view used while effects run, so later effects see earlier ones."""

    __slots__ = ("values", "visits", "turn")

    def __init__(self, values: dict[str, Value], visits: dict[str, int], turn: int) -> None:
        self.values = values
        self.visits = visits
        self.turn = turn




class Engine:
    """Runs one story; holds no run state of its own."""

    def __init__(self, story: Story) -> None:
        self.story = story

    # -- starting ----------------------------------------------------------------------
    def start(self, seed: int = 0, *, scene: str | None = None,
              values: Mapping[str, Value] | None = None) -> GameState:
        """A new run at the start scene (or `scene`), with optional starting values."""
        sid = scene or self.story.start
        if sid not in self.story.scenes:
            raise StateError(f"there is no scene '{sid}' in this pack")
        start_values = self.story.defaults
        if values:
            start_values.update(values)
        scratch = _Scratch(start_values, {}, 0)
        self._enter(scratch, self.story.scenes[sid])
        return GameState(sid, scratch.values, scratch.visits, 0, seed, 0)

    # -- reading -----------------------------------------------------------------------
    def render(self, text: Text, state: GameState) -> str:
        """Text as the player reads it now; variations follow how often this scene was entered."""
        plain = text.plain
        if plain is not None:
            return plain
        seen = Seen(state.scene, state.visits.get(state.scene, 1), state.seed)
        return render_inline(text.pieces, state, seen, show_value)  # type: ignore[arg-type]

    def narration(self, state: GameState) -> str:
        scene = self.story.scenes[state.scene]
        parts = []
        for passage in scene.passages:
            if passage.condition is None or passage.condition.fn(state):
                parts.append(self.render(passage.text, state))
            elif passage.otherwise is not None:
                parts.append(self.render(passage.otherwise, state))
        return "\n\n".join(p for p in parts if p)

    def visible(self, state: GameState) -> list[tuple[Choice, bool]]:
        """The choices shown in this state, each with whether it can be taken."""
        out = []
        for choice in self.story.scenes[state.scene].choices:
            cond: Compiled | None = choice.condition
            enabled = cond is None or bool(cond.fn(state))
            if enabled or not choice.hidden:
                out.append((choice, enabled))
        return out

    def frame(self, state: GameState) -> Frame:
        views = []
        for i, (choice, enabled) in enumerate(self.visible(state)):
            reason = ""
            if not enabled:
                reason = self.render(choice.reason, state) if choice.reason is not None else "Not now."
            views.append(ChoiceView(i, self.render(choice.text, state), enabled, reason, choice))
        return Frame(self.story.scenes[state.scene], self.narration(state), tuple(views))

    def is_ending(self, state: GameState) -> bool:
        return self.story.scenes[state.scene].ending is not None

    # -- moving ------------------------------------------------------------------------
    def choose(self, state: GameState, index: int) -> GameState:
        """Take the `index`-th shown choice and return the state after it."""
        shown = self.visible(state)
        if not 0 <= index < len(shown):
            raise StateError(f"there is no choice {index + 1} here")
        choice, enabled = shown[index]
        if not enabled:
            raise StateError(f"choice {index + 1} cannot be taken now")
        return self.take(state, choice)

    def take(self, state: GameState, choice: Choice) -> GameState:
        """Apply `choice` (already known to be enabled) to `state`."""
        scratch = _Scratch(dict(state.values), dict(state.visits), state.turn)
        _apply(choice.effects, scratch)
        draws = state.draws
        if choice.goto is not None:
            target = choice.goto
        else:
            outcomes = choice.outcomes
            total = sum(o.weight for o in outcomes)
            roll = random_draw(state.seed, draws) % total
            draws += 1
            outcome = outcomes[-1]
            for candidate in outcomes:
                if roll < candidate.weight:
                    outcome = candidate
                    break
                roll -= candidate.weight
            _apply(outcome.effects, scratch)
            target = outcome.goto
        scratch.turn = state.turn + 1
        self._enter(scratch, self.story.scenes[target])
        return GameState(target, scratch.values, scratch.visits, scratch.turn, state.seed, draws)

    @staticmethod
    def _enter(scratch: _Scratch, scene: Scene) -> None:
        scratch.visits[scene.id] = scratch.visits.get(scene.id, 0) + 1
        _apply(scene.on_enter, scratch)


def _apply(effects: tuple[CompiledEffect, ...], scratch: _Scratch) -> None:
    for effect in effects:
        effect.apply(scratch.values, scratch)
