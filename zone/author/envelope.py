"""What each scene can possibly see: a per-scene set of possible values for every name that matters.

When a pack's state space is too large to walk, `prove` still wants answers it
can stand behind. This is a classic over-approximation (abstract interpretation
over value sets): each scene gets, for each live name, the set of values it may
have there, computed by pushing sets through conditions and effects until
nothing grows. It forgets how values go together, so it may think something is
possible that is not, but never the reverse: a scene it cannot reach is
unreachable, a choice it cannot enable is never enabled, and a scene where every
combination it allows leaves a choice enabled can never soft-lock.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zone.author.relevance import KeyCodec
from zone.calls import return_targets
from zone.engine import Engine
from zone.expr import Compiled, CompiledEffect
from zone.model import Story, Value
from zone.state import GameState

__all__ = ["Envelope", "Evaluator", "envelope"]

PRODUCT_LIMIT = 4096  # combinations enumerated per condition or effect
LOCK_LIMIT = 200_000  # combinations enumerated per scene for soft locks
SET_LIMIT = 256  # a name that may take more values than this may take any (the sets stay small, loops end)

Box = dict[str, frozenset[Value] | None]  # None: any value (a counter used in arithmetic)


@dataclass(frozen=True)
class Envelope:
    boxes: Mapping[str, Mapping[str, frozenset[Value] | None]]  # reachable scenes only
    never_enabled: tuple[tuple[str, int], ...]  # (scene, choice index): proved never enabled
    lock_free: frozenset[str]  # reachable non-ending scenes proved never to soft-lock
    lock_examples: Mapping[str, dict[str, Value]]  # other scenes: values the envelope allows that disable all

    def reachable(self, scene: str) -> bool:
        return scene in self.boxes


class Evaluator:
    """Evaluates conditions and effects over sets of possible values."""

    def __init__(self, story: Story, codec: KeyCodec) -> None:
        self.story = story
        self.codec = codec
        # (id of a condition or effect, the sets of values it reads) -> its result; the compiled objects
        # live as long as the story, which outlives this evaluator, so their ids stay unique meanwhile.
        self.narrowed: dict[tuple[object, ...], tuple[frozenset[Value] | None, ...] | None] = {}
        self.results: dict[tuple[object, ...], tuple[frozenset[Value] | None, ...]] = {}

    def domain(self, name: str) -> frozenset[Value] | None:
        """Every value a name can ever have (None: unbounded)."""
        if name.startswith("visits.") or name == "turn":
            cap = self.codec.caps.get(name)
            return None if cap is None or cap >= SET_LIMIT else frozenset(range(cap + 1))
        stat = self.story.stats[name]
        if stat.type == "bool":
            return frozenset((False, True))
        return None if stat.hi - stat.lo >= SET_LIMIT else frozenset(range(stat.lo, stat.hi + 1))

    def values_of(self, box: Box, name: str) -> frozenset[Value] | None:
        return box[name] if name in box else self.domain(name)

    def assignments(self, box: Box, names: Iterable[str], limit: int) -> list[dict[str, Value]] | None:
        """Every combination of the names' possible values, or None when unbounded or too many."""
        names = sorted(names)
        sets = []
        size = 1
        for name in names:
            values = self.values_of(box, name)
            if values is None:
                return None
            sets.append(sorted(values, key=int))
            size *= len(values)
            if size > limit:
                return None
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*sets)]

    def env(self, assignment: Mapping[str, Value]) -> GameState:
        """A state holding just these values: a condition or effect reads nothing else."""
        values: dict[str, Value] = {}
        visits: dict[str, int] = {}
        turn = 0
        for name, value in assignment.items():
            if name == "turn":
                turn = int(value)
            elif name.startswith("visits."):
                visits[name[7:]] = int(value)
            else:
                values[name] = value
        return GameState("", values, visits, turn, 0, ())

    def filter(self, box: Box, condition: Compiled | None) -> Box | None:
        """The box narrowed to where `condition` may hold; None when it never can."""
        if condition is None:
            return box
        names = tuple(sorted(condition.reads))
        memo_key = (id(condition), *(self.values_of(box, n) for n in names))
        if memo_key not in self.narrowed:
            combos = self.assignments(box, names, PRODUCT_LIMIT)
            if combos is None:  # too many to enumerate: the condition narrows nothing
                self.narrowed[memo_key] = tuple(self.values_of(box, n) for n in names)
            else:
                holding = [a for a in combos if condition.fn(self.env(a))]
                self.narrowed[memo_key] = tuple(frozenset(a[n] for a in holding) for n in names) if holding else None
        narrowed = self.narrowed[memo_key]
        if narrowed is None:
            return None
        out = dict(box)
        for name, values in zip(names, narrowed, strict=True):
            out[name] = values
        return out

    def effect(self, box: Box, effect: CompiledEffect) -> None:
        targets = tuple(sorted(effect.targets))
        names = tuple(sorted(set(effect.reads) | (set(targets) if effect.op != "=" else set())))
        memo_key = (id(effect), *(self.values_of(box, n) for n in names))
        if memo_key not in self.results:
            combos = self.assignments(box, names, PRODUCT_LIMIT)
            if combos is None:
                self.results[memo_key] = tuple(self.domain(t) for t in targets)
            else:
                results: list[set[Value]] = [set() for _ in targets]
                for assignment in combos:
                    env = self.env(assignment)
                    values = dict(env.values)
                    effect.apply(values, env)
                    for found, target in zip(results, targets, strict=True):
                        found.add(values[target])
                self.results[memo_key] = tuple(frozenset(r) if len(r) <= SET_LIMIT else None for r in results)
        for target, result in zip(targets, self.results[memo_key], strict=True):
            box[target] = result

    def count(self, box: Box, name: str) -> None:
        """A counter goes up by one (saturating at its cap)."""
        if name not in box:
            return
        values = box[name]
        cap = self.codec.caps.get(name)
        if values is None or cap is None:
            box[name] = None
            return
        box[name] = frozenset(min(int(v) + 1, cap) for v in values)


