"""The line said when the player leaves: a command that goes on with this run, as they can type it here.

It names the pack and the saves folder when they were given, and the program
as the player can run it: `zone` when that is what their PATH finds, else the
program as it was invoked (a venv's `.venv/bin/zone`, or `python -m zone`).
`ZONE_PROG`, taken from the Environment like every outside setting, names a
wrapper that started the game instead (`make play`).
"""

from __future__ import annotations

import shlex

from zone.environment import Environment, program_name
from zone.saves.slots import PREVIOUS

__all__ = ["continue_hint"]


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
    program = program_name(env, argv0, executable)
    return f"The run is saved: '{program} {shlex.join(words)}' goes on from here."
