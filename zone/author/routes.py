"""Routes through a story: the choices that lead somewhere, and a seed that makes them replay.

A route is found over forced random outcomes; `find_seed` then looks for a
seed under which the engine's own rolls (one per scene and visit) fall the same
way, so that `zone play --seed S` with the route's choice numbers plays it
exactly. Two random choices of one scene on one visit read the same roll, so a
route that needs them to fall apart has no seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zone.engine import Engine, pick_outcome, place_of, place_roll
from zone.model import Outcome
from zone.state import GameState

__all__ = ["SEED_SEARCH", "Finding", "Route", "Step", "find_seed", "replay_moves", "route_of"]

SEED_SEARCH = 50_000


@dataclass(frozen=True, slots=True)
class Step:
    number: int  # the choice's number as the player sees it (1-based among the shown choices)
    text: str
    branch: int | None  # the outcome taken, for a random choice
    target: str  # the scene it led to


@dataclass(frozen=True, slots=True)
class Route:
    """A shortest way from the start to somewhere, and a seed that makes the random steps fall that way."""

    steps: tuple[Step, ...]
    seed: int | None  # None when no seed below SEED_SEARCH rolls these outcomes
    shortest: bool = True  # False when found by a weighted search beyond the bound

    @property
    def choices(self) -> list[int]:
        """The 0-based choice indices, as `zone replay` files and `Run.choose` take them."""
        return [s.number - 1 for s in self.steps]

    @property
    def random_steps(self) -> int:
        return sum(1 for s in self.steps if s.branch is not None)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a scene: the first (shortest) route to it and how many distinct states have it."""

    scene: str
    route: Route
    states: int
    values: str  # the values that matter there, for people
    loop: tuple[str, ...] = ()  # an endless loop's scenes the player can go round from there, in the order met


Roll = tuple[tuple[Outcome, ...], int, str, int]  # a random choice's outcomes, the one taken, its scene and visit


def find_seed(rolls: Sequence[Roll], limit: int = SEED_SEARCH) -> int | None:
    """The smallest seed under which every random choice of the route picks the outcome it took."""
    if not rolls:
        return 0
    places = {scene: place_of(scene) for _, _, scene, _ in rolls}
    for seed in range(limit):
        if all(pick_outcome(outcomes, place_roll(seed, places[scene], visit)) == branch
               for outcomes, branch, scene, visit in rolls):
            return seed
    return None


def route_of(engine: Engine, moves: Sequence[tuple[int, int]], shortest: bool = True) -> Route:
    """Replay (shown index, branch) moves from the start and describe them."""
    state = engine.start(0)
    steps = []
    rolls: list[Roll] = []
    for pos, branch in moves:
        option, _ = engine.options(state)[pos]
        text = engine.render(option.choice.text, state)
        if branch >= 0:
            rolls.append((option.choice.outcomes, branch, state.scene, state.visits.get(state.scene, 0)))
        state = engine.take(state, option.choice, branch if branch >= 0 else None)
        steps.append(Step(pos + 1, text, branch if branch >= 0 else None, state.scene))
    return Route(tuple(steps), find_seed(rolls), shortest)


def replay_moves(engine: Engine, moves: Sequence[tuple[int, int]]) -> GameState:
    state = engine.start(0)
    for pos, branch in moves:
        option, _ = engine.options(state)[pos]
        state = engine.take(state, option.choice, branch if branch >= 0 else None)
    return state
