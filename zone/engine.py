"""The engine: a pure state machine over a compiled story, and the only place its rules are written.

`frame(state)` says what the player sees: narration, and every choice that is
not hidden, enabled or disabled with its reason. `choose(state, i)` returns the
next state. The authoring tools, which take millions of steps, use the same
rules through lower-level doors: `holds` and `options` (which choices can be
taken and which are shown, without building any text), `take` with a forced
`outcome`, and `paths` (the effects of each way a choice can go, in the order
`take` runs them).

Nothing here reads files, clocks or the terminal. A random outcome is a pure
function of the run's seed, the scene (a stable hash of its id) and how often
it was entered (`place_roll`): every random choice of one scene on one visit
reads the same roll, and no earlier choice elsewhere moves it. So the same
story, seed and choices always give the same run. Each scene is prepared once,
on first entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from zone.errors import StateError
from zone.expr import CompiledEffect
from zone.inline import Seen
from zone.inline import render as render_inline
from zone.model import Choice, Ending, Outcome, Scene, Story, Text, Value, show_value
from zone.state import GameState, plus_one

if TYPE_CHECKING:
    from zone.expr import Env

__all__ = ["ChoiceView", "Engine", "Frame", "Option", "pick_outcome", "place_of", "place_roll", "random_draw"]

_MASK = (1 << 64) - 1


def random_draw(seed: int, n: int) -> int:
    """The n-th 64-bit number of the run with this seed (SplitMix64)."""
    z = (seed * 0x9E3779B97F4A7C15 + (n + 1) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def place_of(scene: str) -> int:
    """A scene's place in the random stream: a 64-bit hash of its id, the same in every process."""
    return int.from_bytes(hashlib.blake2b(scene.encode("utf-8"), digest_size=8).digest(), "big")


def place_roll(seed: int, place: int, visit: int) -> int:
    """The roll of a run with `seed` in the scene at `place` (`place_of`) on its `visit`-th entry."""
    return random_draw(random_draw(seed, place), visit)


def pick_outcome(outcomes: tuple[Outcome, ...], roll: int) -> int:
    """The outcome a roll picks: `roll % total`, walking the weights in order. Two random choices with
    the same weights pick the same outcome from the same roll."""
    total = 0
    for outcome in outcomes:
        total += outcome.weight
    left = roll % total
    for i, outcome in enumerate(outcomes):
        if left < outcome.weight:
            return i
        left -= outcome.weight
    return len(outcomes) - 1


class ChoiceView(NamedTuple):
    index: int  # type: ignore[assignment]  # the number to pass to `choose` (0-based); shadows tuple.index
    text: str
    enabled: bool
    reason: str  # why it is disabled ("" when enabled)
    choice: Choice


class Frame(NamedTuple):
    scene: Scene
    text: str
    choices: tuple[ChoiceView, ...]

    @property
    def ending(self) -> Ending | None:
        return self.scene.ending

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def chapter(self) -> str:
        return self.scene.chapter


class Option(NamedTuple):
    """One choice of a scene, prepared once: where it is, and its condition as a plain closure."""

    scene: str
    position: int  # in Scene.choices (shown or not)
    choice: Choice
    test: Callable[[Env], Value] | None
    hidden: bool
    text: str | None  # the choice's text when it interpolates nothing
    key: str  # "scene#position": how reports name a choice


class _Room(NamedTuple):
    """A scene, prepared: its options, and its narration when no condition or name can change it.

    When no choice's text or reason interpolates a name, the choices a player sees
    depend only on which conditions hold, so `views` keeps them by that pattern.
    """

    scene: Scene
    options: tuple[Option, ...]
    always: int  # a bit for each choice without a condition (bit i for Scene.choices[i])
    tests: tuple[tuple[int, Callable[[Env], Value]], ...]  # (bit, condition) of every other choice
    on_enter: tuple[Callable[[dict[str, Value], Env], None], ...]
    narration: str | None
    shown: dict[int, tuple[tuple[Option, bool], ...]]  # the choices shown, by which conditions hold
    views: dict[int, tuple[ChoiceView, ...]] | None
    once: tuple[tuple[int, str], ...]  # (bit, key) of each once-only choice: the bit is set once it was taken
    moves_by_itself: bool  # the scene has a `next`, or a fallback choice that may be taken without a click
    place: int  # `place_of` the scene: where its random outcomes are rolled


