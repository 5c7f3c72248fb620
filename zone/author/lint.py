"""The checks `zone check` adds once a pack compiles: problems of meaning, not of form.

Stats declared and never used, stats changed and never read, choices whose
condition no value can satisfy, and what a bounded `prove` finds: soft locks,
endless loops, and endings the conditions make unreachable. Each is a diagnostic from the one
catalogue, at the place the author has to change.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from typing import TypeGuard

from zone import inline
from zone.author.envelope import Evaluator
from zone.author.prove import prove
from zone.author.relevance import KeyCodec
from zone.author.routes import Route
from zone.diagnostics import Diagnostic, make
from zone.expr import Compiled, CompiledEffect
from zone.model import Story, Value, show_value
from zone.validate import reachable_scenes

__all__ = ["CHECK_STATES", "EXPLORE_SCENES", "explores", "lint", "possible_values", "usage"]

CHECK_STATES = 20_000  # states `zone check` explores before it relies on the envelope
EXPLORE_SCENES = 2_000  # larger packs are explored by `zone prove` only
CHECK_SEARCH = 4_000
VALUE_LIMIT = 512  # a stat with more possible values than this is taken to have every value in its range
PRODUCT_LIMIT = 100_000
LOOP_SHOWN = 6  # scenes of an endless loop named in its diagnostic


def explores(story: Story) -> bool:
    """Whether `lint` also explores the state space (soft locks, unreachable endings).

    Past EXPLORE_SCENES scenes the exploration would dominate `zone check`; `zone prove`
    does it fully, and `zone check` says so. A partial story (of a pack with errors)
    whose start scene could not be read has nothing to explore from.
    """
    return story.start in story.scenes and len(story.scenes) <= EXPLORE_SCENES


def meaning_applies(story: Story | None, diags: Iterable[Diagnostic]) -> TypeGuard[Story]:
    """Whether the meaning checks run: only on a pack that compiled without errors (as `zone check` and the
    editor both do)."""
    return story is not None and not any(d.is_error for d in diags)


def lint(story: Story, *, max_states: int = CHECK_STATES) -> list[Diagnostic]:
    """Every meaning problem of a compiled story."""
    paused = gc.isenabled()
    gc.disable()  # many small, acyclic objects: see zone.pack.check_pack
    try:
        diags = _usage_diagnostics(story)
        diags += _impossible_choices(story)
        if explores(story):
            diags += _soundness(story, max_states)
        return diags
    finally:
        if paused:
            gc.enable()


def _effects(story: Story) -> Iterator[CompiledEffect]:
    for scene in story.scenes.values():
        yield from scene.on_enter
        for choice in scene.choices:
            yield from choice.effects
            for outcome in choice.outcomes:
                yield from outcome.effects


def _reads(effect: CompiledEffect) -> frozenset[str]:
    """What an effect reads besides its own target; a block's condition reads whatever it names."""
    if effect.op != "if":
        return effect.reads - {effect.target}
    then, otherwise = effect.branches
    return effect.value.reads.union(*(_reads(e) for e in then + otherwise))


def usage(story: Story) -> tuple[set[str], set[str]]:
    """(names read anywhere, names written anywhere). An effect reading its own target is not a read."""
    reads: set[str] = set()
    for scene in story.scenes.values():
        conditions: list[Compiled | None] = [c.condition for c in scene.choices]
        conditions += [p.condition for p in scene.passages]
        for condition in conditions:
            if condition is not None:
                reads |= condition.reads
    for text in (t for scene in story.scenes.values() for t in scene.texts()):
        reads |= inline.reads(text.pieces)
    writes: set[str] = set()
    for effect in _effects(story):
        writes |= effect.targets
        reads |= _reads(effect)
    reads |= {c.once for s in story.scenes.values() for c in s.choices if c.once}  # read to show the choice
    return reads, writes


