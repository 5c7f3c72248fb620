"""The game state: small plain data that round-trips through JSON.

A state holds ids and values only, never references into the story: the scene
id, every variable's value, how often each scene was entered, the turn, the
run's seed (random outcomes are a pure function of it, the scene and its visit
count), and the stack of scenes that called scenes return to. `to_dict` keeps only what
differs from the story's defaults; `from_dict` checks everything against the
story before a state is built from it, since saves come from outside.

Visits are never changed in place: `plus_one` makes new counts, a small dict
copied whole while a run has entered few scenes, past that a `Visits` trie
sharing all but a few small nodes with the old one, so a turn costs the same
after ten scenes or ten thousand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from zone.errors import StateError
from zone.model import Story, Value

__all__ = ["GameState", "MAX_SEED", "Visits", "plus_one"]

MAX_SEED = 2**63 - 1


_FAN = 32  # children per trie node: two levels hold 1,024 leaves
_SMALL = 128  # up to this many scenes, visits are one plain dict, copied whole (as fast as the trie)


def plus_one(visits: Mapping[str, int], key: str) -> Mapping[str, int]:
    """`visits` with one more visit to `key`; `visits` itself is never changed.

    Up to `_SMALL` scenes the counts are a plain dict, copied; past that they are a
    `Visits` trie, so that a turn never copies more than a few small nodes.
    """
    if type(visits) is dict:
        count = visits.get(key, 0)
        if count or len(visits) < _SMALL:
            out = visits.copy()
            out[key] = count + 1
            return out
        return Visits({**visits, key: 1})
    if type(visits) is Visits:
        return visits.plus_one(key)
    return plus_one(dict(visits), key)


class Visits(Mapping[str, int]):
    """Visit counts past `_SMALL` scenes: an immutable map, in the order scenes were first entered.

    A hash trie of two levels of 32 with a small dict at each leaf: `plus_one`
    copies two 32-slot lists and one leaf (a few names even in a pack of tens of
    thousands of scenes), never the whole map.
    """

    __slots__ = ("_root", "_order", "_len")

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._len = len(counts)
        self._order: tuple[str, object] | None = None  # (newest first-visited name, older ...)
        self._root: list[list[dict[str, int] | None] | None] = [None] * _FAN
        for key, count in counts.items():
            self._order = (key, self._order)
            h = hash(key)
            inner = self._root[h & 31]
            if inner is None:
                inner = self._root[h & 31] = [None] * _FAN
            leaf = inner[(h >> 5) & 31]
            if leaf is None:
                leaf = inner[(h >> 5) & 31] = {}
            leaf[key] = count

    def get(self, key: str, default: Any = None) -> Any:
        h = hash(key)
        inner = self._root[h & 31]
        if inner is None:
            return default
        leaf = inner[(h >> 5) & 31]
        return default if leaf is None else leaf.get(key, default)

    def __getitem__(self, key: str) -> int:
        count: int | None = self.get(key)
        if count is None:
            raise KeyError(key)
        return count

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[str]:
        names = []
        node = self._order
        while node is not None:
            names.append(node[0])
            node = node[1]  # type: ignore[assignment]
        return reversed(names)

    def __repr__(self) -> str:
        return f"Visits({dict(self)!r})"

    def plus_one(self, key: str) -> Visits:
        """A new map with one more visit to `key`; this one is unchanged."""
        h = hash(key)
        a, b = h & 31, (h >> 5) & 31
        root = self._root.copy()
        inner = root[a]
        inner = [None] * _FAN if inner is None else inner.copy()
        root[a] = inner
        leaf = inner[b]
        out = Visits.__new__(Visits)
        out._root = root
        count = 0 if leaf is None else leaf.get(key, 0)
        inner[b] = {key: 1} if leaf is None else {**leaf, key: count + 1}
        if count:
            out._order, out._len = self._order, self._len
        else:
            out._order, out._len = (key, self._order), self._len + 1
        return out


class GameState(NamedTuple):
    scene: str
    values: Mapping[str, Value]
    visits: Mapping[str, int]
    turn: int
    seed: int
    stack: tuple[str, ...]  # where each pending `return` leads, innermost last

    def to_dict(self, story: Story) -> dict[str, Any]:
        changed = {k: v for k, v in self.values.items() if story.stats[k].default != v}
        return {
            "scene": self.scene,
            "values": changed,
            "visits": dict(self.visits),
            "turn": self.turn,
            "seed": self.seed,
            "stack": list(self.stack),
        }

    @classmethod
    def from_dict(cls, data: object, story: Story) -> GameState:
        """Build a state from plain data, refusing anything that does not fit `story`."""
        if not isinstance(data, dict):
            raise StateError("the saved state is not a mapping")
        unknown = set(data) - {"scene", "values", "visits", "turn", "seed", "stack"}
        if unknown:
            raise StateError(f"the saved state has unknown fields: {', '.join(sorted(unknown))}")
        scene = data.get("scene")
        if not isinstance(scene, str):
            raise StateError("the saved state has no scene")
        if scene not in story.scenes:
            raise StateError(f"the saved scene '{scene}' is not in this pack")
        values = _values(data.get("values", {}), story)
        visits = _visits(data.get("visits", {}), story)
        numbers = {}
        stack = _stack(data.get("stack", []), story)
        for field in ("turn", "seed"):
            value = data.get(field, 0)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
                raise StateError(f"the saved {field} is not a whole number from 0 to {MAX_SEED}")
            numbers[field] = value
        return cls(scene, values, visits, numbers["turn"], numbers["seed"], stack)


def _values(raw: object, story: Story) -> dict[str, Value]:
    """Every value of the story: its default, or the saved one when it is declared and fits."""
    if not isinstance(raw, dict):
        raise StateError("the saved values are not a mapping")
    values: dict[str, Value] = story.defaults
    for key, value in raw.items():
        stat = story.stats.get(key)
        if stat is None:
            raise StateError(f"the saved value '{key}' is not declared in this pack")
        if stat.type == "bool":
            if not isinstance(value, bool):
                raise StateError(f"the saved value '{key}' should be true or false")
        else:
            if not isinstance(value, int) or isinstance(value, bool):
                raise StateError(f"the saved value '{key}' should be a whole number")
            if not stat.lo <= value <= stat.hi:
                raise StateError(f"the saved value {key} = {value} is outside [{stat.lo}, {stat.hi}]")
        values[key] = value
    return values


def _visits(raw: object, story: Story) -> Mapping[str, int]:
    if not isinstance(raw, dict):
        raise StateError("the saved visits are not a mapping")
    for key, count in raw.items():
        if key not in story.scenes:
            raise StateError(f"the saved visits name a scene '{key}' that is not in this pack")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise StateError(f"the saved visit count of '{key}' is not a whole number")
    return dict(raw) if len(raw) <= _SMALL else Visits(raw)


def _stack(raw: object, story: Story) -> tuple[str, ...]:
    """The scenes pending returns lead to: at most the pack's `max_call_depth`, each a scene of the pack."""
    if not isinstance(raw, list):
        raise StateError("the saved stack is not a list")
    if len(raw) > story.max_call_depth:
        raise StateError(f"the saved stack holds {len(raw)} calls; this pack allows at most {story.max_call_depth}")
    for sid in raw:
        if not isinstance(sid, str) or sid not in story.scenes:
            raise StateError(f"the saved stack names a scene '{sid}' that is not in this pack")
    return tuple(raw)
