"""Reading a pack's files as bytes: only regular files, never blocking, never oversized.

A FIFO, a socket or a device named like a scene file would block `open` or `read`
forever (or never end), so a file is opened without blocking and its kind and
size are checked on the open descriptor before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from zone.diagnostics import Diagnostic, Position, make

__all__ = ["MAX_BYTES", "read_bytes"]

MAX_BYTES = 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    return f"not a regular file ({kind})"


def read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A file's bytes, or None with the reason (not a regular file, too large, unreadable)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, [make("ZN001", Position(name), what="file", reason=exc.strerror or exc)]
    try:
        info = os.fstat(fd)
        reason = _not_regular(info.st_mode)
        if reason is not None:
            return None, [make("ZN001", Position(name), what="file", reason=reason)]
        if info.st_size > MAX_BYTES:
            return None, [make("ZN002", Position(name, 1, 1), size=info.st_size, limit=MAX_BYTES)]
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_BYTES + 1), []
    except OSError as exc:
        return None, [make("ZN001", Position(name), what="file", reason=exc.strerror or exc)]
    finally:
        os.close(fd)
