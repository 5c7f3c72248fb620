"""Routes through a story: the choices that lead somewhere, and a seed that makes them replay.

A route is found over forced random outcomes; `find_seed` then looks for a
seed under which the engine's own draws fall the same way, so that
`zone play --seed S` with the route's choice numbers plays it exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zone.engine import Engine, Option, random_draw
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
    seed: int | None  # None when no seed below SEED_SEARCH draws these outcomes
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


def find_seed(draws: Sequence[tuple[Option, int]], limit: int = SEED_SEARCH) -> int | None:
    """The smallest seed whose n-th draw picks the n-th required branch, for every n."""
    if not draws:
        return 0
    tables = []
    for option, branch in draws:
        outcomes = option.choice.outcomes
        lo = sum(o.weight for o in outcomes[:branch])
        tables.append((sum(o.weight for o in outcomes), lo, lo + outcomes[branch].weight))
    for seed in range(limit):
        for n, (total, lo, hi) in enumerate(tables):
            if not lo <= random_draw(seed, n) % total < hi:
                break
        else:
            return seed
    return None


def route_of(engine: Engine, moves: Sequence[tuple[int, int]], shortest: bool = True) -> Route:
    """Replay (shown index, branch) moves from the start and describe them."""
    state = engine.start(0)
    steps = []
    draws: list[tuple[Option, int]] = []
    for pos, branch in moves:
        option, _ = engine.options(state)[pos]
        text = engine.render(option.choice.text, state)
        if branch >= 0:
            draws.append((option, branch))
        state = engine.take(state, option.choice, branch if branch >= 0 else None)
        steps.append(Step(pos + 1, text, branch if branch >= 0 else None, state.scene))
    return Route(tuple(steps), find_seed(draws), shortest)


def replay_moves(engine: Engine, moves: Sequence[tuple[int, int]]) -> GameState:
    state = engine.start(0)
    for pos, branch in moves:
        option, _ = engine.options(state)[pos]
        state = engine.take(state, option.choice, branch if branch >= 0 else None)
    return state
