"""`zone play --watch`: notice edits to a pack as they are saved and carry the run over.

An author plays while writing. While the game waits for an answer, a
`LiveWatch` thread (watchfiles, the `watch` extra) wakes the reader as soon as
a file of the pack changes: the reader's `read` raises `PackChanged`, and the
game reloads and shows the scene again, once. Without watchfiles the game
says so in one line and looks between turns only. Whether anything changed is
decided by the `Watcher` (a stamp of names, sizes and modification times), so
a change is reloaded once however it was noticed; a pack with errors is never
swapped in: the author sees the first error in one line and keeps playing the
old story. A good pack gets a new engine, and the run carries over as it is
when its state still fits the new story (`carry_run`), else as a save made
before the edit would load (`zone.saves.restore`): back to the latest point of
the run that fits, or to its start.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from zone.diagnostics import Diagnostic
from zone.engine import Engine
from zone.errors import StateError
from zone.model import Story
from zone.pack import check_pack, pack_files
from zone.run import Run
from zone.state import GameState

__all__ = ["WATCHFILES_HINT", "LiveWatch", "PackChanged", "Reload", "Watcher", "carry_run", "fit_run"]

WATCHFILES_HINT = ("Edits are picked up after each answer; to see them as soon as a file is saved, install "
                   "watchfiles (pip install 'zone[watch]').")
PACK_SUFFIXES = (".yaml", ".yml")
TICK = 100  # milliseconds between two looks at the stop event when nothing changes
READY_WAIT = 5.0  # seconds `LiveWatch.start` waits at most for the watch to be in place


class PackChanged(Exception):  # noqa: N818 - an event, not an error
    """Raised by a reader's `read` when the pack changed while it waited: the game reloads, then reads again."""


class LiveWatch:
    """Calls `wake` (from a thread of its own) whenever a YAML file in the pack folder changes."""

    def __init__(self, pack: Path, wake: Callable[[], None]) -> None:
        self.pack = pack
        self.wake = wake
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start watching, and return once the watch is in place; False when watchfiles is not installed.

        A change made before then is not missed: the game compares the files' stamps before it waits.
        """
        try:
            import watchfiles  # noqa: F401
        except ImportError:
            return False
        self._thread = threading.Thread(target=self._watch, name="zone-watch", daemon=True)
        self._thread.start()
        self._ready.wait(READY_WAIT)
        return True

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(self.pack, stop_event=self._stop, debounce=400, step=30,
                                            raise_interrupt=False, recursive=False, yield_on_timeout=True,
                                            rust_timeout=TICK):
                self._ready.set()  # the first answer, changes or none, comes once the watch is in place
                if any(path.endswith(PACK_SUFFIXES) for _, path in changes):
                    self.wake()
        except Exception:  # noqa: BLE001 - the folder went away: between turns the game still looks
            return
        finally:
            self._ready.set()


_Stamp = tuple[tuple[str, int, int], ...]


class Reload(NamedTuple):
    """What a reload found: a story to switch to, or the errors that keep the old one."""

    story: Story | None
    errors: tuple[Diagnostic, ...]


class Watcher:
    """Remembers how the pack's files looked, to tell when they change."""

    def __init__(self, pack: Path) -> None:
        self.pack = pack
        self.stamp = self._stamp()

    def _stamp(self) -> _Stamp:
        try:
            files = pack_files(self.pack)
        except OSError:
            return ()
        out = []
        for path in files:
            try:
                st = os.stat(path)
            except OSError:
                continue
            out.append((path.name, st.st_mtime_ns, st.st_size))
        return tuple(out)

    def changed(self) -> bool:
        """True once after each change of the pack's files."""
        stamp = self._stamp()
        if stamp == self.stamp:
            return False
        self.stamp = stamp
        return True

    def reload(self) -> Reload:
        story, diagnostics = check_pack(self.pack)
        errors = tuple(d for d in diagnostics if d.is_error)
        if story is None or errors:
            return Reload(None, errors)
        return Reload(story, ())


def fit_run(run: Run, story: Story) -> tuple[Run, str | None]:
    """The run on a new version of its story, and what the player is told when it could not stay as it was.

    As it is when its state fits (`carry_run`); else as a save of it would load
    into the changed pack: back to the latest point that fits, or to its start.
    """
    try:
        return carry_run(run, story), None
    except StateError:
        pass
    from zone.saves.body import body_of, read_body
    from zone.saves.restore import restore

    fitted, message = restore(read_body(body_of(run)), Engine(story), strict=False, ident=run.ident, since="")
    return fitted, message


def carry_run(run: Run, story: Story) -> Run:
    """The same run on a new version of its story; raises StateError when it no longer fits.

    The undo history keeps the most recent states that still fit; the journal
    written so far is kept as it was read.
    """
    old = run.engine.story
    state = GameState.from_dict(run.state.to_dict(old), story)
    if run.start_scene is not None and run.start_scene not in story.scenes:
        raise StateError(f"the scene '{run.start_scene}' this run started in is gone")
    start_values = dict(run.start_values)
    if start_values:
        probe = {"scene": story.start, "values": start_values}
        start_values = {k: GameState.from_dict(probe, story).values[k] for k in start_values}
    undo: list[GameState] = []
    for earlier in reversed(run.undo_stack):
        try:
            undo.append(GameState.from_dict(earlier.to_dict(old), story))
        except StateError:
            break
    undo.reverse()
    return run.rebased(Engine(story), state, start_values, undo)