def envelope(story: Story, codec: KeyCodec | None = None) -> Envelope:
    """Compute the over-approximation for every scene reachable in it."""
    codec = codec or KeyCodec(story)
    ev = Evaluator(story, codec)
    engine = Engine(story)
    start = engine.start(0)
    live = codec.live
    boxes: dict[str, Box] = {story.start: _project(_concrete(start, story), live[story.start])}
    returns = return_targets(story)  # where each scene's returns may lead: the envelope joins them all
    enabled: set[tuple[str, int]] = set()
    todo = deque([story.start])
    queued = {story.start}
    while todo:
        sid = todo.popleft()
        queued.discard(sid)
        box = boxes[sid]
        for n, choice in enumerate(story.scenes[sid].choices):
            narrowed = ev.filter(box, choice.condition)
            if narrowed is None:
                continue
            enabled.add((sid, n))
            for effects, target in engine.paths(choice, returns.get(sid, ())):
                nxt = dict(narrowed)
                for effect in effects:
                    ev.effect(nxt, effect)
                ev.count(nxt, "turn")
                ev.count(nxt, f"visits.{target}")
                for effect in story.scenes[target].on_enter:
                    ev.effect(nxt, effect)
                if _join(boxes, target, _project(nxt, live[target])) and target not in queued:
                    todo.append(target)
                    queued.add(target)
    never = tuple((sid, n) for sid in boxes for n in range(len(story.scenes[sid].choices)) if (sid, n) not in enabled)
    lock_free: set[str] = set()
    examples: dict[str, dict[str, Value]] = {}
    for sid, box in boxes.items():
        scene = story.scenes[sid]
        if scene.ending is not None:
            continue
        example = _lock_example(ev, box, [c.condition for c in scene.choices])
        if example is None:
            lock_free.add(sid)
        else:
            examples[sid] = example
    return Envelope(boxes, never, frozenset(lock_free), examples)


def _concrete(sim: GameState, story: Story) -> Box:
    box: Box = {name: frozenset((value,)) for name, value in sim.values.items()}
    for sid in story.scenes:
        box[f"visits.{sid}"] = frozenset((sim.visits.get(sid, 0),))
    box["turn"] = frozenset((sim.turn,))
    return box


def _project(box: Box, names: frozenset[str]) -> Box:
    return {name: values for name, values in box.items() if name in names}


def _join(boxes: dict[str, Box], sid: str, box: Box) -> bool:
    """Widen boxes[sid] by `box`; True when it grew (or is new)."""
    old = boxes.get(sid)
    if old is None:
        boxes[sid] = box
        return True
    grew = False
    for name, values in box.items():
        have = old.get(name, frozenset())
        if have is None:
            continue
        if values is None:
            old[name] = None
            grew = True
        elif not values <= have:
            union = have | values
            old[name] = union if len(union) <= SET_LIMIT else None
            grew = True
    return grew


def _lock_example(ev: Evaluator, box: Box, conditions: list[Compiled | None]) -> dict[str, Value] | None:
    """Values the box allows under which no choice is enabled; None when there are none."""
    if any(c is None for c in conditions):
        return None
    reads: set[str] = set()
    for c in conditions:
        assert c is not None
        reads |= c.reads
    combos = ev.assignments(box, reads, LOCK_LIMIT)
    if combos is None:
        return {}
    for assignment in combos:
        env = ev.env(assignment)
        if not any(c.fn(env) for c in conditions if c is not None):
            return assignment
    return None
