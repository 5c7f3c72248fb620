"""Shortest routes to a goal when the whole state space is too large to walk: A* over state keys.

The heuristic is the number of choices from a scene to the goal's scene in the
story map, ignoring conditions. It never overestimates, and it drops by at most
one per choice, so the first goal state taken off the queue is reached by a
shortest route, as a breadth-first walk would find it, after looking at far
fewer states when the way is open. Every state looked at is also a witness
(this scene can be reached, this choice can be enabled), kept in `Witness`.
"""

from __future__ import annotations

import ast
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from zone.author.machine import Machine, Option, Sim
from zone.author.relevance import KeyCodec
from zone.engine import random_draw
from zone.expr import Compiled
from zone.model import Story

__all__ = ["Guide", "Witness", "random_walks", "shortest"]

Move = tuple[int, int]  # (shown index, branch or -1)


@dataclass
class Witness:
    """What has been seen to happen in some reachable state."""

    scenes: set[str] = field(default_factory=set)
    enabled: set[tuple[str, int]] = field(default_factory=set)

    def saw(self, machine: Machine, sim: Sim) -> list[tuple[int, int, Option]]:
        """Record `sim` and return its moves: (shown index, branch, option) for every enabled option."""
        self.scenes.add(sim.scene)
        moves: list[tuple[int, int, Option]] = []
        for pos, (option, enabled) in enumerate(machine.shown(sim)):
            if enabled:
                self.enabled.add((option.scene, option.index))
                if option.goto is not None:
                    moves.append((pos, -1, option))
                else:
                    moves.extend((pos, b, option) for b in range(len(option.branches)))
        return moves


class Guide:
    """Fewest choices from a state to any target scene: the A* heuristic.

    It follows the story map but skips any choice whose condition reads only values
    that can no longer change from here (no effect reachable from this scene writes
    them) and is false for them: a flag never set again will not become true. That
    keeps the estimate from overestimating while steering the search away from
    states that have already passed the point of no return.
    """

    def __init__(self, story: Story, targets: Iterable[str]) -> None:
        self.targets = frozenset(targets)
        edges: dict[str, list[tuple[Compiled | None, str]]] = {}
        writes: dict[str, set[str]] = {}
        for scene in story.scenes.values():
            edges[scene.id] = [(c.condition, t) for c in scene.choices for t in c.targets]
            written = set()
            for choice in scene.choices:
                written |= {e.target for e in choice.effects}
                for outcome in choice.outcomes:
                    written |= {e.target for e in outcome.effects}
            writes[scene.id] = written
        self.edges = edges
        self.frozen: dict[str, frozenset[str]] = {}
        self.watch: dict[str, tuple[str, ...]] = {}
        for sid in story.scenes:
            later = self._later(sid)
            written = set(writes[sid])
            for r in later:
                written |= writes[r] | {e.target for e in story.scenes[r].on_enter}
            frozen = (set(story.stats) - written) | {f"visits.{x}" for x in story.scenes if x not in later}
            self.frozen[sid] = frozenset(frozen)
            reads: set[str] = set()
            for r in {sid} | later:
                for condition, _ in edges[r]:
                    if condition is not None and condition.reads <= frozen:
                        reads |= condition.reads
            self.watch[sid] = tuple(sorted(reads))
        self.cache: dict[tuple[object, ...], int | None] = {}

    def _later(self, sid: str) -> set[str]:
        """Scenes reachable from `sid` in one or more choices."""
        seen: set[str] = set()
        todo = [t for _, t in self.edges[sid]]
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(t for _, t in self.edges[x])
        return seen

    def __call__(self, sim: Sim) -> int | None:
        """The estimate for `sim`; None when no target can be reached from it."""
        sid = sim.scene
        key = (sid, *(_read(sim, n) for n in self.watch[sid]))
        if key in self.cache:
            return self.cache[key]
        frozen = self.frozen[sid]
        dist: int | None = None
        depth = {sid: 0}
        frontier = [sid]
        while frontier and dist is None:
            nxt = []
            for x in frontier:
                if x in self.targets:
                    dist = depth[x]
                    break
                for condition, target in self.edges[x]:
                    if target in depth:
                        continue
                    if condition is not None and condition.reads <= frozen and not condition.fn(sim):
                        continue
                    depth[target] = depth[x] + 1
                    nxt.append(target)
            frontier = nxt
        self.cache[key] = dist
        return dist


