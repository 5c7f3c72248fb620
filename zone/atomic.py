"""Atomic, durable file replacement: a crash at any moment leaves the old file or the new one.

This is Zone's one writer: saves, records, the compile cache, replay files,
`:transcript` files, graphs and schemas all go through `write_atomic`.

The new bytes go to a temporary file in the same folder (so the final rename
never crosses file systems), which is flushed to the disk with fsync before it
is renamed over the target with `os.replace`, atomic on POSIX and Windows.
The previous file is kept as a backup first, by a hard link (or a copy where
links are not supported), so the target exists at every instant. Finally the
folder itself is fsynced, so the rename survives a power cut.

A process killed half-way leaves a temporary file behind; `clean_stale`
removes those of processes that are gone (or that are more than an hour old),
and never those of a process still writing.

Reading is the business of `zone._files.read_regular`, which opens only regular
files, without blocking, so a FIFO or a device planted among the saves cannot hang Zone.
"""

from __future__ import annotations

import errno
import os
import re
import time
from contextlib import suppress
from pathlib import Path

__all__ = ["STALE_AFTER", "NotDurable", "clean_stale", "fsync_folder", "write_atomic"]

STALE_AFTER = 3600.0  # seconds: a temporary file this old is stale whoever made it
_TEMP = re.compile(r"\.(?P<name>[^/\\]+)\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{8}\.tmp")
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# fsync on a folder is refused by some file systems and platforms; that only means no extra durability.
_FOLDER_SYNC_UNSUPPORTED = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EISDIR}


class NotDurable(OSError):
    """The new file is in place, but the folder could not be flushed: a power cut might still undo it."""


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _write_new(path: Path, data: bytes, durable: bool) -> None:
    """Create `path` (which must not exist) holding `data`, flushed to the disk when `durable`."""
    fd = os.open(path, _OPEN_FLAGS, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            if written <= 0:  # a file system that accepts nothing without saying why
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            view = view[written:]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def _keep_backup(target: Path, backup: Path, durable: bool) -> None:
    """Make `backup` hold what `target` holds now (nothing to do when there is no target yet)."""
    temp = _temp_path(backup)
    try:
        try:
            os.link(target, temp)
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                raise
            try:
                old = target.read_bytes()
            except FileNotFoundError:
                return
            _write_new(temp, old, durable)
        os.replace(temp, backup)
        if temp.exists():  # `backup` was already this very file (a hard link): rename did nothing
            os.unlink(temp)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _put_new(temp: Path, target: Path) -> None:
    """Rename `temp` to `target` only if there is no `target`: FileExistsError otherwise."""
    try:
        os.link(temp, target)  # fails with EEXIST, atomically, where os.replace would overwrite
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def write_atomic(target: Path, data: bytes, *, backup: Path | None = None, durable: bool = True,
                 exclusive: bool = False) -> None:
    """Replace `target` by `data`; keep what it held as `backup` first.

    Raises OSError with `target` as it was, or NotDurable when only the final flush of the folder failed.
    `durable=False` skips the fsyncs (for tests and tools, never for a player's save). `exclusive` never
    replaces anything: FileExistsError when `target` exists.
    """
    temp = _temp_path(target)
    try:
        _write_new(temp, data, durable)
        if exclusive:
            _put_new(temp, target)
        else:
            if backup is not None:
                _keep_backup(target, backup, durable)
            os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        try:
            fsync_folder(target.parent)
        except OSError as exc:
            raise NotDurable(exc.errno, exc.strerror) from None


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames just made) to the disk, where the platform allows it."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FOLDER_SYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def _process_gone(pid: int) -> bool:
    if os.name != "posix" or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but belongs to someone else, or we cannot tell
        return False
    return False


def clean_stale(folder: Path, *, now: float | None = None) -> list[Path]:
    """Remove temporary files left by killed writers in `folder`; returns what was removed."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if old or _process_gone(int(match["pid"])):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
