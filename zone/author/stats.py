"""`zone stats`: how big a pack is, and how long its routes are.

Words are counted in everything the player reads (narration, its `else`
parts, choice texts and reasons); an interpolated `{name}` counts as one word.
Routes follow the story map and ignore conditions: the shortest route is the
fewest choices from the start to an ending; the longest is the most choices on
a way that never goes back to a scene it already passed (loops are not counted
round again). `zone prove` gives the shortest routes the conditions allow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from zone.inline import literal_words
from zone.model import Scene, Story, Text

__all__ = ["Count", "PackStats", "RouteLength", "pack_stats", "words"]

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Count:
    name: str  # a file name or a chapter title
    scenes: int
    choices: int
    endings: int
    words: int


@dataclass(frozen=True, slots=True)
class RouteLength:
    ending: str
    title: str
    shortest: int | None  # None: not on the map from the start
    longest: int | None


@dataclass(frozen=True)
class PackStats:
    files: tuple[Count, ...]
    chapters: tuple[Count, ...]
    total: Count
    routes: tuple[RouteLength, ...]


def words(text: Text | None) -> int:
    if text is None:
        return 0
    flat = literal_words(text.pieces)
    return len(_WORD.findall(flat))


def _scene_words(scene: Scene) -> int:
    n = sum(words(p.text) + words(p.otherwise) for p in scene.passages)
    return n + sum(words(c.text) + words(c.reason) for c in scene.choices)


def _count(name: str, scenes: list[Scene]) -> Count:
    return Count(name, len(scenes), sum(len(s.choices) for s in scenes),
                 sum(1 for s in scenes if s.ending is not None), sum(_scene_words(s) for s in scenes))


def _successors(story: Story) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for scene in story.scenes.values():
        targets: list[str] = []
        for choice in scene.choices:
            targets.extend(t for t in choice.targets if t not in targets)
        out[scene.id] = targets
    return out


def _shortest(story: Story, succ: dict[str, list[str]]) -> dict[str, int]:
    dist = {story.start: 0}
    frontier = [story.start]
    while frontier:
        nxt = []
        for sid in frontier:
            for t in succ[sid]:
                if t not in dist:
                    dist[t] = dist[sid] + 1
                    nxt.append(t)
        frontier = nxt
    return dist


def _longest(story: Story, succ: dict[str, list[str]]) -> dict[str, int]:
    """Longest distances from the start once every edge back into the current path is dropped."""
    order: list[str] = []  # post-order of a depth-first walk
    state: dict[str, int] = {}  # 1 on the path, 2 done
    kept: dict[str, list[str]] = {sid: [] for sid in story.scenes}
    stack: list[tuple[str, int]] = [(story.start, 0)]
    state[story.start] = 1
    while stack:
        sid, i = stack.pop()
        if i < len(succ[sid]):
            stack.append((sid, i + 1))
            t = succ[sid][i]
            if state.get(t) == 1:
                continue  # an edge back into the path: a loop
            kept[sid].append(t)
            if t not in state:
                state[t] = 1
                stack.append((t, 0))
        else:
            state[sid] = 2
            order.append(sid)
    longest = {story.start: 0}
    for sid in reversed(order):
        if sid in longest:
            for t in kept[sid]:
                longest[t] = max(longest.get(t, 0), longest[sid] + 1)
    return longest


def pack_stats(story: Story) -> PackStats:
    by_file: dict[str, list[Scene]] = {}
    by_chapter: dict[str, list[Scene]] = {}
    for scene in story.scenes.values():
        by_file.setdefault(PurePath(scene.file).name, []).append(scene)
        by_chapter.setdefault(scene.chapter, []).append(scene)
    succ = _successors(story)
    # A partial story (of a pack with errors) may lack its start: then no route is known.
    short, long_ = (_shortest(story, succ), _longest(story, succ)) if story.start in story.scenes else ({}, {})
    routes = tuple(RouteLength(s.ending.id, s.ending.title, short.get(s.id), long_.get(s.id))
                   for s in story.scenes.values() if s.ending is not None)
    order = {title: i for i, title in enumerate(story.chapters)}
    chapters = sorted(by_chapter.items(), key=lambda item: order.get(item[0], len(order)))
    return PackStats(tuple(_count(n, s) for n, s in by_file.items()),
                     tuple(_count(n, s) for n, s in chapters),
                     _count("total", list(story.scenes.values())), routes)