_FLIP = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


def _number(node: ast.AST, sim: Sim) -> int | None:
    """The value of a name or a constant in `sim`, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return int(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand, sim)
        return None if inner is None else -inner
    if isinstance(node, ast.Name) and node.id == "turn":
        return sim.turn
    if isinstance(node, ast.Name) and node.id in sim.values:
        return int(sim.values[node.id])
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "visits":
            return sim.visits.get(node.attr, 0)
        value = sim.values.get(f"{node.value.id}.{node.attr}")
        return None if value is None else int(value)
    return None


def _distance(node: ast.AST, sim: Sim, negate: bool = False) -> int:
    """How many units of change a condition is from holding (0 when it holds, roughly)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _distance(node.operand, sim, not negate)
    if isinstance(node, ast.BoolOp):
        parts = [_distance(v, sim, negate) for v in node.values]
        conjunction = isinstance(node.op, ast.And) != negate
        return sum(parts) if conjunction else min(parts)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _number(node.left, sim), _number(node.comparators[0], sim)
        if left is None or right is None:
            return 0
        kind = type(node.ops[0])
        op = _FLIP.get(kind, kind) if negate else kind
        gap = left - right
        if op is ast.Lt:
            return max(0, gap + 1)
        if op is ast.LtE:
            return max(0, gap)
        if op is ast.Gt:
            return max(0, 1 - gap)
        if op is ast.GtE:
            return max(0, -gap)
        if op is ast.Eq:
            return abs(gap)
        return 1 if gap == 0 else 0
    value = _number(node, sim)
    if value is not None:  # a bare true/false name
        return int(bool(value) == negate)
    return 0


def _read(sim: Sim, name: str) -> object:
    if name.startswith("visits."):
        return sim.visits.get(name[7:], 0)
    if name == "turn":
        return sim.turn
    return sim.values[name]


def shortest(machine: Machine, codec: KeyCodec, targets: Iterable[str], goal: Callable[[Sim], bool],
             budget: int, witness: Witness, *, greed: int = 1, want: Compiled | None = None) -> list[Move] | None:
    """A shortest list of moves from the start to a state in `targets` where `goal` holds.

    None when there is none, or when `budget` states were expanded without finding one.
    With `greed` above 1 the estimate is multiplied by it (weighted A*): the route
    found may be longer than the shortest, but it is found after far fewer states
    when many routes are nearly as short as the best. A greedy search also prefers
    states whose values are nearer to making `want` (the goal's condition) hold.
    """
    guide = Guide(machine.story, targets)
    tree = ast.parse(want.source, mode="eval").body if want is not None and greed > 1 else None
    first = machine.start(0)
    h0 = guide(first)
    if h0 is None:
        return None
    start = codec.encode(first)
    best = {start: 0}
    parent: dict[int, tuple[int, Move]] = {}
    closed: set[int] = set()
    tie = 0
    heap = [(h0 * greed, 0, tie, start)]
    while heap and len(closed) < budget:
        _, neg_g, _, key = heapq.heappop(heap)
        if key in closed:
            continue
        closed.add(key)
        sim = codec.decode(key)
        if sim.scene in guide.targets and goal(sim):
            witness.saw(machine, sim)
            moves = []
            while key != start:
                key, move = parent[key]
                moves.append(move)
            moves.reverse()
            return moves
        g = -neg_g + 1
        for pos, branch, option in witness.saw(machine, sim):
            nxt = machine.step(sim, option, branch if branch >= 0 else None)
            h = guide(nxt)
            if h is None:
                continue
            nkey = codec.encode(nxt)
            if g < best.get(nkey, g + 1):
                best[nkey] = g
                parent[nkey] = (key, (pos, branch))
                tie += 1
                estimate = h if greed == 1 else greed * (h + (0 if tree is None else _distance(tree, nxt)))
                heapq.heappush(heap, (g + estimate, -g, tie, nkey))
    return None


def random_walks(machine: Machine, runs: int, max_steps: int, witness: Witness) -> None:
    """Cheap witnesses: seeded random playthroughs (each its own seed), recording what they see."""
    for seed in range(runs):
        sim = machine.start(seed)
        for n in range(max_steps):
            options = [option for _, branch, option in witness.saw(machine, sim) if branch <= 0]
            if not options:
                break
            sim = machine.step(sim, options[random_draw(seed + 7919, n) % len(options)])
