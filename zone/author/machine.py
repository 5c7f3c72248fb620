"""A fast stepper for tools that take millions of steps: playtest and prove.

It runs the engine's own compiled closures with exactly the engine's rules
(effects of the choice, then of the drawn outcome, then the turn, then the visit
and `on_enter` of the scene entered; the tests hold it to `Engine.take`), but it
prepares each scene once, keeps states as light records, and can *force* the
outcome of a random choice, which is how `prove` treats every outcome as a branch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zone.engine import random_draw
from zone.errors import StateError
from zone.model import Choice, Story, Value

if TYPE_CHECKING:
    from zone.expr import Env

__all__ = ["Branch", "Machine", "Option", "Room", "Sim"]

Apply = Callable[[dict[str, Value], "Env"], None]
Test = Callable[["Env"], Value]


class Sim:
    """One state of a run: the engine's `GameState` without the frozen-dataclass cost.

    A `Sim` is built by `Machine` and never changed afterwards; it satisfies the
    expression language's `Env`, so compiled conditions read it directly.
    """

    __slots__ = ("scene", "values", "visits", "turn", "seed", "draws")

    def __init__(self, scene: str, values: dict[str, Value], visits: dict[str, int], turn: int, seed: int,
                 draws: int) -> None:
        self.scene = scene
        self.values = values
        self.visits = visits
        self.turn = turn
        self.seed = seed
        self.draws = draws


@dataclass(frozen=True, slots=True)
class Branch:
    """One weighted outcome of a random choice."""

    weight: int
    effects: tuple[Apply, ...]
    target: str


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a scene, prepared: its test, effects and targets as plain closures."""

    scene: str
    index: int  # position in Scene.choices
    choice: Choice
    test: Test | None
    hidden: bool
    effects: tuple[Apply, ...]
    goto: str | None
    branches: tuple[Branch, ...]
    total: int  # the sum of the branches' weights


@dataclass(frozen=True, slots=True)
class Room:
    """A scene, prepared."""

    id: str
    on_enter: tuple[Apply, ...]
    options: tuple[Option, ...]
    ending: bool


class Machine:
    """The engine's rules over prepared scenes; holds no run state of its own."""

    def __init__(self, story: Story) -> None:
        self.story = story
        rooms: dict[str, Room] = {}
        for scene in story.scenes.values():
            options = []
            for index, choice in enumerate(scene.choices):
                branches = tuple(Branch(o.weight, tuple(e.apply for e in o.effects), o.goto) for o in choice.outcomes)
                options.append(Option(
                    scene.id, index, choice, choice.condition.fn if choice.condition is not None else None,
                    choice.hidden, tuple(e.apply for e in choice.effects), choice.goto, branches,
                    sum(b.weight for b in branches)))
            rooms[scene.id] = Room(scene.id, tuple(e.apply for e in scene.on_enter), tuple(options),
                                   scene.ending is not None)
        self.rooms: Mapping[str, Room] = rooms

    def start(self, seed: int = 0, *, scene: str | None = None, values: Mapping[str, Value] | None = None) -> Sim:
        """The state `Engine.start` gives."""
        sid = scene or self.story.start
        if sid not in self.rooms:
            raise StateError(f"there is no scene '{sid}' in this pack")
        start_values = self.story.defaults
        if values:
            start_values.update(values)
        sim = Sim(sid, start_values, {}, 0, seed, 0)
        self._enter(sim, sid)
        return sim

    def shown(self, sim: Sim) -> list[tuple[Option, bool]]:
        """The options the player sees (as `Engine.visible`), each with whether it can be taken."""
        out = []
        for option in self.rooms[sim.scene].options:
            test = option.test
            enabled = test is None or bool(test(sim))
            if enabled or not option.hidden:
                out.append((option, enabled))
        return out

    @staticmethod
    def drawn(sim: Sim, option: Option) -> int:
        """The branch the engine draws for `option` in `sim` (same generator, same draw count)."""
        roll = random_draw(sim.seed, sim.draws) % option.total
        for i, branch in enumerate(option.branches):
            if roll < branch.weight:
                return i
            roll -= branch.weight
        return len(option.branches) - 1

    def step(self, sim: Sim, option: Option, branch: int | None = None) -> Sim:
        """Take `option` (known to be enabled); `branch` forces a random choice's outcome."""
        values = dict(sim.values)
        nxt = Sim(sim.scene, values, dict(sim.visits), sim.turn, sim.seed, sim.draws)
        for apply in option.effects:
            apply(values, nxt)
        if option.goto is not None:
            target = option.goto
        else:
            chosen = option.branches[self.drawn(sim, option) if branch is None else branch]
            nxt.draws += 1
            for apply in chosen.effects:
                apply(values, nxt)
            target = chosen.target
        nxt.turn = sim.turn + 1
        self._enter(nxt, target)
        return nxt

    def _enter(self, sim: Sim, target: str) -> None:
        sim.scene = target
        sim.visits[target] = sim.visits.get(target, 0) + 1
        for apply in self.rooms[target].on_enter:
            apply(sim.values, sim)
