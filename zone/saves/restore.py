"""Rebuilding a run from a save body, against the pack as it is now.

A pack may have been edited since the save was made. When the scene the run
stands in and the stats it uses still exist (and its values still fit their
ranges), the run loads as it was; visit counts of scenes that are gone are
simply forgotten, since nothing in the pack can ask about them any more.
Otherwise the run goes back through its own undo history to the latest state
that still fits, or to the start with the same seed when none does, and the
player is told in plain words what changed and where they are now: never a
silent jump.

The journal is rebuilt by replaying the recorded choices; where the edited pack
no longer takes them, the passages come from the undo history, or a short note
stands in for them, so the journal always has one entry per choice and `undo`
keeps working.
"""

from __future__ import annotations

from typing import Any

from zone.engine import Engine
from zone.errors import StateError, ZoneError
from zone.limits import UNDO_LIMIT
from zone.model import Story, Value
from zone.replay import replay_choices
from zone.run import JournalEntry, Run, journal_entries
from zone.saves.body import Body
from zone.state import GameState

__all__ = ["CHANGED_PASSAGE", "restore"]

CHANGED_PASSAGE = "(This part of the story has changed since the run was saved.)"


def _forget_lost_scenes(raw: Any, story: Story) -> Any:
    """The plain state without visit counts of scenes that are no longer in the pack."""
    if isinstance(raw, dict) and isinstance(raw.get("visits"), dict):
        visits = raw["visits"]
        if any(key not in story.scenes for key in visits):
            return {**raw, "visits": {k: v for k, v in visits.items() if k in story.scenes}}
    return raw


def _state(raw: Any, story: Story, strict: bool) -> GameState | str:
    """The state, or the reason it does not fit the pack."""
    try:
        return GameState.from_dict(raw if strict else _forget_lost_scenes(raw, story), story)
    except StateError as exc:
        return str(exc)


def _replay(engine: Engine, run: Run) -> tuple[list[GameState], list[JournalEntry]]:
    """Replay the recorded choices as far as the pack takes them: the states met, and the journal entries."""
    try:
        start = engine.start(run.seed, scene=run.start_scene, values=run.start_values)
        replayed = replay_choices(engine, start, run.choices)
    except (ZoneError, LookupError, ArithmeticError):  # an edited pack the engine cannot play: no replay at all
        return [], []
    return list(replayed.states), journal_entries(replayed)


def _journal(engine: Engine, run: Run) -> list[JournalEntry]:
    """One entry per recorded choice: replayed while the replay walks where the run went, then from the undo
    history, then a short note where neither can tell."""
    states, entries = _replay(engine, run)
    first_undone = len(run.choices) - len(run.undo_stack)
    recorded = [*run.undo_stack, run.state]
    for turn in range(first_undone, min(len(states), len(run.choices) + 1)):
        if states[turn].scene != recorded[turn - first_undone].scene:  # the edited pack leads elsewhere now
            entries = entries[:max(0, turn - 1)] if turn > first_undone else []
            break
    for turn in range(len(entries), len(run.choices)):
        at = turn - first_undone
        if at < 0:
            entries.append(JournalEntry(turn, "", "", CHANGED_PASSAGE, ""))
            continue
        before = run.undo_stack[at]
        frame = engine.frame(before)
        index = run.choices[turn]
        text = frame.choices[index].text if 0 <= index < len(frame.choices) else ""
        entries.append(JournalEntry(before.turn, frame.chapter, frame.title, frame.text, text))
    return entries


def _choices(n: int) -> str:
    return f"{n} choice{'s' * (n != 1)}"


def _start(body: Body, story: Story, strict: bool) -> tuple[str | None, dict[str, Value]]:
    """Where and with which values the run began, as far as the pack still has them."""
    start_scene = body.start_scene
    if start_scene is not None and start_scene not in story.scenes:
        if strict:
            raise StateError(f"the saved start scene '{start_scene}' is not in this pack")
        start_scene = None
    start_values: dict[str, Value] = {}
    if body.start_values:
        start = _state({"scene": story.start, "values": body.start_values}, story, strict)
        if isinstance(start, str) and strict:
            raise StateError(start)
        start_values = {} if isinstance(start, str) else dict(start.values)
    return start_scene, start_values


def restore(body: Body, engine: Engine, *, strict: bool, version_then: str | None = None,
            ident: str | None = None, since: str = " since this save was made") -> tuple[Run, str | None]:
    """The run saved in `body` (named `ident`), and a message for the player when it could not be resumed
    as it was.

    `strict` (the pack is the very one the save was made with) refuses anything that does not fit,
    raising StateError; otherwise the run falls back as described above.
    """
    story = engine.story
    seed, choices = body.seed, body.choices
    start_scene, start_values = _start(body, story, strict)
    raw_state = body.state
    history = body.history[max(0, len(body.history) - min(UNDO_LIMIT, len(choices))):]
    candidates = [*history, raw_state]

    now = _state(raw_state, story, strict)
    target, reason = len(history), None
    if isinstance(now, str):
        if strict:
            raise StateError(now)
        reason, target = now, -1
        for at in range(len(history) - 1, -1, -1):
            found = _state(history[at], story, strict)
            if not isinstance(found, str):
                now, target = found, at
                break
    changed = f"The pack '{story.title}' has changed{since}"
    if version_then is not None and version_then != story.version:
        changed += f" (it was version {version_then}, it is {story.version} now)"
    if isinstance(now, str):  # nothing in this run fits the pack any more: its start, same seed
        run = Run.new(engine, seed, scene=start_scene, values=start_values, ident=ident)
        return run, (f"{changed}: {reason}. No earlier point of this run fits it, so the run starts again "
                     "from the beginning, with the same seed.")

    undo: list[GameState] = []
    for at in range(target - 1, -1, -1):
        older = _state(candidates[at], story, strict)
        if isinstance(older, str):
            if strict:
                raise StateError(f"its undo history is damaged ({older})")
            break
        undo.append(older)
    undo.reverse()
    steps_back = len(history) - target
    run = Run(engine, seed, now, start_scene, start_values, list(choices[:len(choices) - steps_back]), undo,
              ident=ident)
    run.adopt_journal(_journal(engine, run))
    if reason is not None:
        title = story.scenes[now.scene].title
        return run, (f"{changed}: {reason}. The run goes back {_choices(steps_back)}, to '{title}' at turn "
                     f"{now.turn}, the latest point of it that still fits.")
    if len(undo) < target:
        return run, f"{changed}, so you can undo only {_choices(len(undo))} from here."
    return run, None
