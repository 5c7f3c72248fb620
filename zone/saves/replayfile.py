"""Replay files: a whole run in one small JSON file, so a bug report is one attachment.

A replay holds what it takes to play a run again and nothing else: the pack's
id and content hash (to notice a changed pack), where the pack was, the seed,
where the run started and with which values, and the choices as 0-based
indices among the shown choices (choice number minus one, as in the golden
`run.json` files, which `zone replay` also reads).

    {"format": "zone-replay", "version": 1, "pack": "tests/packs/tiny", "pack_id": "tiny",
     "pack_hash": "9f2c...", "seed": 7, "scene": null, "values": {}, "choices": [1, 0], "note": "..."}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zone.errors import ReplayError
from zone.model import Story, Value
from zone.state import MAX_SEED

if TYPE_CHECKING:
    from zone.run import Run

__all__ = ["FORMAT", "MAX_BYTES", "VERSION", "Replay"]

FORMAT = "zone-replay"
VERSION = 1
MAX_BYTES = 4 * 1024 * 1024
_KEYS = {"format", "version", "pack", "pack_id", "pack_hash", "seed", "scene", "values", "choices", "note"}


@dataclass(frozen=True)
class Replay:
    seed: int
    choices: tuple[int, ...]
    pack: str | None = None  # the pack's folder as it was named when recorded
    pack_id: str | None = None
    pack_hash: str | None = None
    scene: str | None = None  # None: the pack's start
    values: Mapping[str, Value] = field(default_factory=dict)
    note: str = ""

    @classmethod
    def record(cls, story: Story, pack: str | None, seed: int, choices: Sequence[int], *,
               scene: str | None = None, values: Mapping[str, Value] | None = None, note: str = "") -> Replay:
        return cls(seed, tuple(choices), pack, story.id, story.content_hash, scene, dict(values or {}), note)

    @classmethod
    def from_run(cls, run: Run, pack: str | None, note: str = "") -> Replay:
        """The replay of a run being played (for `:transcript`-style exports)."""
        return cls.record(run.engine.story, pack, run.seed, run.choices, scene=run.start_scene,
                          values=run.start_values, note=note)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "pack": self.pack, "pack_id": self.pack_id,
                "pack_hash": self.pack_hash, "seed": self.seed, "scene": self.scene, "values": dict(self.values),
                "choices": list(self.choices), "note": self.note}

    def write(self, path: Path) -> None:
        """Write atomically: a replay is either all there or not there."""
        from zone.atomic import write_atomic

        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (json.dumps(self.to_dict(), indent=2) + "\n").encode("utf-8"), durable=False)

    @classmethod
    def read(cls, path: Path) -> Replay:
        raw = _read_regular(path)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ReplayError(f"{path} is not a JSON replay file ({exc})") from None
        except RecursionError:
            raise ReplayError(f"{path} is not a replay file: its JSON is nested too deeply") from None
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: object, where: str = "the replay") -> Replay:
        """Check everything: replay files come from other people."""
        if not isinstance(data, dict):
            raise ReplayError(f"{where}: a replay is a JSON object")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise ReplayError(f"{where}: unknown field{'s' * (len(unknown) > 1)} {', '.join(unknown)}")
        if "format" in data and (data["format"] != FORMAT or data.get("version") != VERSION):
            raise ReplayError(f"{where}: not a {FORMAT} version {VERSION} file")
        seed = data.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            raise ReplayError(f"{where}: the seed must be a whole number from 0 to {MAX_SEED}")
        choices = data.get("choices")
        if not isinstance(choices, list) or not all(
                isinstance(c, int) and not isinstance(c, bool) and 0 <= c < 10_000 for c in choices):
            raise ReplayError(f"{where}: 'choices' must be a list of choice indices (choice number minus one)")
        texts = {}
        for key in ("pack", "pack_id", "pack_hash", "scene", "note"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ReplayError(f"{where}: '{key}' must be text")
            texts[key] = value
        values = data.get("values") or {}
        if not isinstance(values, dict) or not all(
                isinstance(k, str) and isinstance(v, int) for k, v in values.items()):
            raise ReplayError(f"{where}: 'values' must map names to numbers or true/false")
        return cls(seed, tuple(choices), texts["pack"], texts["pack_id"], texts["pack_hash"], texts["scene"],
                   values, texts["note"] or "")

    def locate(self, replay_file: Path, cwd: Path) -> Path | None:
        """The pack folder the run was recorded with, wherever the replay is played from.

        A relative `pack` was relative to the folder the run was recorded in (`.`
        inside the pack itself), which need not be the working folder. So the
        candidates are the pack as recorded, from the working folder and from the
        replay file's folder, then the replay file's folder and each folder above
        it; the first whose story.yaml declares the replay's pack id wins. Without
        such a match, the pack as recorded from either folder, if it is a folder.
        """
        if not self.pack or "\0" in self.pack:
            return None
        from zone.pack import pack_id

        recorded = Path(self.pack)
        named = [cwd / recorded, replay_file.parent / recorded]
        if self.pack_id is not None:
            folder = replay_file.parent
            holders = [folder, *folder.parents, *(() if folder.is_absolute() else Path.cwd().parents)]
            seen: set[Path] = set()
            for candidate in (*named, *holders):
                key = _resolved(candidate)
                if key is not None and key not in seen:
                    seen.add(key)
                    if pack_id(candidate) == self.pack_id:
                        return candidate
        return next((candidate for candidate in named if candidate.is_dir()), None)


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _read_regular(path: Path) -> bytes:
    """The bytes of a replay file: a regular file of at most MAX_BYTES, read without blocking."""
    from zone._files import read_regular

    try:
        data = read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise ReplayError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ReplayError(f"{path}: a replay file is at most {MAX_BYTES} bytes")
    return data
