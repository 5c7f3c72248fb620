"""Which parts of a state can still change what happens: the key of `prove`'s state space.

Two states in the same scene behave alike when they agree on every value that
some later condition can depend on. So the prover keys a state by its scene and
only those values: the *live* ones, found by a backward pass over the scene graph
(a condition reads a name; an effect `x = f(y)` makes `y` matter wherever `x`
does, and stops `x` mattering before it). Visit counts and the turn grow without
end, but when every expression that reads them compares them with constants, a
count above the largest constant behaves like any other, so counts saturate there.
Narration never changes what happens, so a stat only shown in text costs nothing.
The stack of calls is kept exactly: a `return` may lead to the scene after any
call of the scene that was called (`zone.calls`), so what matters there matters
before the `return`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from zone.calls import return_targets
from zone.engine import Engine
from zone.expr import CompiledEffect
from zone.model import Stat, Story
from zone.state import GameState

__all__ = ["KeyCodec", "counter_caps", "live_names"]

UNBOUNDED = 2**32 - 1


def _back(effects: Iterable[CompiledEffect], live: set[str]) -> set[str]:
    """The names that matter before `effects` run, given those that matter after."""
    out = set(live)
    for effect in reversed(tuple(effects)):
        if effect.targets & out:
            if effect.op == "=":
                out.discard(effect.target)
            out |= effect.reads
    return out


def live_names(story: Story, read: Mapping[str, frozenset[str]] | None = None) -> dict[str, frozenset[str]]:
    """For each scene, the names ("writer.trust", "visits.x", "turn") a state there must remember.

    `read` adds, for some scenes, names that matter there besides conditions (the
    names its text reads, for the tools that compare what the player reads).
    """
    live: dict[str, set[str]] = {sid: set((read or {}).get(sid, ())) for sid in story.scenes}
    returns = return_targets(story)
    changed = True
    while changed:
        changed = False
        for scene in reversed(tuple(story.scenes.values())):
            if scene.ending is not None:
                continue
            names = set(live[scene.id])
            for choice in scene.choices:
                if choice.condition is not None:
                    names |= choice.condition.reads
                if choice.once:  # whether it is still shown
                    names.add(choice.once)
                # which way a conditional goto takes depends on what its conditions read after the effects
                ways = frozenset().union(*(b.condition.reads for b in choice.branches if b.condition is not None))
                for effects, target in Engine.paths(choice, returns.get(scene.id, ())):
                    if ways:
                        names |= _back(effects, set(ways))
                    entry = _back(story.scenes[target].on_enter, live[target])
                    names |= _back(effects, entry)
            if names != live[scene.id]:
                live[scene.id] = names
                changed = True
    return {sid: frozenset(names) for sid, names in live.items()}


def _counter(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name) and node.id == "turn":
        return "turn"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "visits":
        return f"visits.{node.attr}"
    return None


def _constant(node: ast.AST) -> int | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def counter_caps(sources: Iterable[str]) -> dict[str, int | None]:
    """For each counter (visits.x, turn) read in `sources`: the count above which all counts behave alike.

    None when some expression does arithmetic with the counter or compares it with
    something that is not a constant: then every count may matter.
    """
    caps: dict[str, int | None] = {}
    for source in sources:
        if "visits" not in source and "turn" not in source:
            continue
        tree = ast.parse(source, mode="eval")
        handled: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for i, operand in enumerate(operands):
                    name = _counter(operand)
                    if name is None:
                        continue
                    others = [_constant(o) for j, o in enumerate(operands) if j != i]
                    if any(c is None for c in others):
                        continue
                    handled.add(id(operand))
                    if name not in caps or caps[name] is not None:
                        cap = max(0, max(c for c in others if c is not None) + 1)
                        caps[name] = max(cap, caps.get(name) or 0)
        for node in ast.walk(tree):
            name = _counter(node)
            if name is not None and id(node) not in handled:
                caps[name] = None
    return caps


def _control_sources(story: Story) -> list[str]:
    """Every expression that can change what happens (conditions of choices, values of effects)."""
    out = []
    for scene in story.scenes.values():
        effects = list(scene.on_enter)
        for choice in scene.choices:
            if choice.condition is not None:
                out.append(choice.condition.source)
            out.extend(b.condition.source for b in choice.branches if b.condition is not None)
            effects.extend(choice.effects)
            for outcome in choice.outcomes:
                effects.extend(outcome.effects)
        out.extend(e.value.source for e in effects)
    return out


@dataclass(frozen=True)
class _Layout:
    """How one scene's states are packed into a number."""

    index: int
    names: tuple[str, ...]
    get: Callable[[Any], Any] | None  # the live values of a values mapping, as a tuple
    los: tuple[int, ...]
    radixes: tuple[int, ...]
    visits: tuple[tuple[str, int], ...]  # (scene id, cap)
    turn_cap: int | None  # None when the turn does not matter here
    span: int  # how many numbers the values, visits and turn above take: the stack is packed above them


