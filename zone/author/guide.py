"""How far a state is from a goal: the estimates that steer `search.shortest`.

`StoryMap` is built once per story: the story map's edges, and for each scene
the values that can no longer change from there (no effect in a scene reachable
from it writes them; found over strongly connected components, so it costs one
pass however large the pack). `Guide` is the estimate for one set of target
scenes: the fewest choices to a target along the map, skipping any choice whose
condition reads only such settled values and is false for them (a flag never set
again will not become true). It never overestimates and drops by at most one per
choice, which is what A* needs to return shortest routes. On packs larger than
`PRUNE_LIMIT` scenes the skipping is left out and the plain map distance is used,
which is cheaper and still never overestimates.

`distance_to_hold` is a different kind of help: how far a state's values are
from making a condition true. It bounds nothing; a greedy search uses it to try
first the states whose stats are nearer to what a gate asks.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from zone.calls import components, return_targets
from zone.expr import Compiled
from zone.model import Story, ways_on
from zone.state import GameState

__all__ = ["PRUNE_LIMIT", "Guide", "StoryMap", "distance_to_hold"]

PRUNE_LIMIT = 400


class StoryMap:
    """The story map, and what can still change from each scene."""

    def __init__(self, story: Story) -> None:
        self.story = story
        returns = return_targets(story)  # where each scene's returns may lead
        self.edges: dict[str, list[tuple[Compiled | None, str]]] = {
            s.id: [(c.condition, t) for c in s.choices for t in ways_on(c, returns.get(s.id, ()))]
            for s in story.scenes.values()}
        self.preds: dict[str, list[str]] = {sid: [] for sid in story.scenes}
        for sid, out in self.edges.items():
            for _, t in out:
                self.preds[t].append(sid)
        choice_writes: dict[str, set[str]] = {}
        here: dict[str, set[str]] = {}
        for scene in story.scenes.values():
            written = {t for c in scene.choices for e in c.effects for t in e.targets}
            written |= {t for c in scene.choices for o in c.outcomes for e in o.effects for t in e.targets}
            choice_writes[scene.id] = written
            here[scene.id] = written | {t for e in scene.on_enter for t in e.targets}
        read_visits = {n[7:] for s in story.scenes.values() for c in s.choices if c.condition is not None
                       for n in c.condition.reads if n.startswith("visits.")}
        later_writes = self._later(lambda sid: here[sid])
        later_visits = self._later(lambda sid: {sid} & read_visits)
        read_anywhere = {n for s in story.scenes.values() for c in s.choices if c.condition is not None
                         for n in c.condition.reads}
        self.frozen: dict[str, frozenset[str]] = {}
        self.watch: dict[str, tuple[str, ...]] = {}
        for sid in story.scenes:
            frozen = (set(story.stats) - choice_writes[sid] - later_writes[sid]) | {
                f"visits.{x}" for x in read_visits - later_visits[sid]}
            self.frozen[sid] = frozenset(frozen)
            self.watch[sid] = tuple(sorted(frozen & read_anywhere))

    def _later(self, get: Callable[[str], set[str]]) -> dict[str, set[str]]:
        """For each scene, the union of get(T) over every scene T reachable from it in one or more choices."""
        out: dict[str, set[str]] = {}
        for component in components(list(self.edges), {s: [t for _, t in ts] for s, ts in self.edges.items()}):
            members = set(component)
            cyclic = len(component) > 1 or any(t == component[0] for _, t in self.edges[component[0]])
            total: set[str] = set()
            for sid in component:
                for _, t in self.edges[sid]:
                    if t not in members:
                        total |= get(t) | out[t]
            if cyclic:
                for sid in component:
                    total |= get(sid)
            for sid in component:
                out[sid] = total
        return out


class Guide:
    """Fewest choices from a state to any target scene: the A* estimate."""

    def __init__(self, story_map: StoryMap, targets: Iterable[str]) -> None:
        self.map = story_map
        self.targets = frozenset(targets)
        self.static: dict[str, int] = {t: 0 for t in self.targets if t in story_map.edges}
        frontier = list(self.static)
        while frontier:
            nxt = []
            for sid in frontier:
                for p in story_map.preds[sid]:
                    if p not in self.static:
                        self.static[p] = self.static[sid] + 1
                        nxt.append(p)
            frontier = nxt
        self.prune = len(story_map.edges) <= PRUNE_LIMIT
        self.cache: dict[tuple[object, ...], int | None] = {}

    def __call__(self, sim: GameState) -> int | None:
        """The estimate for `sim`; None when no target can be reached from it."""
        sid = sim.scene
        if not self.prune or sid not in self.static:
            return self.static.get(sid)
        key = (sid, *(_read(sim, n) for n in self.map.watch[sid]))
        if key in self.cache:
            return self.cache[key]
        frozen = self.map.frozen[sid]
        dist: int | None = None
        depth = {sid: 0}
        frontier = [sid]
        while frontier and dist is None:
            nxt = []
            for x in frontier:
                if x in self.targets:
                    dist = depth[x]
                    break
                for condition, target in self.map.edges[x]:
                    if target in depth or target not in self.static:
                        continue
                    if condition is not None and condition.reads <= frozen and not condition.fn(sim):
                        continue
                    depth[target] = depth[x] + 1
                    nxt.append(target)
            frontier = nxt
        self.cache[key] = dist
        return dist


def _read(sim: GameState, name: str) -> object:
    if name.startswith("visits."):
        return sim.visits.get(name[7:], 0)
    if name == "turn":
        return sim.turn
    return sim.values[name]


_FLIP = {ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}


def _number(node: ast.AST, sim: GameState) -> int | None:
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


def distance_to_hold(node: ast.AST, sim: GameState, negate: bool = False) -> int:
    """Roughly how many units of change `node` (a parsed condition) is from holding; 0 when it holds."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return distance_to_hold(node.operand, sim, not negate)
    if isinstance(node, ast.BoolOp):
        parts = [distance_to_hold(v, sim, negate) for v in node.values]
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
