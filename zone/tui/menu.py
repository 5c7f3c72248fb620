"""The prompt's choice list: a window on the choices that keeps the marked one in view.

A scene may offer more choices than the terminal has rows (a hundred in a
40-row window), and the prompt redraws its list on every key. So the list is
drawn as a window of whole choices around the marked one, scrolled as the mark
moves, and each choice is drawn once per width and kept (once more when it
gains or loses the mark): a key in a scene of 1,000 choices draws two rows, and
never more than fit on the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from zone.tui.view import MenuItem

__all__ = ["ChoiceWindow", "Shown"]

# draw(items, index, marked, width) -> the terminal lines of that one choice, each ending in "\n"
DrawRow = Callable[[Sequence[MenuItem], int, bool, int], list[str]]


class Shown(NamedTuple):
    """What the window shows: its lines, and which choices they are."""

    lines: list[str]
    rows: range


class ChoiceWindow:
    """The choices `items` as drawn by `draw`, shown a window of `height` rows at a time."""

    def __init__(self, items: Sequence[MenuItem], draw: DrawRow) -> None:
        self.items = items
        self.top = 0  # the first choice shown
        self._draw = draw
        self._drawn: dict[tuple[int, int, bool], list[str]] = {}

    def row(self, index: int, marked: bool, width: int) -> list[str]:
        key = (index, width, marked)
        lines = self._drawn.get(key)
        if lines is None:
            if len(self._drawn) > 4096:  # resized many times: start again rather than grow
                self._drawn.clear()
            lines = self._drawn[key] = self._draw(self.items, index, marked, width)
        return lines

    def _height(self, index: int, width: int) -> int:
        return len(self.row(index, False, width))

    def show(self, marked: int, width: int, height: int) -> Shown:
        """The lines of the choices around `marked` that fit in `height` rows (at least the marked one)."""
        count = len(self.items)
        if count == 0:
            return Shown([], range(0))
        marked = min(max(marked, 0), count - 1)
        height = max(1, height)
        top = min(self.top, marked)
        used = 0
        for index in range(top, marked + 1):  # does the window still reach the mark?
            used += self._height(index, width)
            if used > height:
                break
        if used > height:  # no: scroll until the mark is the last choice shown
            top, used = marked, self._height(marked, width)
            while top > 0 and used + self._height(top - 1, width) <= height:
                top -= 1
                used += self._height(top, width)
        end = marked + 1
        while end < count and used + self._height(end, width) <= height:
            used += self._height(end, width)
            end += 1
        while top > 0 and used + self._height(top - 1, width) <= height:  # room left (a taller window)
            top -= 1
            used += self._height(top, width)
        self.top = top
        lines = [line for index in range(top, end) for line in self.row(index, index == marked, width)]
        return Shown(lines, range(top, end))