def _usage_diagnostics(story: Story) -> list[Diagnostic]:
    reads, writes = usage(story)
    diags = []
    for key, stat in story.stats.items():
        if key not in reads and key not in writes:
            diags.append(make("ZN031", stat.pos, name=key))
        elif key not in reads:
            diags.append(make("ZN032", stat.pos, name=key))
    return diags


def possible_values(story: Story, codec: KeyCodec | None = None) -> dict[str, frozenset[Value] | None]:
    """Every value each stat can ever have, from its default and the effects that exist (in any order).

    Flow is ignored on purpose: this answers "can this ever hold, whatever the
    player does", which is what an author asks of a condition.
    """
    codec = codec or KeyCodec(story)
    ev = Evaluator(story, codec)
    values: dict[str, frozenset[Value] | None] = {k: frozenset((s.default,)) for k, s in story.stats.items()}
    for name, cap in codec.caps.items():
        values[name] = None if cap is None else frozenset(range(cap + 1))
    # Identical effect texts compile to one shared object: apply each distinct one once per round.
    effects = list({id(effect): effect for effect in _effects(story)}.values())
    changed = True
    while changed:
        changed = False
        for effect in effects:
            box = dict(values)
            ev.effect(box, effect)
            for target in effect.targets:
                before, after = values[target], box[target]
                if before is None:
                    continue
                grown = None if after is None or len(after | before) > VALUE_LIMIT else after | before
                if grown is None:
                    grown = ev.domain(target)
                if grown != before:
                    values[target] = grown
                    changed = True
    return values


def _impossible_choices(story: Story) -> list[Diagnostic]:
    codec = KeyCodec(story)
    ev = Evaluator(story, codec)
    values = possible_values(story, codec)
    diags = []
    possible: dict[str, bool] = {}  # by condition text: the answer depends on nothing else
    for scene in story.scenes.values():
        for choice in scene.choices:
            condition = choice.condition
            if condition is None:
                continue
            holds = possible.get(condition.source)
            if holds is None:
                combos = ev.assignments(values, condition.reads, PRODUCT_LIMIT)
                holds = possible[condition.source] = combos is None or any(condition.fn(ev.env(a)) for a in combos)
            if holds:
                continue
            names = sorted(condition.reads)
            diags.append(make("ZN030", choice.pos, text=choice.text.plain or "...", condition=condition.source,
                              names=" and ".join(names) if names else "its names"))
    return diags


def _how(route: Route) -> str:
    if not route.steps:
        return "at the start"
    seed = f" with --seed {route.seed}" if route.random_steps and route.seed is not None else ""
    return f"after choices {' '.join(str(s.number) for s in route.steps)}{seed}"


def _soundness(story: Story, max_states: int) -> list[Diagnostic]:
    proof = prove(story, max_states, CHECK_SEARCH, thorough=False)
    diags = []
    for finding in proof.soft_locks:
        diags.append(make("ZN033", story.scenes[finding.scene].pos, name=finding.scene, how=_how(finding.route)))
    for finding in proof.traps:
        loop = ", ".join(f"'{sid}'" for sid in finding.loop[:LOOP_SHOWN])
        if len(finding.loop) > LOOP_SHOWN:
            loop += f" and {len(finding.loop) - LOOP_SHOWN} more scenes"
        diags.append(make("ZN044", story.scenes[finding.scene].pos, name=finding.scene, loop=loop,
                          how=_how(finding.route)))
    for sid, example in proof.possible_locks.items():
        shown = ", ".join(f"{k}={show_value(v)}" for k, v in example.items()) or "values it could not enumerate"
        diags.append(make("ZN035", story.scenes[sid].pos, name=sid, values=shown))
    graph = reachable_scenes(story)
    for scene in story.scenes.values():
        ending = scene.ending
        if ending is not None and ending.id in proof.unreachable_endings and scene.id in graph:
            diags.append(make("ZN034", ending.pos, name=ending.id))
    return diags


