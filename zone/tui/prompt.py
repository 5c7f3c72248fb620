"""The interactive input: prompt_toolkit, imported only when a person is at a terminal.

The prompt shows the choices as a list: Up and Down move the mark, Enter takes
the marked choice, and typing a number and Enter takes that one. A line that
starts with `:` is a command, with completion (Tab) and its own history (Up and
Down once the line starts with `:`). The list is drawn by rich (`render.choices`)
at the terminal's width, as a window that fits the terminal's height and keeps
the mark in view (`menu.ChoiceWindow`), so a resized terminal or a scene of a
thousand choices redraws cleanly; it is erased when the prompt is done: the
game prints what was chosen. Under the choices, the status line (`set_status`).

When the terminal is resized, the whole screen is drawn again: the text above
the prompt from what the game printed (`above`, the view's `screen`), wrapped
anew at the new width, then the prompt under it, so no line wrapped for the
old width is left behind (a resize while the game prints is caught up at the
next prompt).

A line is at most one character past `LINE_LIMIT` (keys past that are
dropped, a longer paste is cut), and Ctrl-C that lands as a prompt ends stops
the game like one that lands while it prints.
"""

from __future__ import annotations

import io
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from prompt_toolkit import Application, PromptSession
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import ANSI, StyleAndTextTuples, to_formatted_text
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.styles import Style
from rich.console import Console

from zone.tui import render
from zone.tui._streams import repaired
from zone.tui.glyphs import UNICODE, Glyphs
from zone.tui.ingame import COMMANDS, LINE_LIMIT
from zone.tui.menu import ChoiceWindow
from zone.tui.richview import ColorSystemName, make_console
from zone.tui.signals import Stop
from zone.tui.view import MenuItem, StatusLine
from zone.tui.watch import PackChanged

__all__ = ["CommandCompleter", "PromptReader"]



def _hint(glyphs: Glyphs) -> str:
    """The line under the choices: how to take one."""
    return f"{glyphs.keys} Enter, or a number {glyphs.dot} :help for commands"


_STATUS_ROOM = 12  # the fewest rows that have two to spare for the status line
_MENU_ROWS = 6  # the rows the completion menu takes under the prompt while a command is typed
_STYLE = Style.from_dict({"completion-menu": "bg:default", "completion-menu.completion.current": "reverse"})


class CommandCompleter(Completer):
    """Completes `:commands`, slot names after `:save`/`:load`, and paths after `:transcript`."""

    def __init__(self, slots: Callable[[], Sequence[str]]) -> None:
        self.slots = slots
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        if not text.startswith(":"):
            return
        name, space, arg = text[1:].partition(" ")
        if not space:
            for command in COMMANDS.values():
                if command.name.startswith(name.casefold()):
                    yield Completion(f":{command.name}", -len(text), display_meta=command.about)
        elif name in ("save", "load"):
            for slot in self.slots():
                if slot.startswith(arg):
                    yield Completion(slot, -len(arg))
        elif name == "transcript":
            yield from self.paths.get_completions(Document(arg), complete_event)


class _CommandHistory(InMemoryHistory):
    """Only command lines are worth recalling; choice numbers are not."""

    def append_string(self, string: str) -> None:
        if string.startswith(":"):
            super().append_string(string)


