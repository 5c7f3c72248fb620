"""The endings a player has found, remembered across runs.

A small JSON file beside the saves folder (not inside it, where every file is a
save slot). It is written atomically, through a temporary file in the same
folder and `os.replace`, so a crash mid-write leaves the old file whole; and it
is re-read just before each write, so two games played at once both count.
A missing or damaged file means "nothing found yet": records are a pleasure,
never a reason for the game to stop.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from zone.errors import ZoneError

__all__ = ["RECORDS_FILE", "Records", "RecordsError", "records_path"]

RECORDS_FILE = "records.json"
VERSION = 1
_MAX_BYTES = 1 << 20


class RecordsError(ZoneError):
    """The records could not be written; the message is one line for the player."""


def records_path(saves: Path) -> Path:
    """Where the records of the saves in `saves` live: beside that folder."""
    return saves.absolute().parent / RECORDS_FILE


def _parse(data: Any) -> dict[str, set[str]]:
    if not isinstance(data, dict) or not isinstance(data.get("packs"), dict):
        return {}
    found: dict[str, set[str]] = {}
    for pack, entry in data["packs"].items():
        endings = entry.get("endings") if isinstance(entry, dict) else None
        if isinstance(pack, str) and isinstance(endings, list):
            found[pack] = {e for e in endings if isinstance(e, str)}
    return found


class Records:
    """Endings found per pack id, as stored at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._found = self._read()

    def _read(self) -> dict[str, set[str]]:
        try:
            with self.path.open("rb") as handle:
                raw = handle.read(_MAX_BYTES + 1)
            if len(raw) > _MAX_BYTES:
                return {}
            return _parse(json.loads(raw.decode("utf-8")))
        except (OSError, ValueError):
            return {}

    def found(self, pack: str) -> frozenset[str]:
        return frozenset(self._found.get(pack, ()))

    def add(self, pack: str, ending: str) -> bool:
        """Remember that `ending` of `pack` was reached; True when it is new. Raises RecordsError."""
        self._found = self._read()
        endings = self._found.setdefault(pack, set())
        if ending in endings:
            return False
        endings.add(ending)
        self._write()
        return True

    def _write(self) -> None:
        data = {"version": VERSION,
                "packs": {pack: {"endings": sorted(endings)} for pack, endings in sorted(self._found.items())}}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temp.open("w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            raise RecordsError(f"could not remember the ending in {self.path}: {exc.strerror or exc}") from None
