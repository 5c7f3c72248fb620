"""What the player reads in every state a pack can reach: the walk behind `sameness` and `branches`.

The states are those of `zone prove`'s exact walk, keyed by a finer `KeyCodec`
that also keeps every value some text can still read (a passage's `if`, an
inline `{if}` or `{name}`), since two states that differ only there read
differently. That walk stops at a bound; past it, seeded random playthroughs
show the later scenes too (each state once), and the result says so.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from zone import inline
from zone.author.branches import Branches, TextBranch
from zone.author.envelope import PRODUCT_LIMIT, Evaluator, envelope
from zone.author.guide import distance_to_hold
from zone.author.prove import explore
from zone.author.relevance import KeyCodec
from zone.author.routes import Route
from zone.author.sameness import Sameness, SameReading
from zone.diagnostics import Diagnostic, make
from zone.engine import Engine, random_draw
from zone.model import Story
from zone.state import GameState

__all__ = ["DEFAULT_READ_STATES", "Reading", "read", "text_codec"]

DEFAULT_READ_STATES = 100_000
RUNS = 1000  # random playthroughs past the bound
RUN_STEPS = 400
SEEK_RUNS = 300  # leaning playthroughs for each branch still unseen past the bound


def text_codec(story: Story) -> KeyCodec:
    """A codec whose keys keep, besides what `prove` keeps, every value some text of the scene reads."""
    read: dict[str, frozenset[str]] = {}
    sources: list[str] = []
    for sid, scene in story.scenes.items():
        names: set[str] = set()
        for passage in scene.passages:
            if passage.condition is not None:
                names |= passage.condition.reads
                sources.append(passage.condition.source)
        texts = [p.text for p in scene.passages] + [p.otherwise for p in scene.passages if p.otherwise]
        texts += [c.text for c in scene.choices] + [c.reason for c in scene.choices if c.reason]
        for text in texts:
            if text.plain is None:
                names |= inline.reads(text.pieces)
                sources += [e.source for e in inline.expressions(text.pieces)]
        read[sid] = frozenset(names)
    return KeyCodec(story, read, sources)


@dataclass(frozen=True)
class Reading:
    """What the states met show: choices that read alike, and text branches never shown."""

    states: int  # distinct states of the exact walk
    complete: bool  # the walk met every reachable state: what it found is exact
    limit: int
    radius: int | None  # when not complete: every state this many choices from the start was met
    runs: int  # random playthroughs past the bound (0 when complete)
    walked: int  # further distinct states they met
    choices: int  # enabled choices compared (in states with two or more)
    alike: int  # ... of them, those whose next text reads like a sibling's
    same: tuple[SameReading, ...]  # by scene, the most affected first
    never_shown: tuple[TextBranch, ...]  # in scenes some state showed
    unshown: int  # branches in scenes no state met (only when not complete)
    route: Callable[[int], Route]  # a shortest route to the i-th state of the walk

    def replay(self, finding: SameReading) -> tuple[int, list[int]] | None:
        """A seed and the choices (0-based, as shown) that reach where `finding` first shows."""
        witness = finding.witness
        if isinstance(witness, int):
            route = self.route(witness)
            return None if route.seed is None else (route.seed, route.choices)
        return None if witness is None else (witness[0], list(witness[1]))

    def same_diagnostics(self, story: Story) -> list[Diagnostic]:
        """ZN042 for each scene in `same`, at the second choice of the first pair."""
        diags = []
        for f in self.same:
            more = f"; {len(f.alike)} of its choices read alike" if len(f.alike) > 2 else ""
            diags.append(make("ZN042", story.scenes[f.scene].choices[f.first[1]].pos, first=f.first[0] + 1,
                              second=f.first[1] + 1, a=f.texts[0], b=f.texts[1], name=f.scene, states=f.states,
                              compared=f.compared, more=more))
        return diags

    def branch_diagnostics(self) -> list[Diagnostic]:
        """ZN043 for each branch in `never_shown`."""
        return [make("ZN043", b.pos, branch=b.describe(), name=b.scene,
                     bound="" if b.proved else " in the states met (undecided)") for b in self.never_shown]

    @property
    def share(self) -> float:
        """The share of enabled choices whose next text reads like a sibling's."""
        return self.alike / self.choices if self.choices else 0.0


