"""The save file format: UTF-8 JSON with a header, a body and a checksum, never pickle.

Version 3 (current), one line of compact JSON (ASCII, with \\u escapes, so any text survives):

    {"header": {"format": "zone-save", "version": 3, "pack": ID, "pack_version": "1.0",
                "pack_hash": SHA256 of the pack's files, "saved_at": ISO 8601 time in UTC,
                "chapter": ..., "title": ..., "turn": N, "run": ID, "checksum": "sha256:HEX"},
     "body": {"seed", "start_scene", "start_values", "choices", "state", "undo": [patches]}}

The checksum covers everything else in the file: the header without it and the
body, each as compact JSON, joined by a newline. It is checked before anything
else, the version included, so a flipped byte anywhere is caught; this envelope
stays the same in every later version, so a newer file can be told from a
damaged one.

A state is {"scene", "values", "visits", "turn", "seed", "stack"}: `stack` lists the
scenes that pending returns lead to. Version 2 was the same, but its states counted
the random draws (`draws`) instead of holding a stack: random outcomes were a
stream then; they are rolled from the seed, the scene and its visit now.

Version 1 (the first Zone saves) had no header and no checksum:

    {"pack", "chapter", "title", "turn", "saved_at": seconds, "run": {..., "undo": [full states]}}

`run` names the run (saves of one run share it; a new run gets another), so
the autosave can tell a new run from the one it holds; saves written before it
existed are named after their seed and start.

Older files are upgraded by `UPGRADES`, a chain of small pure functions on the
raw data, each taking version N to N + 1, before anything is validated; then
the body is checked field by field (`zone.saves.body`), so a file with a good
checksum but content no run of Zone could have is refused as `UnusableSave`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from zone.errors import CorruptSave, NewerSave, UnusableSave
from zone.saves.body import Body, BodyError, read_body
from zone.saves.patches import diff_raw

__all__ = ["FORMAT", "FORMAT_VERSION", "MAX_BYTES", "UPGRADES", "Header", "SaveFile", "checksum", "decode", "encode",
           "upgrade"]

FORMAT = "zone-save"
FORMAT_VERSION = 3
MAX_BYTES = 8 * 1024 * 1024  # far above any real save; bigger files are not read at all
_V1_KEYS = frozenset({"pack", "chapter", "title", "turn", "saved_at", "run"})
_RUN = re.compile(r"[0-9a-f]{16}")




class Header(NamedTuple):
    """What a save says about itself, readable without the pack."""

    pack: str
    pack_version: str | None  # None: unknown (upgraded from a format that did not record it)
    pack_hash: str | None
    saved_at: float  # seconds since the epoch
    chapter: str
    title: str
    turn: int
    run: str | None = None  # the run's name; None in saves written before runs had one


class SaveFile(NamedTuple):
    header: Header
    body: Body
    version: int  # the format version the file was written in, before upgrading

    @property
    def ident(self) -> str:
        """The name of the saved run; for a save from before runs had one, made from its seed and start."""
        if self.header.run is not None:
            return self.header.run
        start = _dumps([self.body.seed, self.body.start_scene, self.body.start_values])
        return "seed-" + hashlib.sha256(start.encode("utf-8")).hexdigest()[:16]


def _dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), allow_nan=False)


def checksum(header: dict[str, Any], body: dict[str, Any]) -> str:
    """The checksum of a header (without its checksum field) and a body."""
    text = _dumps(header) + "\n" + _dumps(body)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="microseconds")


def encode(header: Header, body: dict[str, Any]) -> bytes:
    """The bytes of a save file in the current format."""
    raw_header: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "pack": header.pack,
        "pack_version": header.pack_version,
        "pack_hash": header.pack_hash,
        "saved_at": _iso(header.saved_at),
        "chapter": header.chapter,
        "title": header.title,
        "turn": header.turn,
    }
    if header.run is not None:
        raw_header["run"] = header.run
    body_text = _dumps(body)
    header_text = _dumps(raw_header)
    digest = hashlib.sha256((header_text + "\n" + body_text).encode("utf-8")).hexdigest()
    full_header = header_text[:-1] + f',"checksum":"sha256:{digest}"}}'
    return f'{{"header":{full_header},"body":{body_text}}}\n'.encode()


# -- upgrades: each takes the raw data of version N to version N + 1 ----------------------------

def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 had no header: lift its summary into one, and store the undo history as patches."""
    run = doc["run"]
    body = dict(run) if isinstance(run, dict) else run
    if isinstance(body, dict) and isinstance(body.get("undo"), list) and isinstance(body.get("state"), dict):
        states = [s for s in body["undo"] if isinstance(s, dict)]
        newer = [*states[1:], body["state"]]
        body["undo"] = [diff_raw(older, new) for older, new in zip(states, newer, strict=True)]
    saved_at = doc["saved_at"]
    if isinstance(saved_at, (int, float)) and not isinstance(saved_at, bool) and math.isfinite(saved_at):
        saved_at = _iso(min(max(float(saved_at), 0.0), 253402300799.0))
    header = {"format": FORMAT, "version": 2, "pack": doc["pack"], "pack_version": None, "pack_hash": None,
              "saved_at": saved_at, "chapter": doc["chapter"], "title": doc["title"], "turn": doc["turn"]}
    return {"header": header, "body": body}


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 3 rolls random outcomes by place: states drop their count of draws and gain an empty stack
    of calls (no version 2 run could be inside a called scene). Undo patches drop `draws` too."""
    body = doc["body"]
    if isinstance(body, dict):
        body = dict(body)
        state = body.get("state")
        if isinstance(state, dict):
            body["state"] = {**{k: v for k, v in state.items() if k != "draws"}, "stack": []}
        undo = body.get("undo")
        if isinstance(undo, list):
            body["undo"] = [{k: v for k, v in p.items() if k != "draws"} if isinstance(p, dict) else p for p in undo]
    return {"header": {**doc["header"], "version": 3}, "body": body}


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """Raw data of `version` brought up to `FORMAT_VERSION`, one step at a time."""
    while version < FORMAT_VERSION:
        doc = UPGRADES[version](doc)
        version += 1
    return doc


# -- reading ---------------------------------------------------------------------------------------

def _version_of(doc: Any) -> int:
    if not isinstance(doc, dict):
        raise CorruptSave("it is not a Zone save")
    if set(doc) == _V1_KEYS:
        return 1
    header = doc.get("header")
    if set(doc) != {"header", "body"} or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CorruptSave("it is not a Zone save")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 2:
        raise CorruptSave("its format version is missing or wrong")
    return version


def _verify(doc: dict[str, Any]) -> None:
    header = dict(doc["header"])
    stored = header.pop("checksum", None)
    try:
        good = isinstance(doc["body"], dict) and stored == checksum(header, doc["body"])
    except (ValueError, RecursionError):  # content no save of ours can hold
        good = False
    if not good:
        raise CorruptSave("its checksum does not match its content")


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not a number a save can hold")


def _header(raw: Any) -> Header:
    if not isinstance(raw, dict):
        raise CorruptSave("its header is not a mapping")

    def text(name: str, optional: bool = False) -> Any:
        value = raw.get(name)
        if not (isinstance(value, str) or (optional and value is None)):
            raise CorruptSave(f"its header has no valid '{name}'")
        return value

    turn = raw.get("turn")
    if not isinstance(turn, int) or isinstance(turn, bool) or turn < 0:
        raise CorruptSave("its header has no valid 'turn'")
    run = raw.get("run")
    if run is not None and not (isinstance(run, str) and _RUN.fullmatch(run)):
        raise UnusableSave("header.run must be 16 hexadecimal digits")
    try:
        saved_at = datetime.fromisoformat(text("saved_at")).timestamp()
    except (ValueError, OverflowError, OSError):
        raise CorruptSave("its header has no valid 'saved_at'") from None
    return Header(text("pack"), text("pack_version", True), text("pack_hash", True), saved_at,
                  text("chapter"), text("title"), turn, run)


def decode(data: bytes) -> SaveFile:
    """Read, check, upgrade and validate a save. Raises CorruptSave (UnusableSave) or NewerSave; nothing else."""
    if len(data) > MAX_BYTES:
        raise CorruptSave(f"it is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        doc = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise CorruptSave("it is not UTF-8 text") from None
    except RecursionError:
        raise CorruptSave("it is nested too deeply") from None
    except ValueError as exc:
        raise CorruptSave(f"it is not complete JSON ({getattr(exc, 'msg', exc)})") from None
    version = _version_of(doc)
    if version >= 2:
        _verify(doc)
    if version > FORMAT_VERSION:
        raise NewerSave(f"it was made by a newer version of Zone (save format {version}; "
                        f"this one reads formats 1 to {FORMAT_VERSION})")
    try:
        doc = upgrade(doc, version)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise CorruptSave(f"it cannot be upgraded from format {version} ({exc})") from None
    header = _header(doc["header"])
    try:
        body = read_body(doc.get("body"))
    except BodyError as exc:
        raise UnusableSave(str(exc), header) from None
    return SaveFile(header, body, version)
