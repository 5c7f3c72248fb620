"""Shortest routes to a goal when the whole state space is too large to walk: A* over state keys.

The estimate is `guide.Guide`: choices left to the goal's scene on the story
map. It never overestimates, and it drops by at most one per choice, so the
first goal state taken off the queue is reached by a shortest route, as a
breadth-first walk would find it, after looking at far fewer states when the
way is open. Every state looked at is also a witness (this scene can be
reached, this choice can be enabled), kept in `Witness`. All the searches of
one proof share a `Budget`, so a pack with many goals still finishes.
"""

from __future__ import annotations

import ast
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from zone.author.guide import Guide, StoryMap, distance_to_hold
from zone.author.relevance import KeyCodec
from zone.engine import Engine, Option, random_draw
from zone.expr import Compiled
from zone.state import GameState

__all__ = ["Budget", "Witness", "random_walks", "shortest"]

Move = tuple[int, int]  # (shown index, branch or -1)


@dataclass
class Witness:
    """What has been seen to happen in some reachable state."""

    scenes: set[str] = field(default_factory=set)
    enabled: set[tuple[str, int]] = field(default_factory=set)

    def saw(self, engine: Engine, state: GameState) -> list[tuple[int, int, Option]]:
        """Record `state` and return its moves: (shown index, branch, option) for every enabled option."""
        self.scenes.add(state.scene)
        moves: list[tuple[int, int, Option]] = []
        for pos, (option, enabled) in enumerate(engine.options(state)):
            if enabled:
                self.enabled.add((option.scene, option.position))
                if not option.choice.outcomes:
                    moves.append((pos, -1, option))
                else:
                    moves.extend((pos, b, option) for b in range(len(option.choice.outcomes)))
        return moves


@dataclass
class Budget:
    """States all the searches of one proof may still expand between them."""

    left: int


def shortest(engine: Engine, codec: KeyCodec, story_map: StoryMap, targets: Iterable[str],
             goal: Callable[[GameState], bool], budget: int, witness: Witness, *, greed: int = 1,
             want: Compiled | None = None, pool: Budget | None = None) -> list[Move] | None:
    """A shortest list of moves from the start to a state in `targets` where `goal` holds.

    None when there is none, or when `budget` states (or what is left in `pool`) were expanded
    without finding one.
    With `greed` above 1 the estimate is multiplied by it (weighted A*): the route
    found may be longer than the shortest, but it is found after far fewer states
    when many routes are nearly as short as the best. A greedy search also prefers
    states whose values are nearer to making `want` (the goal's condition) hold.
    """
    guide = Guide(story_map, targets)
    tree = ast.parse(want.source, mode="eval").body if want is not None and greed > 1 else None
    first = engine.start(0)
    h0 = guide(first)
    if h0 is None:
        return None
    start = codec.encode(first)
    best = {start: 0}
    parent: dict[int, tuple[int, Move]] = {}
    closed: set[int] = set()
    tie = 0
    heap = [(h0 * greed, 0, tie, start)]
    while heap and len(closed) < budget and (pool is None or pool.left > 0):
        _, neg_g, _, key = heapq.heappop(heap)
        if key in closed:
            continue
        closed.add(key)
        if pool is not None:
            pool.left -= 1
        sim = codec.decode(key)
        if sim.scene in guide.targets and goal(sim):
            witness.saw(engine, sim)
            moves = []
            while key != start:
                key, move = parent[key]
                moves.append(move)
            moves.reverse()
            return moves
        g = -neg_g + 1
        for pos, branch, option in witness.saw(engine, sim):
            nxt = engine.take(sim, option.choice, branch if branch >= 0 else None)
            h = guide(nxt)
            if h is None:
                continue
            nkey = codec.encode(nxt)
            if g < best.get(nkey, g + 1):
                best[nkey] = g
                parent[nkey] = (key, (pos, branch))
                tie += 1
                estimate = h if greed == 1 else greed * (h + (0 if tree is None else distance_to_hold(tree, nxt)))
                heapq.heappush(heap, (g + estimate, -g, tie, nkey))
    return None


def random_walks(engine: Engine, runs: int, max_steps: int, witness: Witness) -> None:
    """Cheap witnesses: seeded random playthroughs (each its own seed), recording what they see."""
    for seed in range(runs):
        state = engine.start(seed)
        for n in range(max_steps):
            options = [option for _, branch, option in witness.saw(engine, state) if branch <= 0]
            if not options:
                break
            state = engine.take(state, options[random_draw(seed + 7919, n) % len(options)].choice)
