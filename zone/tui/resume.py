"""The line said when the player leaves: a command that goes on with this run, as they can type it here.

It names the pack and the saves folder when they were given, and the program
as the player can run it: `zone` when that is what their PATH finds, else the
program as it was invoked (a venv's `.venv/bin/zone`, or `python -m zone`).
`ZONE_PROG`, taken from the Environment like every outside setting, names a
wrapper that started the game instead (`make play`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from zone.environment import Environment
from zone.saves import PREVIOUS

__all__ = ["continue_hint"]


def _typable(path: Path, cwd: Path) -> str:
    """A path to a program as the player can type it: relative to `cwd` when inside it."""
    rel = os.path.relpath(path, cwd) if path.is_absolute() else str(path)
    if rel.startswith(".."):
        return str(path)
    return rel if os.sep in rel else os.path.join(".", rel)


def _program(env: Environment, argv0: str, executable: str) -> str:
    """How to name the running program in a command: 'zone' when that is what PATH finds, else as invoked."""
    invoked = Path(argv0)
    if not argv0 or argv0.startswith("-"):  # python -c, or embedded: no program to name but Zone's own
        return "zone"
    if invoked.name == "__main__.py":  # python -m zone
        return f"{_typable(Path(executable), env.cwd)} -m zone"
    if os.sep not in argv0:  # found on PATH by the shell
        return argv0
    on_path = shutil.which("zone", path=env.vars.get("PATH", ""))
    here = env.cwd / invoked
    if on_path is not None and os.path.realpath(on_path) == os.path.realpath(here):
        return "zone"
    return shlex.quote(_typable(here, env.cwd))


def continue_hint(env: Environment, *, pack: str | None, saves: str | None, title: bool,
                  argv0: str | None = None, executable: str | None = None) -> str:
    """What the player is told on leaving: a command, as they can type it here, that goes on with this run.

    `ZONE_PROG` names the command that started the game (`make play`), which takes no arguments: it opens
    the title screen, or in plain mode starts a new run beside the kept one.
    """
    prog = env.vars.get("ZONE_PROG")
    if prog:
        if title:
            return f"The run is saved: '{prog}' goes on from here: choose Continue."
        return f"The run is saved: after '{prog}', ':load {PREVIOUS}' goes on from here."
    words = ["play", *([pack] if pack else []), *(["--saves", saves] if saves else []), "--continue"]
    program = _program(env, argv0 if argv0 is not None else sys.argv[0], executable or sys.executable)
    return f"The run is saved: '{program} {shlex.join(words)}' goes on from here."