class PromptReader:
    """A `Reader` for a terminal; `color_system`, `no_color` and `glyphs` follow the output console."""

    def __init__(self, *, no_color: bool, color_system: ColorSystemName, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, input: Input | None = None, output: Output | None = None,
                 glyphs: Glyphs = UNICODE) -> None:
        if input is None or output is None:
            from prompt_toolkit.input import create_input
            from prompt_toolkit.output import create_output

            input = input or create_input(stdin)
            output = output or create_output(stdout)
        self.no_color = no_color
        self.color_system = color_system
        self.glyphs = glyphs
        self.window = ChoiceWindow((), self._draw_row)
        self.selected = 0
        self._width: int | None = None  # the terminal's width when the screen was last drawn
        self.status: StatusLine | None = None
        self._slots: Sequence[str] = ()
        self._consoles: dict[int, Console] = {}
        self._late_interrupt = False
        self._woken = False  # the pack changed (zone play --watch): the prompt ends with PackChanged
        depth = ColorDepth.DEPTH_1_BIT if no_color else None
        self.session: PromptSession[str] = PromptSession(
            history=_CommandHistory(), completer=CommandCompleter(lambda: self._slots),
            complete_while_typing=Condition(self._is_command), reserve_space_for_menu=_MENU_ROWS,
            key_bindings=self._bindings(), erase_when_done=True, color_depth=depth, style=_STYLE,
            input=input, output=output)
        self.session.default_buffer.on_text_changed += _bound
        self.above: Callable[[int, int], str] | None = None  # the text above the prompt at (width, rows)
        self.session.app._on_resize = self._on_resize  # type: ignore[method-assign]
        self._pager: PromptSession[bool] = PromptSession(
            key_bindings=self._pager_bindings(), erase_when_done=True, color_depth=depth, input=input,
            output=output)

    @property
    def items(self) -> Sequence[MenuItem]:
        return self.window.items

    @items.setter
    def items(self, items: Sequence[MenuItem]) -> None:
        self.window = ChoiceWindow(list(items), self._draw_row)

    # -- the state the bindings and the message read ------------------------------------------
    def _is_command(self) -> bool:
        return self.session.default_buffer.text.lstrip().startswith(":")

    def _typed_number(self, typed: str | None = None) -> int | None:
        text = (self.session.default_buffer.text if typed is None else typed).strip()
        if text.isdigit() and text.isascii() and 1 <= int(text) <= len(self.items):
            return int(text) - 1
        return None

    def _move(self, step: int) -> None:
        start = self._typed_number()
        index = self.selected if start is None else start
        candidate = index + step
        while 0 <= candidate < len(self.items):
            if self.items[candidate].enabled:
                self.selected = candidate
                break
            candidate += step
        self.session.default_buffer.text = ""

    def _bindings(self) -> KeyBindings:
        kb = KeyBindings()
        moving = Condition(lambda: not self._is_command() and bool(self.items))

        @kb.add("up", filter=moving)
        def _up(event: KeyPressEvent) -> None:
            self._move(-1)

        @kb.add("down", filter=moving)
        def _down(event: KeyPressEvent) -> None:
            self._move(+1)

        @kb.add("enter", filter=Condition(lambda: not self.session.default_buffer.text.strip() and bool(self.items)))
        def _take_marked(event: KeyPressEvent) -> None:
            event.current_buffer.text = str(self.selected + 1)
            event.current_buffer.validate_and_handle()

        @kb.add("f2")
        def _status_key(event: KeyPressEvent) -> None:
            """F2 shows or hides the status line, as ':status line' does."""
            event.current_buffer.text = ":status line"
            event.current_buffer.validate_and_handle()

        @kb.add("<any>", filter=Condition(lambda: len(self.session.default_buffer.text) > LINE_LIMIT))
        def _full(event: KeyPressEvent) -> None:
            """The line is as long as a line can be: drop what is typed past it."""

        self._on_sigint(kb, lambda: self.session.app)
        return kb

    def _on_sigint(self, kb: KeyBindings, app_of: Callable[[], Application[Any]]) -> None:
        """SIGINT (Ctrl-C outside raw mode): leave the prompt, or, once it has ended, stop the game.

        prompt_toolkit's own handler raises "Application is not running" when
        the signal lands as the prompt ends; here it is kept for `read` instead.
        """

        @kb.add("<sigint>")
        def _sigint(event: KeyPressEvent) -> None:
            app = app_of()
            if app.is_running and not app.is_done:
                app.exit(exception=KeyboardInterrupt(), style="class:aborting")
            else:
                self._late_interrupt = True

    def _stop_if_interrupted(self) -> None:
        if self._late_interrupt:
            self._late_interrupt = False
            raise Stop(signal.SIGINT)

    def _pager_bindings(self) -> KeyBindings:
        kb = KeyBindings()

        @kb.add("<any>")
        def _next(event: KeyPressEvent) -> None:
            event.app.exit(result=True)

        for key in ("enter", " ", "down", "pagedown"):
            kb.add(key, eager=True)(_next)
        for key in ("q", "Q", "escape", "c-c", "c-d"):
            kb.add(key, eager=True)(lambda event: event.app.exit(result=False))
        self._on_sigint(kb, lambda: self._pager.app)
        return kb

    # -- drawing ------------------------------------------------------------------------------
    def _console(self, width: int) -> Console:
        console = self._consoles.get(width)
        if console is None:
            console = self._consoles[width] = make_console(io.StringIO(), no_color=self.no_color, force=True,
                                                           width=width, color_system=self.color_system)
        return console

    def _ansi(self, width: int, renderable: render.Column, end: str = "\n") -> str:
        console = self._console(width)
        with console.capture() as capture:
            console.print(renderable, end=end)
        return capture.get()

    def _draw_row(self, items: Sequence[MenuItem], index: int, marked: bool, width: int) -> list[str]:
        row = render.choices(items, index if marked else None, rows=range(index, index + 1), glyphs=self.glyphs)
        return self._ansi(width, row).splitlines(keepends=True)

    def draw(self, width: int, typed: str, height: int | None = None) -> str:
        """The prompt's message as ANSI text: the choices with the mark, a hint, and the prompt sign.

        With `height`, the whole message fits in that many rows: the choices
        shown are those around the mark that fit, and the hint says which.
        The status line, when there is one, comes after a blank line under the
        choices, unless the rows are too few to spare two for it.
        """
        number = self._typed_number(typed)
        marked = number if number is not None else self.selected
        roomy = height is None or height >= _STATUS_ROOM
        status = "" if self.status is None or not roomy else \
            "\n" + self._ansi(width, render.status_line(self.status, self.glyphs))
        rows = 1 << 30 if height is None else height - 3 - status.count("\n")  # a blank line, the hint, the prompt
        shown = self.window.show(marked, width, rows)
        g = self.glyphs
        line = _hint(g) if self.items else "type :help for commands"
        if len(shown.rows) < len(self.items):
            line = f"{shown.rows.start + 1}{g.span}{shown.rows.stop} of {len(self.items)} {g.dot} {line}"
        left = (width - min(render.MEASURE, width)) // 2
        hint = self._ansi(width, render.message(line, "dim"))
        return "\n" + "".join(shown.lines) + status + hint + " " * left + f"{g.mark} "

    def _on_resize(self) -> None:
        """Clear the screen, print the text above the prompt again at the new width, and draw the prompt.

        In place of prompt_toolkit's own resize handler, which erases only the
        prompt: the terminal may have re-wrapped (or cut) the rest.
        """
        app = self.session.app
        if self.above is None:
            Application._on_resize(app)
            return
        self._draw_above()
        app.renderer.reset(leave_alternate_screen=False)
        app._request_absolute_cursor_position()
        app._redraw()

    def _draw_above(self) -> None:
        """Clear the screen and print what the game printed again, at the terminal's width now."""
        assert self.above is not None
        out = self.session.app.output
        size = out.get_size()
        self._width = size.columns
        out.reset_attributes()
        # Home, then erase to the end (not the whole screen, which some terminals push into the scrollback).
        out.write_raw("\x1b[H\x1b[J" + self.above(size.columns, size.rows))
        out.flush()

    def _message(self) -> StyleAndTextTuples:
        size = self.session.app.output.get_size()
        height = size.rows - (_MENU_ROWS if self._is_command() else 0)
        return to_formatted_text(ANSI(self.draw(max(20, size.columns), self.session.default_buffer.text, height)))

    # -- the Reader protocol ------------------------------------------------------------------
    def read(self, items: Sequence[MenuItem]) -> str:
        """The line the player accepted (the marked choice's number for a bare Enter).

        Raises `Stop` when Ctrl-C landed as the last prompt ended (or as this one did).
        """
        self._stop_if_interrupted()
        if list(items) != list(self.items):
            self.items = items
            self.selected = next((i for i, item in enumerate(items) if item.enabled), 0)
        width = self.session.app.output.get_size().columns
        if self.above is not None and self._width not in (None, width):
            self._draw_above()  # resized while the game printed or the journal paged: nothing was redrawn
        self._width = width
        try:
            line = self.session.prompt(self._message, pre_run=self._end_if_woken)
        except PackChanged:
            self._woken = False
            raise
        self._stop_if_interrupted()
        return repaired(line)

    def waker(self) -> Callable[[], None]:
        """For `zone play --watch`: what ends the wait for an answer when the pack changes."""
        return self.wake

    def wake(self) -> None:
        """From another thread: the pack changed. The prompt under way ends (read raises PackChanged), or the
        next one does as soon as it starts."""
        self._woken = True
        app = self.session.app
        loop = app.loop
        if app.is_running and loop is not None:
            loop.call_soon_threadsafe(self._end_if_woken)

    def _end_if_woken(self) -> None:
        app = self.session.app
        if self._woken and app.is_running and not app.is_done:
            app.exit(exception=PackChanged(), style="class:aborting")

    def set_slots(self, slots: Sequence[str]) -> None:
        self._slots = list(slots)

    def set_status(self, line: StatusLine | None) -> None:
        self.status = line

    def more(self) -> bool:
        """Between pages: True to go on (any key), False to stop (q, Escape, Ctrl-C)."""
        self._stop_if_interrupted()
        hint = render.message("more: any key for the next page, q to stop", "dim")
        going_on = bool(self._pager.prompt(ANSI(self._ansi(self._pager.output.get_size().columns, hint, end=""))))
        self._stop_if_interrupted()
        return going_on


def _bound(buffer: Buffer) -> None:
    """Cut a line (a long paste) one character past `LINE_LIMIT`: the game answers it with a hint."""
    if len(buffer.text) > LINE_LIMIT + 1:
        buffer.text = buffer.text[:LINE_LIMIT + 1]