def _radix(stat: Stat) -> int:
    """How many values `stat` can hold: its range, both truth values, or its enumeration's members."""
    if stat.type == "int":
        return stat.hi - stat.lo + 1
    return len(stat.members) if stat.members else 2


class KeyCodec:
    """Packs a state into one integer of its scene and live values, and back."""

    def __init__(self, story: Story, read: Mapping[str, frozenset[str]] | None = None,
                 sources: Iterable[str] = ()) -> None:
        """`read` and `sources`: names that matter in some scenes besides conditions, and the expressions
        that read them (see `live_names`); by default a state keeps only what can change what happens."""
        self.story = story
        self.scene_ids = tuple(story.scenes)
        self.defaults = story.defaults
        live = live_names(story, read)
        caps = counter_caps([*_control_sources(story), *sources])
        self.layouts: dict[str, _Layout] = {}
        for index, sid in enumerate(self.scene_ids):
            names = tuple(n for n in story.stats if n in live[sid])
            los = tuple(story.stats[n].lo if story.stats[n].type == "int" else 0 for n in names)
            radixes = tuple(_radix(story.stats[n]) for n in names)
            visits = tuple((n[7:], _cap(caps.get(n))) for n in sorted(live[sid]) if n.startswith("visits."))
            turn_cap = _cap(caps.get("turn")) if "turn" in live[sid] else None
            get = itemgetter(*names, names[0]) if names else None  # the extra name keeps the result a tuple
            span = 1
            for radix in (*radixes, *(cap + 1 for _, cap in visits), (turn_cap or 0) + 1):
                span *= radix
            self.layouts[sid] = _Layout(index, names, get, los, radixes, visits, turn_cap, span)
        self.scene_index = {sid: i for i, sid in enumerate(self.scene_ids)}
        self.live: Mapping[str, frozenset[str]] = live
        self.caps: Mapping[str, int | None] = caps

    def encode(self, sim: GameState) -> int:
        layout = self.layouts[sim.scene]
        code = 0
        if layout.get is not None:
            for value, lo, radix in zip(layout.get(sim.values), layout.los, layout.radixes, strict=False):
                code = code * radix + (value - lo)
        visits = sim.visits
        for sid, cap in layout.visits:
            count = visits.get(sid, 0)
            code = code * (cap + 1) + (count if count < cap else cap)
        turn_cap = layout.turn_cap
        if turn_cap is not None:
            code = code * (turn_cap + 1) + (sim.turn if sim.turn < turn_cap else turn_cap)
        if sim.stack:  # each scene to return to a digit of base (scenes + 1), above everything else
            calls = 0
            for sid in sim.stack:
                calls = calls * (len(self.scene_ids) + 1) + self.scene_index[sid] + 1
            code += calls * layout.span
        return code * len(self.scene_ids) + layout.index

    def decode(self, key: int) -> GameState:
        """A state with this key: live values as encoded, everything else at its default."""
        code, index = divmod(key, len(self.scene_ids))
        sid = self.scene_ids[index]
        layout = self.layouts[sid]
        calls, code = divmod(code, layout.span)
        stack: list[str] = []
        while calls:
            calls, digit = divmod(calls, len(self.scene_ids) + 1)
            stack.append(self.scene_ids[digit - 1])
        turn = 0
        if layout.turn_cap is not None:
            code, turn = divmod(code, layout.turn_cap + 1)
        visits: dict[str, int] = {}
        for vid, cap in reversed(layout.visits):
            code, visits[vid] = divmod(code, cap + 1)
        values = dict(self.defaults)
        for name, lo, radix in zip(reversed(layout.names), reversed(layout.los), reversed(layout.radixes),
                                   strict=True):
            code, digit = divmod(code, radix)
            values[name] = bool(digit) if self.story.stats[name].type == "bool" else lo + digit
        return GameState(sid, values, visits, turn, 0, tuple(reversed(stack)))

    def describe(self, key: int) -> str:
        """The live part of a key, for people: 'writer.trust=3, flags.x=yes'."""
        sim = self.decode(key)
        layout = self.layouts[sim.scene]
        parts = [self.story.stats[n].said(sim.values[n]) for n in layout.names]
        parts += [f"visits.{v}={sim.visits[v]}" + ("+" if sim.visits[v] >= cap else "") for v, cap in layout.visits]
        if layout.turn_cap is not None:
            parts.append(f"turn={sim.turn}" + ("+" if sim.turn >= layout.turn_cap else ""))
        if sim.stack:
            parts.append(f"returns to {' < '.join(reversed(sim.stack))}")
        return ", ".join(parts)


def _cap(cap: int | None) -> int:
    return UNBOUNDED if cap is None else cap


