"""`zone prove`: walk every state a pack can reach, and say what is and is not possible.

Breadth first from the start, each state keyed by its scene and the values that
still matter there (`relevance.KeyCodec`), each random outcome a branch of its
own; the first route found to anything is a shortest one. When the walk is
complete, every answer is exact. The walk stops adding states at a bound; what
it found until then stays true (a soft lock found is a soft lock), and past the
bound two other tools take over: the envelope (`envelope.py`, an
over-approximation) proves what can never happen, and searches (`search.py`)
find routes to what can. What neither settles is reported as undecided.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from zone.author.envelope import envelope
from zone.author.guide import StoryMap
from zone.author.relevance import KeyCodec
from zone.author.routes import Finding, Route, replay_moves, route_of
from zone.author.search import Budget, Witness, random_walks, shortest
from zone.engine import Engine, Option
from zone.expr import Compiled
from zone.model import Story, Value
from zone.progress import Interrupted
from zone.state import GameState

__all__ = ["DEFAULT_MAX_STATES", "DEFAULT_SEARCH", "Explored", "Partial", "Proof", "benchmark", "explore", "prove"]

DEFAULT_MAX_STATES = 200_000
DEFAULT_SEARCH = 20_000  # states a search for one goal may expand, beyond the bound
SEARCH_POOL = 25  # all searches of one proof together expand at most this many times the search budget
GREED = 3
RANDOM_WALKS = 300
RANDOM_WALK_STEPS = 400
PROGRESS_EVERY = 4096  # states explored between two calls of `progress`


@dataclass(frozen=True)
class Proof:
    """What `prove` found. When `complete` is False, "proved" facts come from the envelope."""

    states: int  # distinct states the exact walk visited
    complete: bool  # the exact walk saw every reachable state
    limit: int
    radius: int | None  # when not complete: every state within this many choices of the start was seen
    endings: Mapping[str, Route | None]  # every ending of the story; None when no route was found
    unreachable_endings: frozenset[str]  # proved unreachable
    soft_locks: tuple[Finding, ...]  # found, with a route
    possible_locks: Mapping[str, dict[str, Value]]  # neither ruled out nor found (only when not complete)
    traps: tuple[Finding, ...]  # entered states from which no ending and no soft lock can be reached (complete only)
    never_enabled: tuple[tuple[str, int], ...]  # (scene, choice index), proved
    unreached: tuple[str, ...]  # scenes proved unreachable
    undecided_scenes: tuple[str, ...]  # neither reached nor proved unreachable
    undecided_choices: tuple[tuple[str, int], ...]  # neither seen enabled nor proved never enabled

    @property
    def sound(self) -> bool:
        """Every ending reachable, and no soft lock or trap found or possible."""
        return (all(r is not None for r in self.endings.values()) and not self.soft_locks
                and not self.possible_locks and not self.traps)


class Partial(NamedTuple):
    """What an interrupted proof had found: carried by `Interrupted` when Ctrl-C stops `prove`."""

    states: int  # distinct states explored
    endings: Mapping[str, Route]  # the endings reached so far, with a shortest route
    soft_locks: tuple[Finding, ...]


class _Walk:
    """The breadth-first walk and its bookkeeping, in flat arrays."""

    def __init__(self, story: Story, limit: int, codec: KeyCodec | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.progress = progress  # told (states explored, states found) as the walk goes
        self.engine = Engine(story)
        self.codec = codec or KeyCodec(story)
        self.limit = max(1, limit)
        self.keys: list[int] = []
        self.ids: dict[int, int] = {}
        self.parent = array("q")
        self.move = array("q")  # shown index * 65536 + (branch + 1)
        self.src = array("q")
        self.dst = array("q")
        self.complete = True
        self.radius: int | None = None  # when incomplete: every state this many choices from the start was seen
        self.ending_at: dict[str, int] = {}  # ending id -> first state there
        self.locks: dict[str, list[int]] = {}  # scene -> [first soft-locked state, how many]
        self.witness = Witness()
        self.dead: list[int] = []  # states with no way on: endings and soft locks

    def add(self, key: int, parent: int, move: int) -> int:
        j = self.ids.get(key)
        if j is None:
            if len(self.keys) >= self.limit:
                if self.complete:
                    self.complete = False
                    self.radius = len(self.moves(parent))
                return -1
            j = len(self.keys)
            self.ids[key] = j
            self.keys.append(key)
            self.parent.append(parent)
            self.move.append(move)
        return j

    def explore(self) -> None:
        """Breadth first from the start: states are numbered in the order they are found."""
        engine, codec = self.engine, self.codec
        scenes = engine.story.scenes
        self.add(codec.encode(engine.start(0)), -1, 0)
        i = 0
        while i < len(self.keys):
            if self.progress is not None and not i % PROGRESS_EVERY:
                self.progress(i, len(self.keys))
            sim = codec.decode(self.keys[i])
            self.witness.scenes.add(sim.scene)
            ending = scenes[sim.scene].ending
            if ending is not None:
                self.ending_at.setdefault(ending.id, i)
                self.dead.append(i)
                i += 1
                continue
            stuck = True
            for pos, (option, enabled) in enumerate(engine.options(sim)):
                if not enabled:
                    continue
                stuck = False
                self.witness.enabled.add((option.scene, option.position))
                choice = option.choice
                if not choice.outcomes:
                    self.edge(i, codec.encode(engine.take(sim, choice)), pos << 16)
                else:
                    for b in range(len(choice.outcomes)):
                        self.edge(i, codec.encode(engine.take(sim, choice, b)), (pos << 16) + b + 1)
            if stuck:
                self.locks.setdefault(sim.scene, [i, 0])[1] += 1
                self.dead.append(i)
            i += 1
        if self.progress is not None:
            self.progress(i, len(self.keys))

    def edge(self, i: int, key: int, move: int) -> None:
        j = self.add(key, i, move)
        if j >= 0:
            self.src.append(i)
            self.dst.append(j)

    def moves(self, i: int) -> list[tuple[int, int]]:
        out = []
        while self.parent[i] >= 0:
            m = self.move[i]
            out.append((m >> 16, (m & 0xFFFF) - 1))
            i = self.parent[i]
        out.reverse()
        return out


@dataclass(frozen=True)
class Explored:
    """The states of one exact walk, in the order found, for the tools that look at each of them."""

    codec: KeyCodec
    keys: Sequence[int]  # breadth first: the first state is the start
    complete: bool
    radius: int | None  # when not complete: every state within this many choices of the start was seen
    route: Callable[[int], Route]  # the shortest route to the i-th state


def explore(story: Story, max_states: int, codec: KeyCodec) -> Explored:
    """The walk of `prove` over states keyed by `codec` (which may keep more values than `prove` needs)."""
    walk = _Walk(story, max_states, codec)
    walk.explore()
    return Explored(codec, walk.keys, walk.complete, walk.radius, lambda i: route_of(walk.engine, walk.moves(i)))


def prove(story: Story, max_states: int = DEFAULT_MAX_STATES, search_budget: int = DEFAULT_SEARCH, *,
          thorough: bool = True, progress: Callable[[int, int], None] | None = None) -> Proof:
    """Explore `story`'s state space up to `max_states` distinct states, then reason about the rest.

    Beyond the bound, `thorough` also searches for a route to every ending and a
    witness for every scene and choice; without it (as `zone check` runs it) only
    the envelope's proofs and the searches that confirm a soft lock are done.
    `progress(explored, found)` is told how the walk goes; Ctrl-C raises
    `Interrupted` with the `Partial` findings of the walk so far.
    """
    walk = _Walk(story, max_states, progress=progress)
    try:
        return _prove(story, walk, search_budget, thorough)
    except KeyboardInterrupt:
        raise Interrupted(_partial(walk)) from None


def _partial(walk: _Walk) -> Partial:
    explored = min(len(walk.keys), len(walk.parent), len(walk.move))  # a state being added may be half written
    endings = {e: route_of(walk.engine, walk.moves(at)) for e, at in walk.ending_at.items() if at < explored}
    locks = tuple(Finding(sid, route_of(walk.engine, walk.moves(first)), count,
                          walk.codec.describe(walk.keys[first]))
                  for sid, (first, count) in walk.locks.items() if first < explored)
    return Partial(explored, endings, locks)


def _prove(story: Story, walk: _Walk, search_budget: int, thorough: bool) -> Proof:
    walk.explore()
    engine, codec, witness, locks = walk.engine, walk.codec, walk.witness, walk.locks
    endings: dict[str, Route | None] = {}
    ending_scene = {s.ending.id: s.id for s in story.scenes.values() if s.ending is not None}
    for eid in ending_scene:
        at = walk.ending_at.get(eid)
        endings[eid] = None if at is None else route_of(engine, walk.moves(at))
    soft_locks = [Finding(sid, route_of(engine, walk.moves(first)), count, codec.describe(walk.keys[first]))
                  for sid, (first, count) in locks.items()]
    if walk.complete:
        return Proof(
            states=len(walk.keys), complete=True, limit=walk.limit, radius=None, endings=endings,
            unreachable_endings=frozenset(e for e, r in endings.items() if r is None),
            soft_locks=tuple(soft_locks), possible_locks={}, traps=_traps(walk, walk.dead),
            never_enabled=tuple((sid, n) for sid in story.scenes if sid in witness.scenes
                                for n in range(len(story.scenes[sid].choices)) if (sid, n) not in witness.enabled),
            unreached=tuple(sid for sid in story.scenes if sid not in witness.scenes),
            undecided_scenes=(), undecided_choices=())
    return _beyond(story, walk, endings, ending_scene, soft_locks, witness, search_budget, thorough)


def _beyond(story: Story, walk: _Walk, endings: dict[str, Route | None], ending_scene: dict[str, str],
            soft_locks: list[Finding], witness: Witness, budget: int, thorough: bool) -> Proof:
    """The space is larger than the bound: prove what the envelope can, and search for the rest."""
    engine, codec = walk.engine, walk.codec
    env = envelope(story, codec)
    find = _Finder(engine, codec, StoryMap(story), witness, budget)
    if thorough:
        random_walks(engine, RANDOM_WALKS, RANDOM_WALK_STEPS, witness)
    unreachable: set[str] = set()
    for eid, sid in ending_scene.items():
        if endings[eid] is not None:
            continue
        if not env.reachable(sid):
            unreachable.add(eid)
        elif thorough:
            endings[eid] = find.route(sid, lambda sim: True)
    locked = {f.scene for f in soft_locks}
    possible: dict[str, dict[str, Value]] = {}
    for sid, example in env.lock_examples.items():
        if sid in locked:
            continue
        route = find.route(sid, lambda sim: not any(e for _, e in engine.options(sim)))
        if route is None:
            possible[sid] = example
        else:
            sim = replay_moves(engine, [(s.number - 1, -1 if s.branch is None else s.branch) for s in route.steps])
            soft_locks.append(Finding(sid, route, 0, codec.describe(codec.encode(sim))))
    proved_never = set(env.never_enabled)
    for sid in story.scenes if thorough else ():
        if env.reachable(sid) and sid not in witness.scenes:
            find.witness(sid, lambda sim: True, None)
    for sid, scene in story.scenes.items() if thorough else ():
        for n in range(len(scene.choices)):
            if sid in witness.scenes and (sid, n) not in witness.enabled and (sid, n) not in proved_never:
                option = engine.room(sid).options[n]
                find.witness(sid, _enabled(option), option.choice.condition)
    return Proof(
        states=len(walk.keys), complete=False, limit=walk.limit, radius=walk.radius, endings=endings,
        unreachable_endings=frozenset(unreachable), soft_locks=tuple(soft_locks), possible_locks=possible, traps=(),
        never_enabled=tuple(sorted(proved_never, key=_order(story))),
        unreached=tuple(sid for sid in story.scenes if not env.reachable(sid)),
        undecided_scenes=tuple(sid for sid in story.scenes if env.reachable(sid) and sid not in witness.scenes),
        undecided_choices=tuple((sid, n) for sid, scene in story.scenes.items() for n in range(len(scene.choices))
                                if env.reachable(sid) and (sid, n) not in witness.enabled
                                and (sid, n) not in proved_never))


class _Finder:
    """The searches past the bound, sharing one pool of states (SEARCH_POOL searches' worth)."""

    def __init__(self, engine: Engine, codec: KeyCodec, story_map: StoryMap, witness: Witness,
                 budget: int) -> None:
        self.engine, self.codec, self.map, self.seen = engine, codec, story_map, witness
        self.budget = budget
        self.pool = Budget(budget * SEARCH_POOL)

    def route(self, scene: str, goal: Callable[[GameState], bool]) -> Route | None:
        """A shortest route by A* if one turns up within half the budget, else any route by greedier searches.

        The greedy searches go for each way into the scene separately (the choice
        that leads there, and its condition), since one easy way can hide a hard one.
        """
        engine = self.engine
        moves = self._search(scene, goal, self.budget // 2)
        if moves is not None:
            return route_of(engine, moves)
        entries = [(option, b) for sid in engine.story.scenes if sid != scene for option in engine.room(sid).options
                   for b, target in enumerate(option.choice.targets) if target == scene]
        found: list[list[tuple[int, int]]] = []
        for option, b in entries:
            prefix = self._search(option.scene, _enabled(option), max(1, self.budget // 2 // len(entries)),
                                  greed=GREED, want=option.choice.condition)
            if prefix is not None:
                sim = replay_moves(engine, prefix)
                pos = next(i for i, (o, _) in enumerate(engine.options(sim)) if o is option)
                full = [*prefix, (pos, b if option.choice.outcomes else -1)]
                if goal(replay_moves(engine, full)):
                    found.append(full)
        return route_of(engine, min(found, key=len), shortest=False) if found else None

    def witness(self, scene: str, goal: Callable[[GameState], bool], want: Compiled | None) -> None:
        """Look for any state at `scene` where `goal` holds, only to record what it sees."""
        self._search(scene, goal, self.budget // 10, greed=GREED, want=want)

    def _search(self, scene: str, goal: Callable[[GameState], bool], budget: int, *, greed: int = 1,
                want: Compiled | None = None) -> list[tuple[int, int]] | None:
        return shortest(self.engine, self.codec, self.map, [scene], goal, budget, self.seen, greed=greed,
                        want=want, pool=self.pool)


def _enabled(option: Option) -> Callable[[GameState], bool]:
    def test(sim: GameState) -> bool:
        return option.test is None or bool(option.test(sim))
    return test


def _order(story: Story) -> Callable[[tuple[str, int]], tuple[int, int]]:
    index = {sid: i for i, sid in enumerate(story.scenes)}
    return lambda item: (index[item[0]], item[1])


def _traps(walk: _Walk, dead: list[int]) -> tuple[Finding, ...]:
    """States that can reach neither an ending nor a soft lock: the player can only go round in circles."""
    n = len(walk.keys)
    start = [0] * (n + 1)
    for d in walk.dst:
        start[d + 1] += 1
    for k in range(n):
        start[k + 1] += start[k]
    fill = start[:-1]
    preds = array("q", bytes(8 * len(walk.dst)))
    for s, d in zip(walk.src, walk.dst, strict=True):
        preds[fill[d]] = s
        fill[d] += 1
    alive = bytearray(n)
    todo = list(dead)
    for k in dead:
        alive[k] = 1
    while todo:
        k = todo.pop()
        for p in preds[start[k]:start[k + 1]]:
            if not alive[p]:
                alive[p] = 1
                todo.append(p)
    found: dict[str, list[int]] = {}
    for k in range(n):
        parent = walk.parent[k]
        if not alive[k] and (parent < 0 or alive[parent]):  # where the player is first caught
            found.setdefault(_scene_of(walk, k), [k, 0])[1] += 1
    return tuple(Finding(sid, route_of(walk.engine, walk.moves(first)), count, walk.codec.describe(walk.keys[first]),
                         _loop_from(walk, first))
                 for sid, (first, count) in found.items())


def _scene_of(walk: _Walk, k: int) -> str:
    return walk.codec.scene_ids[walk.keys[k] % len(walk.codec.scene_ids)]


def _loop_from(walk: _Walk, first: int) -> tuple[str, ...]:
    """The scenes of every state reachable from a trapped one (all trapped too), breadth first.

    Edges are recorded while their source is explored, so `src` is sorted and a
    state's edges are one slice of it.
    """
    src, dst = walk.src, walk.dst
    scenes = {_scene_of(walk, first): None}
    seen, todo = {first}, [first]
    for k in todo:
        lo, hi = bisect_left(src, k), bisect_right(src, k)
        for j in dst[lo:hi]:
            if j not in seen:
                seen.add(j)
                todo.append(j)
                scenes.setdefault(_scene_of(walk, j), None)
    return tuple(scenes)


def benchmark(pack: Path, max_states: int = DEFAULT_MAX_STATES) -> float:
    """Distinct states the exact walk explores per second (for `make bench`)."""
    from zone.pack import load_pack

    walk = _Walk(load_pack(pack), max_states)
    start = time.perf_counter()
    walk.explore()
    return len(walk.keys) / max(time.perf_counter() - start, 1e-9)
