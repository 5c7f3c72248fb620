"""The compile cache: a checked pack stored as plain JSON, like Python's .pyc files.

An entry's name (its key) is a digest of everything the compiled story derives
from: the pack's files, every Python source of the installed `zone` package,
the Python that runs it and the PyYAML that reads the files. An edited pack, an
edited module or an upgraded library never meets an old entry.

An entry is one line `zone-cache FORMAT CHECKSUM`, then the story as JSON. The
checksum covers the key and the JSON, so a damaged entry, or one copied under
another pack's name, is noticed before it is read. The JSON holds only texts
and numbers and is checked like any input from disk (`zone._storydata`): a
value of the wrong type or shape, a reference to nothing, an expression that
does not compile or a stored error all mean the entry is removed and the story
rebuilt from its source, never trusted and never an error. Entries live in the
user's cache folder, never inside the pack.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from zone import __version__
from zone._storydata import story_from_data, story_to_data
from zone.diagnostics import Diagnostic
from zone.model import Story

__all__ = ["FORMAT", "cache_key", "read_entry", "story_to_data", "write_entry"]

FORMAT = 2
_MAGIC = b"zone-cache"
_MAX_ENTRY = 256 * 1024 * 1024  # far above any pack Zone can load (MAX_BYTES per file)


def _sources(package: Path) -> list[tuple[str, Path]]:
    """Every .py file of the package, by its path inside it, in a fixed order."""
    found = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        relative = os.path.relpath(folder, package)
        found += [(os.path.normpath(os.path.join(relative, n)).replace(os.sep, "/"), Path(folder, n))
                  for n in sorted(names) if n.endswith(".py")]
    return found


def _yaml_identity() -> bytes:
    """PyYAML's release and build (its version line and whether libyaml's module is there), without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        return b"no yaml"
    folder = Path(locations[0])
    try:
        return (folder / "__init__.py").read_bytes() + "\0".join(sorted(os.listdir(folder))).encode()
    except OSError:
        return b"unreadable yaml"


def _fingerprint(package: Path) -> str:
    """A digest of every module of `package`, Python's version and PyYAML's.

    All of the package, not a list of the modules thought to shape a compiled
    story: a list is one more thing to keep true, and a module left out of it
    (as `_reading.py` once was) served stale stories.
    """
    digest = hashlib.sha256(f"zone {__version__} format {FORMAT}\0{sys.implementation.name} {sys.version}\0"
                            .encode())
    for relative, path in _sources(package):
        digest.update(relative.encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    digest.update(b"\0" + _yaml_identity())
    return digest.hexdigest()


@functools.cache
def engine_fingerprint() -> str:
    """The fingerprint of the installed `zone` package, computed once per process."""
    return _fingerprint(Path(__file__).resolve().parent)


def cache_key(content_hash: str) -> str:
    """The entry name for a pack: its content and the engine that compiles it."""
    return hashlib.sha256(f"{engine_fingerprint()}\n{content_hash}".encode()).hexdigest()


def _checksum(key: str, body: bytes) -> bytes:
    return hashlib.sha256(key.encode() + b"\n" + body).hexdigest().encode()


def write_entry(folder: Path, key: str, data: dict[str, Any]) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    from zone.atomic import write_atomic

    body = json.dumps(data, separators=(",", ":")).encode()
    header = b" ".join((_MAGIC, str(FORMAT).encode(), _checksum(key, body)))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", header + b"\n" + body, durable=False)
    except OSError:
        pass


def _read_body(path: Path, key: str) -> bytes | None:
    """The entry's JSON when its header and checksum are right; None when there is no entry."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_ENTRY + 1)
    except FileNotFoundError:
        return None
    header, _, body = raw.partition(b"\n")
    if len(raw) > _MAX_ENTRY or header != b" ".join((_MAGIC, str(FORMAT).encode(), _checksum(key, body))):
        raise ValueError("damaged entry")
    return body


def read_entry(folder: Path, key: str, prefix: str) -> tuple[Story, list[Diagnostic]] | None:
    """The cached story for `key`, or None when there is none or it cannot be used (then it is removed)."""
    path = folder / f"{key}.json"
    try:
        body = _read_body(path, key)
        return None if body is None else story_from_data(json.loads(body), prefix)
    except Exception:  # noqa: BLE001 - any damage at all (OSError, bad JSON, bad shape, RecursionError) means: rebuild
        with contextlib.suppress(OSError):
            path.unlink()
        return None
