"""Reading files Zone did not write itself: only regular files, never blocking, never oversized.

A FIFO, a socket or a device named like a scene file, a save or a replay would
block `open` or `read` forever (or never end), so a file is opened without
blocking and its kind is checked before a byte is read. `read_regular` is the one
reader of pack files, saves, records and replays; `read_bytes` turns what it
refuses into a pack diagnostic.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from zone.diagnostics import Diagnostic, Position, make

__all__ = ["MAX_BYTES", "NotRegular", "read_bytes", "read_regular"]

MAX_BYTES = 1024 * 1024

_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class NotRegular(OSError):
    """The path is a folder, a FIFO, a socket or a device: reading it could block or never end."""

    def __init__(self, mode: int) -> None:
        kind = next((name for test, name in _KINDS if test(mode)), "not a file")
        super().__init__(errno.EINVAL, f"it is not a regular file ({kind})")


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the regular file at `path` (one more, so a larger file can be refused).

    Checked before opening (opening some devices has effects) and again on the open
    descriptor (the file may be swapped in between). Raises NotRegular, or the OSError
    of `open` (FileNotFoundError for a missing file); a NUL in the path is an OSError too.
    """
    try:
        if not stat.S_ISREG(mode := os.stat(path).st_mode):
            raise NotRegular(mode)
        fd = os.open(path, _READ_FLAGS)
    except ValueError:  # a NUL in the path
        raise OSError(errno.EINVAL, "the path holds a NUL character") from None
    try:
        if not stat.S_ISREG(mode := os.fstat(fd).st_mode):
            raise NotRegular(mode)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A pack file's bytes, or None with the reason (not a regular file, too large, unreadable)."""
    try:
        data = read_regular(path, MAX_BYTES)
    except NotRegular as exc:
        reason = str(exc.strerror).removeprefix("it is ")
        return None, [make("ZN001", Position(name), what="file", reason=reason)]
    except OSError as exc:
        return None, [make("ZN001", Position(name), what="file", reason=exc.strerror or exc)]
    if len(data) > MAX_BYTES:
        return None, [make("ZN002", Position(name, 1, 1), size=_size(path, len(data)), limit=MAX_BYTES)]
    return data, []


def _size(path: Path, at_least: int) -> int:
    try:
        return max(path.stat().st_size, at_least)
    except OSError:
        return at_least
