"""The endings a player has found, remembered across runs.

A small JSON file inside the saves folder, `records.zone.json`: a name no save
slot can have (slot names hold no dot), so listing the slots never takes it for
one, and two saves folders never share one record. It is written through the
one atomic writer (`zone.atomic.write_atomic`: a temporary file of its own,
created exclusively, flushed, renamed, folder flushed), so a crash mid-write
leaves the old file whole and a planted link is never written through; and it
is re-read just before each write, so two games played at once both count.
A missing or damaged file means "nothing found yet": records are a pleasure,
never a reason for the game to stop.

Zone used to keep `records.json` beside the saves folder. The first time a
folder's records are opened, that file is moved in, but only when it is clearly
Zone's records, and never over records already there.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from zone._files import read_regular
from zone.atomic import NotDurable, write_atomic
from zone.errors import RecordsError

__all__ = ["OLD_RECORDS_FILE", "RECORDS_FILE", "Records", "open_records", "records_path"]

RECORDS_FILE = "records.zone.json"
OLD_RECORDS_FILE = "records.json"  # beside the saves folder, before records moved in
VERSION = 1
_MAX_BYTES = 1 << 20




def records_path(saves: Path) -> Path:
    """Where the records of the saves in `saves` live: inside that folder."""
    return saves / RECORDS_FILE


def _load(path: Path) -> Any:
    """The JSON in the file at `path`, or None when there is none, it is too large or it is not JSON."""
    try:
        raw = read_regular(path, _MAX_BYTES)
        if len(raw) > _MAX_BYTES:
            return None
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # RecursionError: nested past what json can read
        return None


def _parse(data: Any) -> dict[str, set[str]]:
    """The endings found per pack, taking what is usable from a file that may be damaged."""
    if not isinstance(data, dict) or not isinstance(data.get("packs"), dict):
        return {}
    found: dict[str, set[str]] = {}
    for pack, entry in data["packs"].items():
        endings = entry.get("endings") if isinstance(entry, dict) else None
        if isinstance(pack, str) and isinstance(endings, list):
            found[pack] = {e for e in endings if isinstance(e, str)}
    return found


def _clearly_records(data: Any) -> bool:
    """True for a file that can only be Zone's records: exactly its fields, of exactly their types."""
    if not isinstance(data, dict) or set(data) != {"version", "packs"} or data["version"] != VERSION:
        return False
    packs = data["packs"]
    return isinstance(packs, dict) and all(
        isinstance(entry, dict) and set(entry) == {"endings"} and isinstance(entry["endings"], list)
        and all(isinstance(e, str) for e in entry["endings"]) for entry in packs.values())


def _text(found: dict[str, set[str]]) -> bytes:
    data = {"version": VERSION,
            "packs": {pack: {"endings": sorted(endings)} for pack, endings in sorted(found.items())}}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _adopt_old(saves: Path) -> None:
    """Move the records an older Zone kept beside `saves` into it (best effort, never clobbering)."""
    new = records_path(saves)
    old = saves.absolute().parent / OLD_RECORDS_FILE
    if os.path.lexists(new):
        return
    data = _load(old)
    if not _clearly_records(data):
        return
    try:
        saves.mkdir(parents=True, exist_ok=True)
        write_atomic(new, _text(_parse(data)), exclusive=True)
    except OSError:  # records already there, or a folder we cannot write: leave the old file as it is
        return
    with suppress(OSError):
        old.unlink()


def open_records(saves: Path) -> Records:
    """The records of the saves folder `saves`, moving in those an older Zone kept beside it."""
    _adopt_old(saves)
    return Records(records_path(saves))


class Records:
    """Endings found per pack id, as stored at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._found = _parse(_load(path))

    def found(self, pack: str) -> frozenset[str]:
        return frozenset(self._found.get(pack, ()))

    def add(self, pack: str, ending: str) -> bool:
        """Remember that `ending` of `pack` was reached; True when it is new. Raises RecordsError."""
        self._found = _parse(_load(self.path))
        endings = self._found.setdefault(pack, set())
        if ending in endings:
            return False
        endings.add(ending)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, _text(self._found))
        except NotDurable:  # written; only the flush of the folder failed, which costs nothing today
            pass
        except OSError as exc:
            raise RecordsError(f"could not remember the ending in {self.path}: {exc.strerror or exc}") from None
        return True
