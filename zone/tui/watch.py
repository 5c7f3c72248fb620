"""`zone play --watch`: notice edits to a pack between turns and carry the run over.

An author plays while writing. Between turns the game asks the `Watcher`
whether any file of the pack changed (a stamp of names, sizes and modification
times); if so it reloads the pack with `check_pack`. A pack with errors is
never swapped in: the author sees the errors and keeps playing the old story.
A good pack gets a new engine, and the run carries over when its state still
fits the new story (`carry_run`), through the same plain-data round trip as a
save, so nothing that a save would refuse can slip in here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from zone.diagnostics import Diagnostic
from zone.engine import Engine
from zone.errors import StateError
from zone.model import Story
from zone.pack import check_pack, pack_files
from zone.run import Run
from zone.state import GameState

__all__ = ["Reload", "Watcher", "carry_run"]

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
