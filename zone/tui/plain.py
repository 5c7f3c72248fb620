"""The plain front end: no escape codes, no box drawing, one choice per line.

For pipes (`printf '1\\n2\\n' | zone play --plain`), `TERM=dumb`, and screen
readers. It imports neither rich nor prompt_toolkit, so a piped game starts
fast, and everything it writes is plain text: wrapped at a width (the
terminal's), or, for a pipe or a screen reader, not wrapped at all, one line
to a paragraph, so whatever reads it can wrap (or speak) it as it likes.
"""

from __future__ import annotations

import contextlib
import os
import select
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from zone.engine import Frame
from zone.environment import tolerant
from zone.model import Story, show_value
from zone.run import JournalEntry
from zone.saves.slots import SlotInfo
from zone.transcript import ending_line
from zone.tui._streams import bounded_line, repaired
from zone.tui._text import clean, paragraphs
from zone.tui.ingame import LINE_LIMIT
from zone.tui.view import CommandHelp, EndingSummary, MenuItem, StatLine, Status, StatusLine, menu_of, saved_when
from zone.tui.watch import PackChanged

if TYPE_CHECKING:
    from zone.tui.transcripts import StorySoFar

__all__ = ["LineReader", "PlainView", "format_frame", "journal_text", "transcript_text"]

WIDTH = 78  # the width of a .txt transcript
Width = int | None  # the columns to wrap at; None: one line to a paragraph


def _wrap(text: str, width: Width, indent: str = "", subsequent: str | None = None) -> list[str]:
    """`text` as lines at most `width` wide (one line when `width` is None)."""
    if width is None:
        return [f"{indent}{' '.join(text.split())}".rstrip()]
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent if subsequent is None
                         else subsequent, break_on_hyphens=False) or [indent.rstrip()]


def _heading(chapter: str, title: str, width: Width) -> list[str]:
    return _wrap(clean(f"== {chapter}: {title} =="), width)


def _narration(text: str, width: Width) -> list[str]:
    lines: list[str] = []
    for para in paragraphs(text):
        if lines:
            lines.append("")
        lines.extend(_wrap(para, width))
    return lines


def _menu(items: Sequence[MenuItem], width: Width) -> list[str]:
    lines = []
    for number, item in enumerate(items, start=1):
        text = f"{number}. {clean(item.text)}"
        if not item.enabled:
            text = f"{number}. (unavailable) {clean(item.text)} -- {clean(item.reason or 'Not now.')}"
        lines.extend(_wrap(text, width, "  ", "     "))
    return lines


def format_frame(frame: Frame, width: Width = WIDTH) -> str:
    """A frame as plain text: heading, wrapped narration, numbered choices."""
    lines = [*_heading(frame.chapter, frame.title, width), "", *_narration(frame.text, width)]
    if frame.choices:
        lines += ["", *_menu(menu_of(frame), width)]
    return "\n".join(lines) + "\n"


def _stat(line: StatLine) -> str:
    if line.text:
        return f"{line.name}: {line.text}"
    if line.type == "bool":
        return f"{line.name}: {show_value(line.value)}"
    return f"{line.name}: {line.value} of {line.hi}"


def _status(status: Status) -> list[str]:
    lines: list[str] = []
    for party in status.parties:
        lines.append(clean(party.name))
        lines.extend(f"  {clean(_stat(s))}" for s in party.stats)
    if status.items:
        lines.append("Carried")
        lines.extend(f"  {clean(s.name)}: {s.value}" for s in status.items)
    return lines


def journal_text(story: Story, entries: Sequence[JournalEntry], width: Width = WIDTH) -> str:
    """The story so far as plain text: the `:journal` of plain mode and the .txt transcript."""
    lines = [clean(story.title), "", "The story so far", ""]
    for entry in entries:
        lines += [*_heading(entry.chapter, entry.title, width), "", *_narration(entry.text, width)]
        if entry.choice is not None:
            lines += ["", *_wrap(f"You chose: {clean(entry.choice)}", width)]
        lines.append("")
    return "\n".join(lines)


def _ending(summary: EndingSummary, width: Width) -> list[str]:
    """The ending, the way there and the final state (the ending screen and the .txt transcript)."""
    route = ", ".join(clean(r) for r in summary.route) or "-"
    plural = "s" if summary.choices != 1 else ""
    return [ending_line(clean(summary.title)), "",
            *_wrap(f"Your way: {route} ({summary.choices} choice{plural})", width), "", *_status(summary.status)]


def transcript_text(told: StorySoFar, width: Width = WIDTH) -> str:
    """The .txt transcript: the journal with the notes after each choice, and, after an ending, the ending
    and the final state."""
    lines = [clean(told.title), "", "The story so far", ""]
    for passage in told.passages:
        lines += [*_heading(passage.chapter, passage.title, width), "", *_narration(passage.text, width)]
        if passage.choice is not None:
            lines += ["", *_wrap(f"You chose: {clean(passage.choice)}", width)]
            lines += [clean(note) for note in passage.notes]
        lines.append("")
    if told.ending is not None:
        lines += [*_ending(told.ending, width), ""]
    return "\n".join(lines)


