"""The interactive input: prompt_toolkit, imported only when a person is at a terminal.

The prompt shows the choices as a list: Up and Down move the mark, Enter takes
the marked choice, and typing a number and Enter takes that one. A line that
starts with `:` is a command, with completion (Tab) and its own history (Up and
Down once the line starts with `:`). The list is drawn by rich (`render.choices`)
at the terminal's width on every redraw, so a resized terminal redraws cleanly,
and it is erased when the prompt is done: the game prints what was chosen.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import ANSI, StyleAndTextTuples, to_formatted_text
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.output import ColorDepth, Output
from prompt_toolkit.styles import Style

from zone.tui import render
from zone.tui.commands import COMMANDS
from zone.tui.screen import ColorSystemName, make_console
from zone.tui.view import MenuItem

__all__ = ["CommandCompleter", "PromptReader"]

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
    """A `Reader` for a terminal; `color_system` and `no_color` follow the output console."""

    def __init__(self, *, no_color: bool, color_system: ColorSystemName, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, input: Input | None = None, output: Output | None = None) -> None:
        if input is None or output is None:
            from prompt_toolkit.input import create_input
            from prompt_toolkit.output import create_output

            input = input or create_input(stdin)
            output = output or create_output(stdout)
        self.no_color = no_color
        self.color_system = color_system
        self.items: Sequence[MenuItem] = ()
        self.selected = 0
        self._slots: Sequence[str] = ()
        depth = ColorDepth.DEPTH_1_BIT if no_color else None
        self.session: PromptSession[str] = PromptSession(
            history=_CommandHistory(), completer=CommandCompleter(lambda: self._slots),
            complete_while_typing=Condition(self._is_command), reserve_space_for_menu=6,
            key_bindings=self._bindings(), erase_when_done=True, color_depth=depth, style=_STYLE,
            input=input, output=output)
        self._pager: PromptSession[bool] = PromptSession(
            key_bindings=self._pager_bindings(), erase_when_done=True, color_depth=depth, input=input,
            output=output)

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

        return kb

    def _pager_bindings(self) -> KeyBindings:
        kb = KeyBindings()

        @kb.add("<any>")
        def _next(event: KeyPressEvent) -> None:
            event.app.exit(result=True)

        for key in ("enter", " ", "down", "pagedown"):
            kb.add(key, eager=True)(_next)
        for key in ("q", "Q", "escape", "c-c", "c-d"):
            kb.add(key, eager=True)(lambda event: event.app.exit(result=False))
        return kb

    # -- drawing ------------------------------------------------------------------------------
    def draw(self, width: int, typed: str) -> str:
        """The prompt's message as ANSI text: the choices with the mark, a hint, and the prompt sign."""
        console = make_console(io.StringIO(), no_color=self.no_color, force=True, width=width,
                               color_system=self.color_system)
        number = self._typed_number(typed)
        marked = number if number is not None else self.selected
        console.print()
        if self.items:
            console.print(render.choices(self.items, marked))
        hint = "↑ ↓ Enter, or a number · :help for commands" if self.items else "type :help for commands"
        console.print(render.message(hint, "dim"))
        left = (width - min(render.MEASURE, width)) // 2
        file = console.file
        assert isinstance(file, io.StringIO)
        return file.getvalue() + " " * left + "› "

    def _message(self) -> StyleAndTextTuples:
        width = self.session.app.output.get_size().columns
        return to_formatted_text(ANSI(self.draw(max(20, width), self.session.default_buffer.text)))

    # -- the Reader protocol ------------------------------------------------------------------
    def read(self, items: Sequence[MenuItem]) -> str:
        """The line the player accepted (the marked choice's number for a bare Enter)."""
        if list(items) != list(self.items):
            self.items = list(items)
            self.selected = next((i for i, item in enumerate(items) if item.enabled), 0)
        return self.session.prompt(self._message)

    def set_slots(self, slots: Sequence[str]) -> None:
        self._slots = list(slots)

    def more(self) -> bool:
        """Between pages: True to go on (any key), False to stop (q, Escape, Ctrl-C)."""
        hint = render.message("more: any key for the next page, q to stop", "dim")
        console = make_console(io.StringIO(), no_color=self.no_color, force=True,
                               width=self._pager.output.get_size().columns, color_system=self.color_system)
        console.print(hint, end="")
        file = console.file
        assert isinstance(file, io.StringIO)
        return bool(self._pager.prompt(ANSI(file.getvalue())))
