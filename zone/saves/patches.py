"""The undo history of a save as small patches, one per step back.

A run keeps up to `UNDO_LIMIT` earlier states so the player can step back, also
after a resume. Written out in full, each would repeat every visit count and
changed value, and a long run's save would grow past 64 KB; but two states a
turn apart differ in a few fields, so each earlier state is stored as a patch
that turns the state after it back into it. A patch names only the fields that
differ; in its `values` and `visits`, `null` means "absent" (a value back at its
default, a scene not yet visited).

The save path is hot (it runs after every choice), so `PatchCache` remembers the
patches already computed: consecutive saves share all but one undo step.
A body is built from a run and read back, with every field checked, in `zone.saves.body`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zone.model import Story, Value
from zone.state import GameState

__all__ = ["PatchCache", "apply_patch", "diff_raw"]

_NUMBERS = ("turn", "seed")


def _diff_map(older: Mapping[str, Any], newer: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in older.items():
        if key not in newer or newer[key] != value or type(newer[key]) is not type(value):
            out[key] = value
    for key in newer:
        if key not in older:
            out[key] = None
    return out


def diff_raw(older: Mapping[str, Any], newer: Mapping[str, Any]) -> dict[str, Any]:
    """The patch that turns the plain state `newer` back into the plain state `older`."""
    patch: dict[str, Any] = {}
    if older.get("scene") != newer.get("scene"):
        patch["scene"] = older.get("scene")
    for name in _NUMBERS:
        if older.get(name, 0) != newer.get(name, 0):
            patch[name] = older.get(name, 0)
    if (older.get("stack") or []) != (newer.get("stack") or []):
        patch["stack"] = older.get("stack") or []
    for name in ("values", "visits"):
        changed = _diff_map(older.get(name) or {}, newer.get(name) or {})
        if changed:
            patch[name] = changed
    return patch


def apply_patch(newer: Mapping[str, Any], patch: Any) -> dict[str, Any] | None:
    """The plain state before `newer`, or None when `patch` is not a patch (a damaged history).

    `newer` has the shape of a state (`zone.saves.body` makes sure); the result is checked there again.
    """
    if not isinstance(patch, dict) or not set(patch) <= {"scene", "values", "visits", "stack", *_NUMBERS}:
        return None
    older = dict(newer)
    for name, change in patch.items():
        if name in ("values", "visits"):
            if not isinstance(change, dict):
                return None
            merged = dict(newer.get(name) or {})
            for key, value in change.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            older[name] = merged
        else:
            older[name] = change
    return older


def _diff_states(older: GameState, newer: GameState, defaults: Mapping[str, Value]) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    if older.scene != newer.scene:
        patch["scene"] = older.scene
    if older.turn != newer.turn:
        patch["turn"] = older.turn
    if older.seed != newer.seed:
        patch["seed"] = older.seed
    if older.stack != newer.stack:
        patch["stack"] = list(older.stack)
    if older.values is not newer.values:
        values: dict[str, Any] = {}
        new_values = newer.values
        for key, value in older.values.items():
            if new_values.get(key) != value:
                values[key] = None if defaults.get(key) == value else value
        if values:
            patch["values"] = values
    if older.visits is not newer.visits:
        visits: dict[str, Any] = {}
        old_visits = older.visits
        for key, count in newer.visits.items():
            before = old_visits.get(key)
            if before != count:
                visits[key] = before
        for key, count in old_visits.items():
            if key not in newer.visits:
                visits[key] = count
        if visits:
            patch["visits"] = visits
    return patch


class PatchCache:
    """Patches between consecutive states, kept from one save to the next (states are immutable)."""

    def __init__(self) -> None:
        self._patches: dict[int, tuple[GameState, GameState, dict[str, Any]]] = {}

    def patches(self, states: list[GameState], story: Story) -> list[dict[str, Any]]:
        """The patch from each state to the one before it, for `states` oldest first."""
        defaults = story.defaults
        kept: dict[int, tuple[GameState, GameState, dict[str, Any]]] = {}
        out = []
        for older, newer in zip(states, states[1:], strict=False):
            hit = self._patches.get(id(older))
            if hit is not None and hit[0] is older and hit[1] is newer:
                patch = hit[2]
            else:
                patch = _diff_states(older, newer, defaults)
            kept[id(older)] = (older, newer, patch)
            out.append(patch)
        self._patches = kept
        return out