# GameState(...) and Frame(...) without their keyword handling: both are built on every turn.
_new_state: Callable[[type[GameState], tuple[object, ...]], GameState] = tuple.__new__
_new_frame: Callable[[type[Frame], tuple[object, ...]], Frame] = tuple.__new__




class Engine:
    """Runs one story; holds no run state of its own (only scenes prepared on first use)."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self._rooms: dict[str, _Room] = {}

    # -- starting ----------------------------------------------------------------------
    def start(self, seed: int = 0, *, scene: str | None = None,
              values: Mapping[str, Value] | None = None) -> GameState:
        """A new run at the start scene (or `scene`), with optional starting values."""
        sid = scene or self.story.start
        if sid not in self.story.scenes:
            raise StateError(f"there is no scene '{sid}' in this pack")
        start_values = self.story.defaults
        if values:
            start_values.update(values)
        return self._enter(sid, start_values, {}, 0, seed, ())

    # -- reading -----------------------------------------------------------------------
    def render(self, text: Text, state: GameState) -> str:
        """Text as the player reads it now; variations follow how often this scene was entered."""
        plain = text.plain
        if plain is not None:
            return plain
        seen = Seen(state.scene, state.visits.get(state.scene, 1), state.seed)
        return render_inline(text.pieces, state, seen, show_value)  # type: ignore[arg-type]

    def narration(self, state: GameState) -> str:
        room = self.room(state.scene)
        if room.narration is not None:
            return room.narration
        parts = []
        for passage in room.scene.passages:
            if passage.condition is None or passage.condition.fn(state):
                parts.append(self.render(passage.text, state))
            elif passage.otherwise is not None:
                parts.append(self.render(passage.otherwise, state))
        return "\n\n".join(p for p in parts if p)

    def room(self, sid: str) -> _Room:
        """The scene `sid`, prepared (once)."""
        room = self._rooms.get(sid)
        if room is None:
            scene = self.story.scenes[sid]
            options = tuple(Option(sid, i, c, c.condition.fn if c.condition is not None else None, c.hidden,
                                   c.text.plain, f"{sid}#{i}") for i, c in enumerate(scene.choices))
            fixed = all(p.condition is None and p.text.plain is not None for p in scene.passages)
            narration = "\n\n".join(p.text.plain for p in scene.passages if p.text.plain) if fixed else None
            plain = all(c.text.plain is not None and (c.reason is None or c.reason.plain is not None)
                        for c in scene.choices)
            room = self._rooms[sid] = _Room(
                scene, options, sum(1 << o.position for o in options if o.test is None),
                tuple((1 << o.position, o.test) for o in options if o.test is not None),
                tuple(e.apply for e in scene.on_enter), narration, {}, {} if plain else None,
                tuple((1 << (len(options) + o.position), o.choice.once) for o in options if o.choice.once),
                any(c.auto or c.fallback for c in scene.choices), place_of(sid))
        return room

    @staticmethod
    def _holds(room: _Room, state: GameState) -> int:
        """Which choices can be taken now: bit i for Scene.choices[i] (no condition, or one that holds)."""
        holds = room.always
        for bit, test in room.tests:
            if test(state):
                holds |= bit
        for bit, key in room.once:
            if state.values[key]:
                holds |= bit
        return holds

    def holds(self, state: GameState) -> int:
        """Which choices of the scene can be taken now, shown or hidden: bit i for Scene.choices[i]; and,
        above those bits, bit n + i for a once-only choice already taken (n choices in the scene)."""
        return self._holds(self._rooms.get(state.scene) or self.room(state.scene), state)

    def options(self, state: GameState, holds: int | None = None) -> tuple[tuple[Option, bool], ...]:
        """The choices shown in this state, each with whether it can be taken; `holds` when known already.

        Shown are all but the hidden choices that cannot be taken; a choice's
        position here is its number on screen (0-based), the one `choose` takes.
        Worked out once per scene and pattern of conditions.
        """
        room = self._rooms.get(state.scene) or self.room(state.scene)
        if holds is None:
            holds = self._holds(room, state)
        shown = room.shown.get(holds)
        if shown is None:
            shown = room.shown[holds] = self._shown(room.options, holds)
        return shown

    @staticmethod
    def _shown(options: tuple[Option, ...], holds: int) -> tuple[tuple[Option, bool], ...]:
        """The rules of what is shown: a hidden choice only when it can be taken; a once-only choice
        only until it is taken; a fallback only when no other choice can be taken."""
        gone = holds >> len(options)
        regular = any(holds >> o.position & 1 and not gone >> o.position & 1 and not o.choice.fallback
                      for o in options)
        return tuple((o, bool(holds >> o.position & 1)) for o in options
                     if not gone >> o.position & 1 and not (o.choice.fallback and regular)
                     and (holds >> o.position & 1 or not o.hidden))

    def frame(self, state: GameState, passed: tuple[str, ...] = ()) -> Frame:
        """What the player reads in `state`; `passed` is the narration of the scenes `advance` went
        through to get here, read first."""
        room = self._rooms.get(state.scene) or self.room(state.scene)
        narration = room.narration if room.narration is not None else self.narration(state)
        if passed:
            narration = "\n\n".join(t for t in (*passed, narration) if t)
        cache = room.views
        if cache is None:
            return _new_frame(Frame, (room.scene, narration, self._views(state, self.options(state))))
        holds = self._holds(room, state)
        views = cache.get(holds)
        if views is None:
            views = cache[holds] = self._views(state, self.options(state))
        return _new_frame(Frame, (room.scene, narration, views))

    def _views(self, state: GameState, shown: tuple[tuple[Option, bool], ...]) -> tuple[ChoiceView, ...]:
        views = []
        for i, (option, enabled) in enumerate(shown):
            choice = option.choice
            reason = ""
            if not enabled:
                reason = self.render(choice.reason, state) if choice.reason is not None else "Not now."
            text = option.text if option.text is not None else self.render(choice.text, state)
            views.append(ChoiceView(i, text, enabled, reason, choice))
        return tuple(views)

    # -- moving ------------------------------------------------------------------------
    def choose(self, state: GameState, index: int, frame: Frame | None = None) -> GameState:
        """Take the `index`-th shown choice (0-based) and return the state after it.

        `frame` is this state's frame when the caller has it already, so that the
        choices are not worked out twice. Raises StateError for a choice that is
        not there or cannot be taken now.
        """
        shown = frame.choices if frame is not None else self.frame(state).choices
        if not 0 <= index < len(shown):
            raise StateError(f"there is no choice {index + 1} here")
        view = shown[index]
        if not view.enabled:
            raise StateError(f"choice {index + 1} cannot be taken now: {view.reason}")
        return self.take(state, view.choice)

    def drawn(self, state: GameState, choice: Choice) -> int:
        """The outcome of the random `choice` that this scene's roll on this visit picks."""
        place = (self._rooms.get(state.scene) or self.room(state.scene)).place
        roll = place_roll(state.seed, place, state.visits.get(state.scene, 0))
        return pick_outcome(choice.outcomes, roll)

    @staticmethod
    def paths(choice: Choice, returns: Iterable[str] = ()) -> list[tuple[tuple[CompiledEffect, ...], str]]:
        """Each way `choice` can go: the effects run before the scene is entered, in order, and that scene.

        A call enters the called scene; a return enters the scene on top of the stack,
        one of `returns` (`zone.calls.return_targets` of the choice's scene). After the effects the turn
        counts one, then the visit of the scene entered, then its `on_enter`.
        """
        if choice.goto is not None:
            return [(choice.effects, choice.goto)]
        if choice.branches:
            return [(choice.effects, b.goto) for b in choice.branches]
        if choice.call is not None:
            return [(choice.effects, choice.call.scene)]
        if choice.returns:
            return [(choice.effects, target) for target in returns]
        return [(choice.effects + o.effects, o.goto) for o in choice.outcomes]

    def take(self, state: GameState, choice: Choice, outcome: int | None = None) -> GameState:
        """Apply `choice` (already known to be enabled) to `state`; `outcome` forces a random choice's outcome.

        Raises StateError only for a state no checked pack leads to (a crafted save): a
        return with nothing to return to, or a call past the pack's `max_call_depth`.
        """
        scene, values, visits, turn, seed, stack = state
        values = dict(values)
        # what the choice's effects read: the values as they change, the visits and turn as they were
        scratch = _new_state(GameState, (scene, values, visits, turn, seed, stack))
        for effect in choice.effects:
            effect.apply(values, scratch)
        target = choice.goto
        if target is None:
            if choice.branches:
                # the first way whose condition holds after the choice's effects; the last has none
                target = next(b.goto for b in choice.branches if b.condition is None or b.condition.fn(scratch))
            elif choice.outcomes:
                chosen = choice.outcomes[self.drawn(state, choice) if outcome is None else outcome]
                for effect in chosen.effects:
                    effect.apply(values, scratch)
                target = chosen.goto
            else:
                target, stack = self._called(scene, choice, stack)
        # `turn` counts the player's choices: a scene's `next` and a fallback are not
        return self._enter(target, values, visits, turn if choice.auto or choice.fallback else turn + 1, seed,
                           stack)

    def _called(self, scene: str, choice: Choice, stack: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """Where a call or a return leads, and the stack after it."""
        call = choice.call
        if call is not None:
            if len(stack) >= self.story.max_call_depth:
                raise StateError(f"calls nest deeper than this pack allows ({self.story.max_call_depth})")
            return call.scene, (*stack, call.after or scene)
        if not stack:
            raise StateError(f"'{scene}' returns, but there is no call to return from (it was not entered by a call)")
        return stack[-1], stack[:-1]

    def advance(self, state: GameState) -> tuple[GameState, tuple[str, ...]]:
        """Follow each scene's `next` from `state` to where the player chooses again.

        Returns that state and the narration of every scene passed on the way, each
        rendered as it stood when it was entered, for the player to read before the
        next frame; a fallback that is the only choice left is taken the same way. `zone check`
        refuses a loop of `next` with no choice in it.
        """
        passed: list[str] = []
        for _ in range(len(self.story.scenes) + 1):
            room = self._rooms.get(state.scene) or self.room(state.scene)
            if not room.moves_by_itself:  # most scenes: nothing to work out on the way through a turn
                break
            choices = room.scene.choices
            if choices[0].auto:
                by_itself = choices[0]
            else:
                enabled = [o.choice for o, can in self.options(state) if can]
                if not enabled or not all(c.fallback for c in enabled):
                    break
                by_itself = enabled[0]
            passed.append(self.narration(state))
            state = self.take(state, by_itself)
        # a round of fallbacks that never ends stops here: the player sees the fallback and takes it
        return state, tuple(passed)

    def _enter(self, target: str, values: dict[str, Value], visits: Mapping[str, int], turn: int, seed: int,
               stack: tuple[str, ...]) -> GameState:
        """The state on entering `target`: one more visit, then the scene's `on_enter` effects."""
        state = _new_state(GameState, (target, values, plus_one(visits, target), turn, seed, stack))
        for apply in (self._rooms.get(target) or self.room(target)).on_enter:
            apply(values, state)
        return state
