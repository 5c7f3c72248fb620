"""What the game loop shows and reads, independent of how: the plain and the rich front ends.

The loop in `zone.tui.game` speaks only to a `View` (output) and a `Reader`
(input). Plain mode implements both with bare text; the terminal front end with
rich and prompt_toolkit. The small data classes here are what both render, so
the status of the characters or the ending screen is computed once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from zone.engine import Frame
from zone.errors import StateError
from zone.model import Story, Value, show_value
from zone.run import JournalEntry, Run
from zone.saves.slots import SlotInfo
from zone.state import GameState

__all__ = [
    "CommandHelp",
    "EndingSummary",
    "MenuItem",
    "Party",
    "Reader",
    "StatLine",
    "Status",
    "StatusLine",
    "View",
    "ending_summary",
    "menu_of",
    "saved_when",
    "status_line_of",
    "status_of",
]


ROUTE_LIMIT = 12  # places named on the ending screen before the middle is elided


class MenuItem(NamedTuple):
    """One line the player can pick: a story choice, or an entry of the title or ending menu."""

    text: str
    enabled: bool = True
    reason: str = ""


class StatLine(NamedTuple):
    name: str  # as shown: "Trust"
    type: str  # "int", "bool" or "enum:KEY"
    value: Value
    lo: int
    hi: int
    text: str = ""  # a named value as words ("truth"); "" for numbers and true/false


class Party(NamedTuple):
    """A character and their stats, in the order the pack declares them."""

    name: str
    stats: tuple[StatLine, ...]


class Status(NamedTuple):
    parties: tuple[Party, ...]
    items: tuple[StatLine, ...]


class StatusLine(NamedTuple):
    """What the status line under the choices shows: the chapter, and each character's pinned stats."""

    chapter: str
    parties: tuple[Party, ...]


class EndingSummary(NamedTuple):
    title: str  # the ending's title
    route: tuple[str, ...]  # the way here in brief: chapters, or scenes in a one-chapter pack
    choices: int
    status: Status
    found: int  # endings of this pack the player has reached, across runs
    total: int
    new: bool  # this ending was reached for the first time


class CommandHelp(NamedTuple):
    usage: str  # ":save [slot]"
    about: str


