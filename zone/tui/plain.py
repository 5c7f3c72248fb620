"""The plain front end: no escape codes, one choice per line; for pipes and screen readers."""

from __future__ import annotations

import textwrap
from typing import TextIO

from zone.engine import Frame
from zone.run import Run
from zone.status import ExitStatus

__all__ = ["format_frame", "play_plain"]


def format_frame(frame: Frame, width: int = 78) -> str:
    """A frame as plain text: title, wrapped narration, numbered choices."""
    lines = [f"== {frame.chapter}: {frame.title} ==", ""]
    for para in frame.text.split("\n\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
        lines.append("")
    if frame.ending is not None:
        lines.append(f"*** The end: {frame.ending.title} ***")
    for view in frame.choices:
        if view.enabled:
            lines.append(f"{view.index + 1}. {view.text}")
        else:
            lines.append(f"{view.index + 1}. (unavailable) {view.text} -- {view.reason}")
    return "\n".join(lines).rstrip() + "\n"


def play_plain(run: Run, stdin: TextIO, stdout: TextIO) -> ExitStatus:
    """Read choice numbers line by line until an ending or end of input."""
    frame = run.frame()
    stdout.write(format_frame(frame))
    while frame.ending is None:
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line:
            stdout.write("\n")
            return ExitStatus.OK
        answer = line.strip()
        if not answer:
            continue
        if not answer.isdigit() or not 1 <= int(answer) <= len(frame.choices):
            stdout.write(f"Type a number from 1 to {len(frame.choices)}.\n")
            continue
        view = frame.choices[int(answer) - 1]
        if not view.enabled:
            stdout.write(f"Not now: {view.reason}\n")
            continue
        stdout.write(f"\n[{view.text}]\n\n")
        frame = run.choose(view.index)
        stdout.write(format_frame(frame))
    return ExitStatus.OK
