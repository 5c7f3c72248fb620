"""Exit statuses of the `zone` program, documented in the README."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitStatus"]


class ExitStatus(IntEnum):
    """What the process tells its caller."""

    OK = 0
    ERROR = 1  # the pack has errors, a save cannot be used, a check failed
    USAGE = 2  # bad arguments
    INTERNAL = 70  # a bug in Zone (the traceback is shown only with ZONE_DEBUG=1)
    INTERRUPTED = 130  # Ctrl-C