def _label(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def _line(story: Story, key: str, value: Value) -> StatLine:
    """A value as listed: under the name its pack gives it, else under its id, capitalised."""
    stat = story.stats[key]
    members = stat.members
    text = members[int(value)] if members and 0 <= int(value) < len(members) else ""
    return StatLine(stat.label or _label(stat.name), stat.type, value, stat.lo, stat.hi, text)


def _shown(story: Story, key: str, state: GameState) -> bool:
    """Whether :status lists the value `key` yet (its `shown` condition, when it has one, holds)."""
    when = story.stats[key].shown_when
    return when is None or bool(when.fn(state))


def _lines(story: Story, state: GameState, keys: Iterable[str]) -> tuple[StatLine, ...]:
    """The lines of the values that are shown yet."""
    return tuple(_line(story, key, state.values[key]) for key in keys if _shown(story, key, state))


def _visible(story: Story, state: GameState) -> list[str]:
    """The keys :status lists in `state`, in its order."""
    status_keys = [k for c in story.characters.values() for k in c.stats]
    status_keys += [k for k, s in story.stats.items() if (s.owner == "vars" and s.label) or s.owner == "items"]
    return [k for k in status_keys if _shown(story, k, state)]


def changes_of(story: Story, before: GameState, after: GameState) -> tuple[str, ...]:
    """A note for each value :status shows that a choice changed: in the author's words where the pack
    gives them (`rises`, `falls`), else a neutral line ("The Writer: Trust falls to 3.")."""
    notes = []
    for key in _visible(story, after):
        old, new = before.values[key], after.values[key]
        if old == new:
            continue
        stat = story.stats[key]
        words = stat.rises if new > old else stat.falls
        if words:
            notes.append(words)
            continue
        line = _line(story, key, new)
        owner = story.characters.get(stat.owner)
        who = f"{owner.name}: " if owner is not None else ""
        if stat.type == "int":
            notes.append(f"{who}{line.name} {'rises' if new > old else 'falls'} to {new}.")
        else:
            notes.append(f"{who}{line.name}: {line.text or show_value(new)}.")
    return tuple(notes)


def status_of(story: Story, state: GameState) -> Status:
    """The characters, the story's named values and the items of `story`, with their values in `state`.

    A value whose `shown` condition does not hold yet is left out, and so is a
    character with nothing shown; a story-wide value is listed only when it has a name.
    """
    parties = [Party(character.name, _lines(story, state, character.stats))
               for character in story.characters.values()]
    named = [key for key, stat in story.stats.items() if stat.owner == "vars" and stat.label]
    parties.append(Party(story.title, _lines(story, state, named)))
    items = _lines(story, state, (key for key, stat in story.stats.items() if stat.owner == "items"))
    return Status(tuple(p for p in parties if p.stats), items)


def status_line_of(story: Story, state: GameState, chapter: str) -> StatusLine | None:
    """The status line in `state`: the stats the pack pins (`pin: true`) of each character met so far,
    that is, whose pinned stats are shown; None for a story that pins nothing, which has no status line."""
    pinned = [(c.name, [k for k in c.stats if story.stats[k].pinned]) for c in story.characters.values()]
    if not any(keys for _, keys in pinned):
        return None
    parties = (Party(name, _lines(story, state, keys)) for name, keys in pinned)
    return StatusLine(chapter, tuple(p for p in parties if p.stats))


def _route(names: list[str]) -> tuple[str, ...]:
    route: list[str] = []
    for name in names:
        if not route or route[-1] != name:
            route.append(name)
    if len(route) > ROUTE_LIMIT:
        route = [*route[:ROUTE_LIMIT // 2], "...", *route[-(ROUTE_LIMIT // 2 - 1):]]
    return tuple(route)


def ending_summary(run: Run, found: Iterable[str], *, new: bool) -> EndingSummary:
    """What the ending screen says about `run`; `found` are the ending ids this player has reached so far.

    The route is the chapters passed through, or the scenes when the story has
    only one chapter; a run whose journal no longer replays has no route.
    """
    story = run.engine.story
    ending = run.frame().ending
    assert ending is not None
    try:
        entries = run.journal()
    except StateError:
        entries = []
    route = _route([e.chapter for e in entries])
    if len(set(route)) < 2:
        route = _route([e.title for e in entries])
    return EndingSummary(ending.title, route, len(run.choices), status_of(story, run.state),
                         len(set(found) & set(story.endings)), len(story.endings), new)


def saved_when(saved_at: float) -> str:
    """When a slot was saved, in the player's local time."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at))


def menu_of(frame: Frame) -> list[MenuItem]:
    return [MenuItem(view.text, view.enabled, view.reason) for view in frame.choices]


class View(Protocol):
    """Everything the game shows. Author text arrives as plain strings and must be shown literally."""

    def frame(self, frame: Frame) -> None: ...

    def menu(self, items: Sequence[MenuItem]) -> None: ...

    def chosen(self, text: str) -> None: ...

    def status(self, status: Status) -> None: ...

    def journal(self, entries: Sequence[JournalEntry]) -> None: ...

    def slots(self, slots: Sequence[SlotInfo]) -> None: ...

    def help(self, commands: Sequence[CommandHelp]) -> None: ...

    def ending(self, summary: EndingSummary) -> None: ...

    def title(self, story: Story) -> None: ...

    def note(self, text: str) -> None: ...

    def problem(self, text: str) -> None: ...

    def problems(self, heading: str, lines: Sequence[str]) -> None: ...


class Reader(Protocol):
    """Where the player's answers come from; raises EOFError at the end and KeyboardInterrupt on Ctrl-C."""

    def read(self, items: Sequence[MenuItem]) -> str: ...

    def set_slots(self, slots: Sequence[str]) -> None: ...

    def set_status(self, line: StatusLine | None) -> None: ...  # None hides the status line
