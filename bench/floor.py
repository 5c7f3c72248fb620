"""The floor for a turn: a bare dict-and-closure state machine playing a synthetic pack.

No engine, no records, no immutable states: one dict of values and one of visits,
changed in place; each scene's narration and choice texts as strings; each
condition and effect a closure, effects clamped to their range. A turn does the
work a player sees (the narration, every choice's text and whether it can be
taken) and the work of a choice (its effects, a weighted roll by place, as the
engine rolls it: from the seed, the scene and its visit; entering the next
scene). The engine's turn is reported beside it as a ratio.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from typing import Any

from bench.synthetic import STATS

__all__ = ["Floor"]

_MASK = (1 << 64) - 1
_OPS: dict[str, Callable[[int, int], int]] = {"+=": operator.add, "-=": operator.sub}
_CMP: dict[str, Callable[[int, int], bool]] = {">": operator.gt, "<": operator.lt}

Values = dict[str, Any]
Effect = Callable[[Values], None]


def _draw(seed: int, n: int) -> int:
    z = (seed * 0x9E3779B97F4A7C15 + (n + 1) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _effect(source: str) -> Effect:
    """The synthetic pack's effects: `x += n`, `x -= n`, `x = true`, `x = not x`."""
    name, op, rest = source.split(" ", 2)
    if op in _OPS:
        fn, amount, (lo, hi) = _OPS[op], int(rest), STATS[name][1:]

        def update(v: Values) -> None:
            x = fn(v[name], amount)
            v[name] = lo if x < lo else hi if x > hi else x
        return update
    if rest == "true":
        return lambda v: v.__setitem__(name, True)
    return lambda v: v.__setitem__(name, not v[name])


def _condition(source: str | None) -> Callable[[Values], bool] | None:
    """The synthetic pack's conditions: `a > n and b < m`."""
    if source is None:
        return None
    tests = []
    for part in source.split(" and "):
        name, op, n = part.split(" ")
        tests.append((name, _CMP[op], int(n)))
    return lambda v: all(cmp(v[name], n) for name, cmp, n in tests)


class Floor:
    """One run at a time over the pack's scenes (from `synthetic.scenes`)."""

    def __init__(self, pack: list[dict[str, Any]]) -> None:
        self.scenes: dict[str, dict[str, Any]] = {}
        for scene in pack:
            choices = []
            for c in scene["choices"]:
                outcomes = [(w, goto, [_effect(e) for e in effects]) for w, goto, effects in c.get("random") or ()]
                choices.append({"text": c["text"], "test": _condition(c["if"]), "do": [_effect(e) for e in c["do"]],
                                "goto": c["goto"], "random": outcomes, "total": sum(w for w, _, _ in outcomes),
                                "targets": [c["goto"]] if c["goto"] else [g for _, g, _ in outcomes]})
            place = int.from_bytes(hashlib.blake2b(scene["id"].encode(), digest_size=8).digest(), "big")
            self.scenes[scene["id"]] = {"text": "\n\n".join(scene["passages"]), "ending": scene["ending"],
                                        "on_enter": [_effect(e) for e in scene["on_enter"]], "choices": choices,
                                        "place": place}
        self.start("s0", 0)

    def start(self, scene: str, seed: int) -> None:
        self.values: Values = {key: default for key, (default, _, _) in STATS.items()}
        self.visits: dict[str, int] = {}
        self.turn = 0
        self.seed = seed
        self.enter(scene)

    def enter(self, scene: str) -> None:
        self.scene = scene
        self.visits[scene] = self.visits.get(scene, 0) + 1
        for effect in self.scenes[scene]["on_enter"]:
            effect(self.values)

    def frame(self) -> tuple[str, list[tuple[str, bool, dict[str, Any]]]]:
        """The narration, and every choice's text with whether it can be taken."""
        scene = self.scenes[self.scene]
        v = self.values
        return scene["text"], [(c["text"], c["test"] is None or c["test"](v), c) for c in scene["choices"]]

    def take(self, choice: dict[str, Any]) -> None:
        v = self.values
        for effect in choice["do"]:
            effect(v)
        target = choice["goto"]
        if target is None:
            roll = _draw(_draw(self.seed, self.scenes[self.scene]["place"]), self.visits[self.scene]) % choice["total"]
            outcomes = choice["random"]
            outcome = outcomes[-1]
            for candidate in outcomes:
                if roll < candidate[0]:
                    outcome = candidate
                    break
                roll -= candidate[0]
            for effect in outcome[2]:
                effect(v)
            target = outcome[1]
        self.turn += 1
        self.enter(target)
