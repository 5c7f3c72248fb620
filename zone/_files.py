"""Reading a pack's files as bytes, refusing oversized ones before reading them."""

from __future__ import annotations

import os
from pathlib import Path

from zone.diagnostics import Diagnostic, Position, make

__all__ = ["MAX_BYTES", "read_bytes"]

MAX_BYTES = 1024 * 1024


def read_bytes(path: Path, name: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A file's bytes, or None with the reason (too large, unreadable)."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            return None, [make("ZN002", Position(name, 1, 1), size=size, limit=MAX_BYTES)]
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES + 1), []
    except OSError as exc:
        return None, [make("ZN001", Position(name), what="file", reason=exc.strerror or exc)]