def read(story: Story, max_states: int = DEFAULT_READ_STATES, runs: int = RUNS) -> Reading:
    """Show every state of the walk (and, past its bound, of `runs` playthroughs) to both tools."""
    codec = text_codec(story)
    explored = explore(story, max_states, codec)
    engine = Engine(story)
    same, branches = Sameness(engine, codec), Branches(story)
    for i, key in enumerate(explored.keys):
        state = codec.decode(key)
        options = engine.options(state)
        branches.see(engine, state, options)
        same.see(state, options, i)
    walked = 0
    if not explored.complete:
        known = set(explored.keys)
        for seed in range(runs):
            walked += _playthrough(engine, codec, engine.start(seed), seed, known, same, branches)
        _seek(engine, codec, known, same, branches)
    index = {sid: i for i, sid in enumerate(story.scenes)}
    findings = same.findings(index.__getitem__)
    return Reading(
        states=len(explored.keys), complete=explored.complete, limit=max_states, radius=explored.radius,
        runs=0 if explored.complete else runs, walked=walked, choices=same.choices, alike=same.alike,
        same=tuple(findings), never_shown=tuple(_settle(story, codec, branches.never(), explored.complete)),
        unshown=0 if explored.complete else branches.unshown(),
        route=explored.route)


def _seek(engine: Engine, codec: KeyCodec, known: set[int], same: Sameness, branches: Branches) -> None:
    """Past the bound, look on purpose for each branch no state showed: playthroughs that lean towards the
    values the branch needs (a rare one, such as an empty pocket, that plain random playthroughs seldom
    meet). The states they meet are shown to both tools, each once, as the walk's are."""
    for branch in branches.never():
        lean = (ast.parse(branch.condition.source, mode="eval").body, not branch.shows)
        key = (branch.scene, branch.pos, branch.inline, branch.shows)
        for seed in range(SEEK_RUNS):
            _playthrough(engine, codec, engine.start(seed), seed, known, same, branches, lean)
            if all((b.scene, b.pos, b.inline, b.shows) != key for b in branches.never()):
                break


def _settle(story: Story, codec: KeyCodec, unseen: list[TextBranch], complete: bool) -> list[TextBranch]:
    """Mark the branches proved never shown: all when the walk was complete, else those the envelope
    (the values each scene can possibly see) rules out."""
    if complete:
        return [b._replace(proved=True) for b in unseen]
    if not unseen:
        return []
    env = envelope(story, codec)
    ev = Evaluator(story, codec)
    out = []
    for branch in unseen:
        box = env.boxes.get(branch.scene)
        if box is None:
            out.append(branch._replace(proved=True))
            continue
        combos = ev.assignments(dict(box), branch.condition.reads, PRODUCT_LIMIT)
        possible = combos is None or any(bool(branch.condition.fn(ev.env(a))) == branch.shows for a in combos)
        out.append(branch._replace(proved=not possible))
    return out


def _playthrough(engine: Engine, codec: KeyCodec, state: GameState, seed: int, known: set[int],
                 same: Sameness, branches: Branches, lean: tuple[ast.expr, bool] | None = None) -> int:
    """One seeded random run, as `zone play --seed` plays it; shows each state not met before.

    With `lean` (a condition, and whether it should fail rather than hold), two choices in three are the
    one after which the condition is nearest to going that way. Returns how many states it met.
    """
    met = 0
    moves: list[int] = []
    for step in range(RUN_STEPS):
        options = engine.options(state)
        key = codec.encode(state)
        if key not in known:
            known.add(key)
            met += 1
            branches.see(engine, state, options)
            same.see(state, options, (seed, tuple(moves)))
        enabled = [n for n, (_, can) in enumerate(options) if can]
        if not enabled:
            break
        if engine.advance(state)[0] is not state:  # the scene goes on by itself, by its first enabled choice
            pick = enabled[0]
        elif lean is not None and random_draw(seed + 104729, step) % 3:
            tree, negate = lean
            pick = min(enabled, key=lambda n: distance_to_hold(tree, engine.take(state, options[n][0].choice),
                                                               negate))
            moves.append(pick)
        else:
            pick = enabled[random_draw(seed + 7919, step) % len(enabled)]
            moves.append(pick)
        state = engine.take(state, options[pick][0].choice)
    return met
