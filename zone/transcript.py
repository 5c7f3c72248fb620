"""A run as plain text: the stable transcript format used by golden tests, replays and exports.

The transcript is produced by replaying a seed and a list of choices through the
engine, so it is a pure function of (story, seed, start, choices).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping

from zone.engine import Engine, Frame
from zone.errors import StateError
from zone.model import Value
from zone.state import GameState

__all__ = ["format_frame", "replay", "transcript"]

WIDTH = 78


def format_frame(frame: Frame, width: int = WIDTH) -> str:
    """One frame as plain text: heading, wrapped narration, numbered choices."""
    lines = [f"== {frame.chapter}: {frame.title} ==", ""]
    for para in frame.text.split("\n\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
        lines.append("")
    if frame.ending is not None:
        lines.append(f"*** The end: {frame.ending.title} ***")
    for view in frame.choices:
        if view.enabled:
            lines.append(f"  {view.index + 1}. {view.text}")
        else:
            lines.append(f"  {view.index + 1}. (unavailable) {view.text} -- {view.reason}")
    return "\n".join(lines).rstrip() + "\n"


def replay(engine: Engine, seed: int, choices: Iterable[int], *, scene: str | None = None,
           values: Mapping[str, Value] | None = None,
           through: Callable[[GameState], GameState] | None = None) -> list[tuple[Frame, int | None]]:
    """Every frame of a run with the choice taken after it (None for the last).

    `through` is applied to the state after every step (tests pass a JSON round trip).
    """
    state = engine.start(seed, scene=scene, values=values)
    if through is not None:
        state = through(state)
    steps: list[tuple[Frame, int | None]] = []
    for number, index in enumerate(choices, start=1):
        frame = engine.frame(state)
        if not 0 <= index < len(frame.choices) or not frame.choices[index].enabled:
            raise StateError(f"step {number}: choice {index + 1} cannot be taken in scene '{frame.scene.id}'")
        steps.append((frame, index))
        state = engine.take(state, frame.choices[index].choice)
        if through is not None:
            state = through(state)
    steps.append((engine.frame(state), None))
    return steps


def transcript(engine: Engine, seed: int, choices: Iterable[int], *, scene: str | None = None,
               values: Mapping[str, Value] | None = None,
               through: Callable[[GameState], GameState] | None = None) -> str:
    story = engine.story
    header = f"# {story.title} (pack {story.id} {story.version}), seed {seed}"
    if scene or values:
        header += f", from {scene or story.start}"
        if values:
            header += " with " + json.dumps(dict(values), sort_keys=True)
    parts = [header + "\n"]
    for frame, index in replay(engine, seed, choices, scene=scene, values=values, through=through):
        parts.append(format_frame(frame))
        if index is not None:
            parts.append(f"> {index + 1}. {frame.choices[index].text}\n")
    return "\n".join(parts)
