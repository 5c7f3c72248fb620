"""The game state: small plain data that round-trips through JSON.

A state holds ids and values only, never references into the story: the scene
id, every variable's value, how often each scene was entered, the turn, and the
random generator as a seed and a count of draws. `to_dict` keeps only what
differs from the story's defaults; `from_dict` checks everything against the
story before a state is built from it, since saves come from outside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from zone.errors import StateError
from zone.model import Story, Value

__all__ = ["GameState", "MAX_SEED"]

MAX_SEED = 2**63 - 1


class GameState(NamedTuple):
    scene: str
    values: Mapping[str, Value]
    visits: Mapping[str, int]
    turn: int
    seed: int
    draws: int

    def with_scene(self, scene: str) -> GameState:
        return self._replace(scene=scene)

    def to_dict(self, story: Story) -> dict[str, Any]:
        changed = {k: v for k, v in self.values.items() if story.stats[k].default != v}
        return {
            "scene": self.scene,
            "values": changed,
            "visits": dict(self.visits),
            "turn": self.turn,
            "seed": self.seed,
            "draws": self.draws,
        }

    @classmethod
    def from_dict(cls, data: object, story: Story) -> GameState:
        """Build a state from plain data, refusing anything that does not fit `story`."""
        if not isinstance(data, dict):
            raise StateError("the saved state is not a mapping")
        unknown = set(data) - {"scene", "values", "visits", "turn", "seed", "draws"}
        if unknown:
            raise StateError(f"the saved state has unknown fields: {', '.join(sorted(unknown))}")
        scene = data.get("scene")
        if not isinstance(scene, str):
            raise StateError("the saved state has no scene")
        if scene not in story.scenes:
            raise StateError(f"the saved scene '{scene}' is not in this pack")
        values: dict[str, Value] = story.defaults
        raw_values = data.get("values", {})
        if not isinstance(raw_values, dict):
            raise StateError("the saved values are not a mapping")
        for key, value in raw_values.items():
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
        visits = data.get("visits", {})
        if not isinstance(visits, dict):
            raise StateError("the saved visits are not a mapping")
        for key, count in visits.items():
            if key not in story.scenes:
                raise StateError(f"the saved visits name a scene '{key}' that is not in this pack")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise StateError(f"the saved visit count of '{key}' is not a whole number")
        numbers = {}
        for field in ("turn", "seed", "draws"):
            value = data.get(field, 0)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
                raise StateError(f"the saved {field} is not a whole number from 0 to {MAX_SEED}")
            numbers[field] = value
        return cls(scene, values, dict(visits), numbers["turn"], numbers["seed"], numbers["draws"])