class PlainView:
    """Writes plain text to `out` wrapped at `width`, flushing after each piece so pipes see it at once.

    What the output's encoding cannot show (Cyrillic under ISO-8859-1) is written as `?`.
    """

    def __init__(self, out: TextIO, story: Story, width: Width = WIDTH) -> None:
        self.out = tolerant(out)
        self.story = story
        self.width = width

    def _write(self, lines: Sequence[str]) -> None:
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def frame(self, frame: Frame) -> None:
        self._write(["", *_heading(frame.chapter, frame.title, self.width), "", *_narration(frame.text, self.width)])

    def menu(self, items: Sequence[MenuItem]) -> None:
        self._write(["", *_menu(items, self.width)])

    def chosen(self, text: str) -> None:
        self._write(_wrap(f"You chose: {clean(text)}", self.width))

    def status(self, status: Status) -> None:
        self._write(["", *_status(status)])

    def journal(self, entries: Sequence[JournalEntry]) -> None:
        self._write(["", journal_text(self.story, entries, self.width).rstrip("\n")])

    def slots(self, slots: Sequence[SlotInfo]) -> None:
        self._write([f"  {s.slot}: {clean(s.chapter)}, {clean(s.scene_title)}, turn {s.turn}, "
                     f"saved {saved_when(s.saved_at)}" for s in slots])

    def help(self, commands: Sequence[CommandHelp]) -> None:
        width = max(len(c.usage) for c in commands)
        self._write(["", *(f"  {c.usage:<{width}}  {c.about}" for c in commands)])

    def ending(self, summary: EndingSummary) -> None:
        found = f"Endings found: {summary.found} of {summary.total}" + (" (a new one)" if summary.new else "")
        self._write(["", *_ending(summary, self.width), "", found])

    def title(self, story: Story) -> None:
        self._write([clean(story.title), f"version {clean(story.version)}", "",
                     *_narration(story.about, self.width)])

    def note(self, text: str) -> None:
        self._write([clean(text)])

    def problem(self, text: str) -> None:
        self._write([clean(text)])  # one line, however long: easy to grep and to read aloud

    def problems(self, heading: str, lines: Sequence[str]) -> None:
        self._write([clean(heading), *(f"  {clean(line)}" for line in lines)])


class LineReader:
    """Reads answers line by line; EOFError at the end of input (so /dev/null ends the game at once).

    Bytes that are not text in the input's encoding arrive as U+FFFD, and a line
    is read up to one character past `LINE_LIMIT` (the rest is dropped), so a
    pasted megabyte is one line of help, not a long wait.
    """

    ECHO = 76  # the most of an overlong line echoed back

    def __init__(self, stdin: TextIO, out: TextIO, prompt: str = "> ") -> None:
        self.stdin = tolerant(stdin)
        self.out = tolerant(out)
        self.prompt = prompt
        try:
            self.echo = not stdin.isatty()
        except (AttributeError, ValueError):
            self.echo = True
        self._wakeup: tuple[int, int] | None = None  # a pipe that `wake` writes to, while a terminal is read
        self._fileno = -1

    def read(self, items: Sequence[MenuItem]) -> str:
        self.out.write(self.prompt)
        self.out.flush()
        if self._wakeup is not None:
            self._wait()
        line = bounded_line(self.stdin, LINE_LIMIT + 1)
        if not line:
            self.out.write("\n")
            self.out.flush()
            raise EOFError
        line = repaired(line.rstrip("\r\n"))
        if self.echo:
            # Piped input is not echoed by a terminal: show it, so the output reads like a session.
            shown = line if len(line) <= LINE_LIMIT else line[:self.ECHO] + "..."
            self.out.write(clean(shown) + "\n")
        return line

    def set_slots(self, slots: Sequence[str]) -> None:
        """Plain mode has no completion."""

    def waker(self) -> Callable[[], None] | None:
        """For `zone play --watch`: a function that ends the wait for a line (read raises PackChanged), when
        the input is a terminal (a pipe's lines may wait in a buffer that no wait can see); else None."""
        if self.echo:
            return None
        if self._wakeup is None:
            try:
                self._fileno = self.stdin.fileno()
                self._wakeup = os.pipe()
            except (AttributeError, ValueError, OSError):
                return None
            os.set_blocking(self._wakeup[1], False)
        writer = self._wakeup[1]

        def wake() -> None:
            with contextlib.suppress(OSError):  # full: a wake is already waiting
                os.write(writer, b".")
        return wake

    def _wait(self) -> None:
        """Until a line can be read, or the pack changes."""
        assert self._wakeup is not None
        ready, _, _ = select.select([self._fileno, self._wakeup[0]], [], [])
        if self._wakeup[0] in ready:
            os.read(self._wakeup[0], 4096)
            if self._fileno not in ready:
                self.out.write("\n")
                raise PackChanged

    def set_status(self, line: StatusLine | None) -> None:
        """Plain mode has no status line: `:status` says it all."""
