"""The rich front end's output: a `View` that prints the renderables of `render` to a Console.

Choices are not printed here: in a terminal the prompt shows them as a list the
arrow keys move through (`zone.tui.prompt`). When rich output goes to a pipe
(`FORCE_COLOR`), `menu` prints them instead, since a line reader cannot.

What was printed last is kept as renderables (`SHOWN` of them), so that a
resized terminal is drawn again from them at its new width (`screen`) instead
of keeping narration wrapped for the old one.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Sequence
from typing import IO, Literal, cast

from rich.console import Console, RenderableType

from zone.engine import Frame
from zone.environment import tolerant
from zone.model import Story
from zone.run import JournalEntry
from zone.saves.slots import SlotInfo
from zone.tui import render
from zone.tui.glyphs import UNICODE, Glyphs
from zone.tui.view import CommandHelp, EndingSummary, MenuItem, Status

__all__ = ["ColorSystemName", "RichView", "color_system_name", "make_console"]

ColorSystemName = Literal["auto", "standard", "256", "truecolor", "windows"] | None
SHOWN = 100  # the pieces of text kept to draw the screen again; more than the tallest terminal shows


def color_system_name(console: Console) -> ColorSystemName:
    """The colour system `console` settled on, as a value another Console accepts."""
    name = console.color_system
    return cast(ColorSystemName, name) if name in ("standard", "256", "truecolor", "windows") else None


def make_console(file: IO[str], *, no_color: bool, force: bool = False, width: int | None = None,
                 color_system: ColorSystemName = "auto") -> Console:
    """A Console that never reads markup, emoji codes or highlights: author text is printed as written.

    A character the file's encoding cannot show (Cyrillic under ISO-8859-1) is written as `?`.
    """
    return Console(file=tolerant(file), no_color=no_color, force_terminal=True if force else None, width=width,
                   color_system=color_system, highlight=False, markup=False, emoji=False, soft_wrap=False)


class RichView:
    """Prints to `console` with `glyphs`; `more` (when given) is asked between pages of a long journal."""

    def __init__(self, console: Console, *, show_menu: bool, more: Callable[[], bool] | None = None,
                 glyphs: Glyphs = UNICODE) -> None:
        self.console = console
        self.show_menu = show_menu
        self.more = more
        self.glyphs = glyphs
        self.shown: deque[RenderableType] = deque(maxlen=SHOWN)  # each printed after a blank line

    def _print(self, renderable: RenderableType) -> None:
        self.shown.append(renderable)
        self.console.print()
        self.console.print(renderable)

    def screen(self, width: int, rows: int) -> str:
        """The last `rows - 1` lines printed, drawn again at `width` (as ANSI text, lines ending in CRLF):
        what the screen showed above the prompt, as it would look had it been printed at this width."""
        console = make_console(io.StringIO(), no_color=self.console.no_color, force=True, width=width,
                               color_system=color_system_name(self.console))
        with console.capture() as capture:
            for renderable in self.shown:
                console.print()
                console.print(renderable)
        lines = capture.get().split("\n")[:-1]
        kept = lines[-(rows - 1):] if rows > 1 else []
        return "".join(f"{line}\r\n" for line in kept)

    def frame(self, frame: Frame) -> None:
        self._print(render.frame(frame))

    def menu(self, items: Sequence[MenuItem]) -> None:
        if self.show_menu:
            self._print(render.choices(items, glyphs=self.glyphs))

    def chosen(self, text: str) -> None:
        self._print(render.message(f"{self.glyphs.mark} {text}", "italic dim"))

    def status(self, status: Status) -> None:
        self._print(render.status(status, self.glyphs))

    def journal(self, entries: Sequence[JournalEntry]) -> None:
        self._paged(render.journal(entries, self.glyphs))

    def _paged(self, renderable: RenderableType) -> None:
        """Print page by page when the terminal is shorter than the text and someone can answer."""
        if self.more is None:
            self._print(renderable)
            return
        self.shown.append(renderable)
        with self.console.capture() as capture:
            self.console.print()
            self.console.print(renderable)
        lines = capture.get().split("\n")
        page = max(4, self.console.size.height - 2)
        out = self.console.file
        for start in range(0, len(lines), page):
            chunk = lines[start:start + page]
            out.write("\n".join(chunk) + ("\n" if start + page < len(lines) else ""))
            out.flush()
            if start + page < len(lines) and not self.more():
                out.write("\n")
                break

    def slots(self, slots: Sequence[SlotInfo]) -> None:
        self._print(render.slots(slots, self.glyphs))

    def help(self, commands: Sequence[CommandHelp]) -> None:
        self._print(render.help_table(commands))

    def ending(self, summary: EndingSummary) -> None:
        self._print(render.ending(summary, self.glyphs))

    def title(self, story: Story) -> None:
        self._print(render.title(story))

    def note(self, text: str) -> None:
        self._print(render.message(text, "italic"))

    def problem(self, text: str) -> None:
        self._print(render.message(text, "yellow"))

    def problems(self, heading: str, lines: Sequence[str]) -> None:
        self._print(render.problems(heading, lines))
