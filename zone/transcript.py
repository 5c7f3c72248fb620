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
from zone.replay import replay_choices
from zone.state import GameState

__all__ = ["ending_line", "replay", "transcript", "transcript_frame"]

WIDTH = 78


def ending_line(title: str) -> str:
    """How a text transcript says the run has ended: here, on the plain ending screen, and in a .txt transcript."""
    return f"*** The end: {title} ***"


def transcript_frame(frame: Frame, width: int = WIDTH) -> str:
    """One frame as plain text: heading, wrapped narration, numbered choices."""
    lines = [f"== {frame.chapter}: {frame.title} ==", ""]
    for para in frame.text.split("\n\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
        lines.append("")
    if frame.ending is not None:
        lines.append(ending_line(frame.ending.title))
    for view in frame.choices:
        if view.enabled:
            lines.append(f"  {view.index + 1}. {view.text}")
        else:
            lines.append(f"  {view.index + 1}. (unavailable) {view.text} -- {view.reason}")
    return "\n".join(lines).rstrip() + "\n"


def replay(engine: Engine, seed: int, choices: Iterable[int], *, scene: str | None = None,
           values: Mapping[str, Value] | None = None,
           through: Callable[[GameState], GameState] | None = None) -> list[tuple[Frame, int | None]]:
    """Every frame of a run with the choice taken after it (None for the last); StateError when a choice
    cannot be taken.

    `through` is applied to the state after every step (tests pass a JSON round trip).
    """
    choices = list(choices)
    state = engine.start(seed, scene=scene, values=values)
    if through is not None:
        state = through(state)
    replayed = replay_choices(engine, state, choices, through=through)
    if not replayed.complete:
        at = replayed.stopped_at
        raise StateError(f"step {at + 1}: choice {choices[at] + 1} cannot be taken in scene "
                         f"'{replayed.frame.scene.id}'")
    return [*zip(replayed.frames, replayed.choices, strict=False), (replayed.frame, None)]


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
        parts.append(transcript_frame(frame))
        if index is not None:
            parts.append(f"> {index + 1}. {frame.choices[index].text}\n")
    return "\n".join(parts)
