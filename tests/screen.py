"""A small terminal screen for the end-to-end tests: what a player would see, not the bytes sent.

prompt_toolkit redraws only the cells that changed, so the text of a row may
never appear whole in the output stream. `Screen` replays the stream on a grid
of cells with the few controls Zone's output uses (cursor moves, erasing, line
feeds that scroll at the bottom); colours, modes and titles are skipped.
`Terminal` runs the real program in a pseudo-terminal behind pyte, the terminal
emulator of the lock, for tests that resize the window.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["Screen", "Terminal"]

_CONTROL = re.compile(r"\x1b\[([?>]?)([0-9;]*)([A-Za-z@])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>()][0-9A-Za-z]?|"
                      r"[\x00-\x1f]|[^\x00-\x1f\x1b]+")


class Screen:
    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.cells = [[" "] * cols for _ in range(rows)]
        self.row = self.col = 0

    def _line_feed(self) -> None:
        if self.row == self.rows - 1:
            self.cells = [*self.cells[1:], [" "] * self.cols]
        else:
            self.row += 1

    def _put(self, text: str) -> None:
        for ch in text:
            if self.col >= self.cols:  # a character past the last column wraps (xterm's deferred wrap)
                self.col = 0
                self._line_feed()
            self.cells[self.row][self.col] = ch
            self.col += 1

    def _csi(self, private: str, params: str, final: str) -> None:
        if private:
            return  # modes: cursor visibility, autowrap, bracketed paste
        numbers = [int(p) if p else 0 for p in params.split(";")] if params else []
        n = max(1, numbers[0]) if numbers else 1
        if final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            self.row = min(self.rows - 1, self.row + n)
        elif final == "C":
            self.col = min(self.cols - 1, self.col + n)
        elif final == "D":
            self.col = max(0, min(self.col, self.cols - 1) - n)
        elif final == "H":
            self.row = min(self.rows, n) - 1
            self.col = min(self.cols, max(1, numbers[1]) if len(numbers) > 1 else 1) - 1
        elif final == "K":
            self.cells[self.row][min(self.col, self.cols):] = [" "] * (self.cols - min(self.col, self.cols))
        elif final == "J":
            what = numbers[0] if numbers else 0
            if what == 0:
                self._csi("", "", "K")
                for row in range(self.row + 1, self.rows):
                    self.cells[row] = [" "] * self.cols
            elif what == 2:
                self.cells = [[" "] * self.cols for _ in range(self.rows)]

    def feed(self, data: str) -> None:
        for match in _CONTROL.finditer(data):
            token = match.group(0)
            if match.group(3):
                self._csi(match.group(1), match.group(2), match.group(3))
            elif token == "\r":
                self.col = 0
            elif token == "\n":
                self._line_feed()
            elif token == "\b":
                self.col = max(0, min(self.col, self.cols - 1) - 1)
            elif not token.startswith("\x1b") and token[0] >= " ":
                self._put(token)

    @property
    def lines(self) -> list[str]:
        """The rows of the screen as text, without trailing spaces."""
        return ["".join(row).rstrip() for row in self.cells]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Terminal:
    """A real `zone` in a pseudo-terminal, seen through pyte (a full terminal emulator): the screen a player
    sees, resized with the child as a window is (`resize`)."""

    def __init__(self, args: list[str], rows: int, cols: int, env: dict[str, str], cwd: str) -> None:
        import pexpect
        import pyte

        self.child = pexpect.spawn(args[0], args[1:], env=env, cwd=cwd, encoding="utf-8", codec_errors="replace",
                                   dimensions=(rows, cols), timeout=15)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.Stream(self.screen)
        self.raw: list[str] = []  # everything the child wrote

    def _read(self, timeout: float) -> bool:
        """Feed what the child wrote within `timeout` seconds to the screen; False when nothing came."""
        import pexpect

        try:
            data = self.child.read_nonblocking(1 << 16, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        self.raw.append(data)
        self.stream.feed(data)
        return True

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait(self, shows: str | Callable[[Terminal], bool], deadline: float = 20) -> None:
        """Read until the screen shows `shows` (a text, or a test of the terminal)."""
        import time

        test = shows if callable(shows) else (lambda term: shows in term.text)
        end = time.monotonic() + deadline
        while not test(self):
            assert time.monotonic() < end, f"the screen never showed {shows!r}:\n{self.text}"
            self._read(0.1)

    def settle(self) -> None:
        """Read until the child has written nothing for half a second."""
        while self._read(0.5):
            pass

    def resize(self, rows: int, cols: int) -> None:
        """Resize the window: what was written so far lands at the old size, then the child gets SIGWINCH."""
        while self._read(0):
            pass
        self.screen.resize(rows, cols)
        self.child.setwinsize(rows, cols)
