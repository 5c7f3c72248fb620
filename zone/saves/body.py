"""The body of a save: built from a run (`body_of`), and read back with one check, by type and bound,
before anything uses it (`read_body`).

A checksum proves only that a file was not damaged by accident: someone can
write a body by hand and sign it. So every body, whatever format it was
upgraded from, goes through `read_body` first, which refuses anything Zone
itself could not have written, naming the field ("state.visits must be a
mapping"), and returns a typed `Body`. It checks shape and bounds only; whether
the run fits the pack is `zone.saves.restore`'s question.

The bounds keep a run consistent with itself as it goes on: the number of
choices is at most `MAX_CHOICES`, and every count (the turn, each visit) is at
most one more than the number of choices, which is true of
every run the engine plays and stays true after each further choice, so a
run that loads also saves, and its save loads again. The undo history holds
at most `UNDO_LIMIT` steps, and all of it expanded to full states may name at
most `MAX_EXPANDED` values and visits, so a small file cannot ask for a great
deal of memory. The stack of scenes that called scenes return to holds at most
`MAX_CALL_DEPTH` scene names (the most any pack may allow; the pack's own
bound is checked when the state is restored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from zone.expr import MAX_CONSTANT
from zone.limits import MAX_CHOICES, UNDO_LIMIT
from zone.model import MAX_CALL_DEPTH, Value
from zone.saves.patches import PatchCache, apply_patch
from zone.state import MAX_SEED

if TYPE_CHECKING:  # a body is built from a run, but the save format never imports the runtime
    from zone.run import Run

__all__ = ["MAX_EXPANDED", "MAX_NAMES", "Body", "BodyError", "body_of", "expand_undo", "read_body"]

MAX_NAMES = 10_000  # values or visits in one state: far more than any pack declares
MAX_EXPANDED = 500_000  # values and visits in the whole undo history, once expanded
_BODY_FIELDS = frozenset({"seed", "start_scene", "start_values", "choices", "state", "undo"})
_STATE_FIELDS = frozenset({"scene", "values", "visits", "turn", "seed", "stack"})


class BodyError(ValueError):
    """What makes a body unusable, naming the field: "state.visits must be a mapping"."""


class Body(NamedTuple):
    """A save body that has the shape of a run; not yet checked against any pack."""

    seed: int
    start_scene: str | None
    start_values: dict[str, Value]
    choices: list[int]
    state: dict[str, Any]  # the plain state now
    history: list[dict[str, Any]]  # the undo history as plain states, oldest first


def _whole(value: Any, where: str, top: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
        raise BodyError(f"{where} must be a whole number from 0 to {top}")
    return value


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BodyError(f"{where} must be a mapping")
    if len(value) > MAX_NAMES:
        raise BodyError(f"{where} must hold at most {MAX_NAMES} names")
    return value


def _values(raw: Any, where: str) -> dict[str, Value]:
    values = _mapping(raw, where)
    for key, value in values.items():
        if isinstance(value, bool):
            continue
        if not isinstance(value, int) or not -MAX_CONSTANT <= value <= MAX_CONSTANT:
            raise BodyError(f"{where}.{key} must be true, false or a whole number from "
                            f"-{MAX_CONSTANT} to {MAX_CONSTANT}")
    return dict(values)


def _state(raw: Any, where: str, counts: int) -> dict[str, Any]:
    """A plain state of the right shape; `counts` bounds its turn and visit counts."""
    state = _mapping(raw, where)
    unknown = set(state) - _STATE_FIELDS
    if unknown:
        raise BodyError(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    if not isinstance(state.get("scene"), str):
        raise BodyError(f"{where}.scene must be a scene name")
    _values(state.get("values", {}), f"{where}.values")
    visits = _mapping(state.get("visits", {}), f"{where}.visits")
    for key, count in visits.items():
        _whole(count, f"{where}.visits.{key}", counts)
    _whole(state.get("turn", 0), f"{where}.turn", counts)
    stack = state.get("stack", [])
    if not isinstance(stack, list) or len(stack) > MAX_CALL_DEPTH or not all(isinstance(s, str) for s in stack):
        raise BodyError(f"{where}.stack must be a list of at most {MAX_CALL_DEPTH} scene names")
    _whole(state.get("seed", 0), f"{where}.seed", MAX_SEED)
    return dict(state)


def expand_undo(state: dict[str, Any], patches: Any, counts: int) -> list[dict[str, Any]]:
    """The undo history as full plain states, oldest first, each checked like the state now."""
    if not isinstance(patches, list):
        raise BodyError("undo must be a list")
    if len(patches) > UNDO_LIMIT:
        raise BodyError(f"undo must hold at most {UNDO_LIMIT} steps")
    states: list[dict[str, Any]] = []
    newer = state
    budget = MAX_EXPANDED
    for at in range(len(patches) - 1, -1, -1):
        older = apply_patch(newer, patches[at])
        if older is None:
            raise BodyError(f"undo[{at}] must be a patch of the state after it")
        older = _state(older, f"undo[{at}]", counts)
        budget -= len(older.get("values", {})) + len(older.get("visits", {}))
        if budget < 0:
            raise BodyError(f"undo must expand to at most {MAX_EXPANDED} values and visits")
        states.append(older)
        newer = older
    states.reverse()
    return states


def read_body(raw: Any) -> Body:
    """The body as a typed record, or BodyError naming the first field that no run of Zone could hold."""
    body = raw if isinstance(raw, dict) else None
    if body is None:
        raise BodyError("body must be a mapping")
    unknown = set(body) - _BODY_FIELDS
    if unknown:
        raise BodyError(f"body has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    seed = _whole(body.get("seed"), "seed", MAX_SEED)
    start_scene = body.get("start_scene")
    if start_scene is not None and not isinstance(start_scene, str):
        raise BodyError("start_scene must be a scene name or null")
    start_values = _values(body.get("start_values") or {}, "start_values")
    choices = body.get("choices", [])
    if not isinstance(choices, list) or len(choices) > MAX_CHOICES:
        raise BodyError(f"choices must be a list of at most {MAX_CHOICES} choice numbers")
    for at, choice in enumerate(choices):
        _whole(choice, f"choices[{at}]", MAX_SEED)
    counts = len(choices) + 1  # no count of a run grows faster than one per choice
    state = _state(body.get("state"), "state", counts)
    history = expand_undo(state, body.get("undo", []), counts)
    return Body(seed, start_scene, start_values, list(choices), state, history)


def body_of(run: Run, cache: PatchCache | None = None) -> dict[str, Any]:
    """The run as the plain data of a save body (format version 3)."""
    story = run.engine.story
    states = [*run.undo_stack, run.state]
    return {
        "seed": run.seed,
        "start_scene": run.start_scene,
        "start_values": dict(run.start_values),
        "choices": list(run.choices),
        "state": run.state.to_dict(story),
        "undo": (cache or PatchCache()).patches(states, story),
    }
