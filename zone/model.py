"""The compiled story: frozen, checked, and free of source text handling.

Scenes and choices refer to each other by id. Nothing here changes once the
compiler has built it, so a story can be shared by any number of runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from zone.diagnostics import Position
from zone.expr import Compiled, CompiledEffect, Symbols
from zone.inline import Pieces, plain_text

__all__ = [
    "DEFAULT_CALL_DEPTH",
    "MAX_CALL_DEPTH",
    "Branch",
    "Call",
    "Character",
    "Choice",
    "Ending",
    "Outcome",
    "Passage",
    "Scene",
    "Stat",
    "Story",
    "Text",
    "Value",
    "show_value",
    "symbols_of",
    "ways_on",
]

DEFAULT_CALL_DEPTH = 8  # how deep called scenes may nest when story.yaml does not say
MAX_CALL_DEPTH = 64  # the most a pack may declare (`max_call_depth`), and so the most a save may hold

Value = int | bool


def show_value(value: Value) -> str:
    """A value as a player or an author reads it: `yes`/`no` for true/false, digits for numbers."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Stat(NamedTuple):
    """A tracked value: a character's stat, a flag or an item."""

    key: str  # "writer.trust", "flags.voice_heard", "nuts"
    name: str  # "trust"
    owner: str  # character id, "flags" or "items"
    type: str  # "int", "bool", or "enum:KEY" (a value among `members`)
    default: Value
    lo: int
    hi: int
    about: str
    pos: Position
    label: str = ""  # the name shown to the player (`name:`, "Nuts"); "" when the pack gives none
    members: tuple[str, ...] = ()  # an enumeration's values by name; its value is an index into them
    shown_when: Compiled | None = None  # when it appears in :status (None: always)
    rises: str = ""  # the author's words when it goes up (becomes true); "" for the neutral note
    falls: str = ""  # ... when it goes down (becomes false)
    pinned: bool = False  # `pin: true`: on the status line under its character's name

    @property
    def shown(self) -> str:
        """What to call this value on screen: its label, else its key."""
        return self.label or self.key

    def said(self, value: Value) -> str:
        """A value as reports state it: `writer.trust=3`, `mood=calm`, and a once-only choice as the game
        numbers it, `choice 3 of scene 'gate' taken=yes` (its key, `once.gate_2`, is for saves only)."""
        shown = self.members[int(value)] if self.members else show_value(value)
        return f"{self.label if self.owner == 'once' else self.key}={shown}"


class Character(NamedTuple):
    id: str
    name: str
    about: str
    stats: tuple[str, ...]  # keys into Story.stats, in declaration order
    pos: Position


class Text(NamedTuple):
    """Author text, parsed once: literal runs and inline pieces (`{name}`, `{if ...: ...}`, ...)."""

    pieces: Pieces
    pos: Position
    source: str = ""  # as written (re-flowed), for tools and the compile cache

    @property
    def plain(self) -> str | None:
        """The text when it holds no braces, else None."""
        return plain_text(self.pieces)


class Passage(NamedTuple):
    """One part of a scene's narration, shown when its condition holds."""

    text: Text
    condition: Compiled | None
    otherwise: Text | None


class Outcome(NamedTuple):
    weight: int
    effects: tuple[CompiledEffect, ...]
    goto: str
    pos: Position


class Branch(NamedTuple):
    """One way of a conditional destination: taken when its condition holds (None: the default, last)."""

    condition: Compiled | None
    goto: str
    pos: Position


class Call(NamedTuple):
    """A call of a scene that comes back: enter `scene`; its `return` leads to `after` (None: the calling scene)."""

    scene: str
    after: str | None
    pos: Position


class Choice(NamedTuple):
    """A choice; it leads to `goto`, or to the first of `branches` whose condition holds, or to a drawn outcome,
    or into a called scene (`call`), or back from one (`returns`) to the scene on top of the run's stack.

    An `auto` choice is a scene's `next`: taken without a click, as soon as the scene is entered.
    A `once` choice is gone after it is taken; a `fallback` choice is shown only when no
    other choice can be taken, and then taken without a click.
    """

    text: Text
    condition: Compiled | None
    reason: Text | None  # shown when the condition fails
    hidden: bool  # hide instead of showing disabled
    effects: tuple[CompiledEffect, ...]
    goto: str | None
    outcomes: tuple[Outcome, ...]
    pos: Position
    branches: tuple[Branch, ...] = ()
    auto: bool = False
    once: str = ""  # the key of the value that remembers a once-only choice was taken ("" for others)
    fallback: bool = False  # taken by itself when no other choice can be
    call: Call | None = None
    returns: bool = False  # `return: true`: back to where the scene that was called was called from

    @property
    def targets(self) -> tuple[str, ...]:
        """The scenes this choice can lead to, as written: a call's scene and the scene after it; nothing
        for a return (it leads wherever the call came from: see `ways_on`)."""
        if self.goto is not None:
            return (self.goto,)
        if self.branches:
            return tuple(dict.fromkeys(b.goto for b in self.branches))
        if self.call is not None:
            return (self.call.scene,) if self.call.after is None else (self.call.scene, self.call.after)
        return tuple(o.goto for o in self.outcomes)


class Ending(NamedTuple):
    id: str
    title: str
    pos: Position


class Scene(NamedTuple):
    id: str
    title: str
    chapter: str
    file: str
    passages: tuple[Passage, ...]
    on_enter: tuple[CompiledEffect, ...]
    choices: tuple[Choice, ...]
    ending: Ending | None
    pos: Position

    def texts(self) -> Iterator[Text]:
        """Every text of the scene that may hold inline text: passages and their else, choices, reasons."""
        for passage in self.passages:
            yield passage.text
            if passage.otherwise is not None:
                yield passage.otherwise
        for choice in self.choices:
            yield choice.text
            if choice.reason is not None:
                yield choice.reason


class Story(NamedTuple):
    id: str
    title: str
    version: str
    about: str
    start: str
    characters: Mapping[str, Character]
    stats: Mapping[str, Stat]  # every variable by key, in declaration order
    scenes: Mapping[str, Scene]  # in file order
    endings: Mapping[str, Ending]
    chapters: tuple[str, ...]  # chapter titles in file order
    files: tuple[str, ...]
    content_hash: str
    max_call_depth: int = DEFAULT_CALL_DEPTH  # the most calls a run's stack may hold at once

    @property
    def defaults(self) -> dict[str, Value]:
        return {key: stat.default for key, stat in self.stats.items()}


def symbols_of(stats: Mapping[str, Stat], characters: Iterable[str], scenes: frozenset[str] = frozenset()) -> Symbols:
    """The names an expression may use, with their types, ranges and enumerations' values."""
    return Symbols(
        variables=MappingProxyType({k: s.type for k, s in stats.items()}),
        ranges=MappingProxyType({k: (s.lo, s.hi) for k, s in stats.items() if s.type != "bool"}),
        entities=frozenset(characters) | {"flags"},
        scenes=scenes,
        members=MappingProxyType({k: s.members for k, s in stats.items() if s.members}),
    )


def ways_on(choice: Choice, returns: tuple[str, ...]) -> tuple[str, ...]:
    """The scenes `choice` can lead to next: its targets, or for a return every one of `returns`
    (`zone.calls.return_targets` of its scene); for a call only the called scene, which is entered first."""
    if choice.returns:
        return returns
    if choice.call is not None:
        return (choice.call.scene,)
    return choice.targets
