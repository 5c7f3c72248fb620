"""SIGTERM and SIGHUP while playing: leave cleanly, with the run saved.

A terminal that closes (SIGHUP) or a system that shuts down (SIGTERM) should
cost the player nothing. While the game runs, both signals become `Stop`, which
the game loop catches to autosave and return (status 130). After SIGHUP the
terminal is gone, so what is still written to it goes to the null device. Inside a prompt_toolkit prompt an
exception raised by a signal handler would land in a callback of its event loop
and be printed there, so the prompt is asked to leave with `Stop` instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Stop", "stop_on_signals"]


class Stop(BaseException):
    """SIGTERM or SIGHUP arrived (or Ctrl-C as a prompt ended): save and leave.

    A BaseException, so no `except Exception` swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into `Stop` while the game runs (main thread only), then restore them.

    While a prompt_toolkit prompt runs, raising from the handler would land in
    some callback of its event loop, which would print it; so the prompt is asked
    to leave with `Stop` instead, and the prompt raises it where the game expects.
    """
    signals = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def missed(signum: int) -> None:
        # The prompt ended on its own before it could be told: deliver the signal again.
        nonlocal stopping
        stopping = False
        os.kill(os.getpid(), signum)

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if signum == getattr(signal, "SIGHUP", None):
            _hang_up()
        if stopping:  # a second signal must not interrupt the autosave
            return
        stopping = True
        if _stop_prompt(signum, missed):
            return
        raise Stop(signum)

    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _hang_up() -> None:
    """The terminal is gone: send what is still written to it (the prompt's last redraw, a note) nowhere.

    Every write to a terminal that hung up fails (EIO), and one that escaped
    would turn a clean exit into an internal error. Pipes and files are kept.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            if stat.S_ISCHR(os.fstat(fd).st_mode):  # a terminal (isatty fails on one that hung up)
                os.dup2(devnull, fd)
    os.close(devnull)


def _stop_prompt(signum: int, missed: Callable[[int], None]) -> bool:
    """Ask a running prompt_toolkit application to leave with `Stop`; False when none runs."""
    if "prompt_toolkit" not in sys.modules:
        return False
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    loop = app.loop if app is not None else None
    if app is None or loop is None or not app.is_running:
        return False

    def leave() -> None:
        if app.is_running and not app.is_done:
            app.exit(exception=Stop(signum))
        else:
            missed(signum)

    loop.call_soon_threadsafe(leave)
    return True
