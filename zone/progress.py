"""A progress line for the tools that can take a while: `check`, `prove`, `playtest`, `graph`.

The author tools stay pure: they take a callback and call it as they go, and
when Ctrl-C stops them they raise `Interrupted` with what they had found, for
the command to print. This module turns those callbacks into rich's progress
display, on a terminal only: on a pipe, with `--json` or `TERM=dumb` it shows
nothing at all. The display appears only once the work has taken longer than
`DELAY`, so a quick command never flickers, and it erases itself when done.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zone.environment import Environment

__all__ = ["DELAY", "Interrupted", "Progress", "shows_progress"]

DELAY = 0.5  # seconds of work before the display appears


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a tool; `partial` is what it had found so far."""

    def __init__(self, partial: Any) -> None:
        super().__init__()
        self.partial = partial


def shows_progress(env: Environment, *, quiet: bool = False) -> bool:
    """Whether a progress display may be drawn: standard output is a terminal that understands escape codes."""
    if quiet or env.vars.get("TERM", "") == "dumb":
        return False
    try:
        return bool(env.stdout.isatty())
    except (AttributeError, ValueError):
        return False


class Progress:
    """One task's progress line: `with Progress(env, "prove") as bar: tool(progress=bar.update)`.

    `update(done, total)` sets how far the work is (a bar when the total is known,
    a count and a spinner when not); `phase` names a new step. Every method is
    cheap and safe to call whether or not anything is shown.
    """

    def __init__(self, env: Environment, what: str, total: int | None = None, *, unit: str = "",
                 quiet: bool = False, delay: float = DELAY) -> None:
        self.env = env
        self.what = what
        self.total = total
        self.unit = unit
        self.done = 0
        self.enabled = shows_progress(env, quiet=quiet)
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._display: Any = None  # rich.progress.Progress, once shown
        self._task: Any = None
        self._closed = False

    def __enter__(self) -> Progress:
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._display is not None:
                self._display.stop()
                self._display = None

    def _show(self) -> None:
        with self._lock:
            if self._closed:
                return
            from rich.console import Console
            from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Display

            console = Console(file=self.env.terminal, no_color=self.env.no_color, stderr=False)
            self._display = Display(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                    TextColumn("{task.fields[count]}"), TimeElapsedColumn(), console=console,
                                    transient=True, redirect_stdout=False, redirect_stderr=False)
            self._task = self._display.add_task(self.what, total=self.total, count=self._count())
            self._display.start()

    def _count(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.total is None:
            return f"{self.done:,}{unit}" if self.done else ""
        return f"{self.done:,} of {self.total:,}{unit}"

    def update(self, done: int, total: int | None = None) -> None:
        """The work is `done` units along (of `total`, when it is known now)."""
        self.done = done
        if total is not None:
            self.total = total
        display = self._display
        if display is not None:
            display.update(self._task, completed=done, total=self.total, count=self._count())

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)

    def phase(self, what: str, total: int | None = None, unit: str | None = None) -> None:
        """A new step of the work, counted from zero."""
        self.what, self.total, self.done = what, total, 0
        if unit is not None:
            self.unit = unit
        display = self._display
        if display is not None:
            display.update(self._task, description=what, completed=0, total=total, count=self._count())

    def tick(self) -> None:
        """Nothing to count; the spinner and the clock go on by themselves."""
