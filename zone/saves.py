"""Save slots on disk (first version: plain JSON files, one per slot).

The public API is stable; the storage underneath is being hardened.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from zone.engine import Engine
from zone.errors import StateError, ZoneError
from zone.model import Story
from zone.run import Run

__all__ = ["AUTOSAVE", "SaveError", "SaveStore", "SlotInfo", "check_slot_name"]

AUTOSAVE = "autosave"
_SLOT = re.compile(r"[a-z0-9_-]{1,32}")


class SaveError(ZoneError):
    """A save could not be written or read; the message is one line for the player."""


@dataclass(frozen=True, slots=True)
class SlotInfo:
    slot: str
    pack: str
    chapter: str
    scene_title: str
    turn: int
    saved_at: float


def check_slot_name(name: str) -> str:
    slot = name.casefold()
    if not _SLOT.fullmatch(slot):
        raise SaveError(f"'{name}' is not a slot name: use up to 32 of a-z, 0-9, _ and -")
    return slot


class SaveStore:
    def __init__(self, folder: Path, story: Story) -> None:
        self.folder = folder
        self.story = story

    def path(self, slot: str) -> Path:
        return self.folder / f"{check_slot_name(slot)}.json"

    def save(self, slot: str, run: Run) -> None:
        frame = run.frame()
        data = {"pack": self.story.id, "chapter": frame.chapter, "title": frame.title, "turn": run.state.turn,
                "saved_at": time.time(), "run": run.to_dict()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.path(slot).write_text(json.dumps(data), encoding="utf-8")
        except OSError as exc:
            raise SaveError(f"could not save to slot '{slot}': {exc.strerror or exc}") from None

    def autosave(self, run: Run) -> None:
        self.save(AUTOSAVE, run)

    def load(self, slot: str, engine: Engine) -> tuple[Run, str | None]:
        path = self.path(slot)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Run.from_dict(data["run"], engine), None
        except FileNotFoundError:
            raise SaveError(f"there is no save in slot '{slot}'") from None
        except (OSError, ValueError, KeyError, TypeError, StateError) as exc:
            raise SaveError(f"the save in slot '{slot}' cannot be used: {exc}") from None

    def slots(self) -> list[SlotInfo]:
        out = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                out.append(SlotInfo(path.stem, data["pack"], data["chapter"], data["title"], data["turn"],
                                    data["saved_at"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return out

    def latest(self) -> str | None:
        mine = [s for s in self.slots() if s.pack == self.story.id]
        return max(mine, key=lambda s: s.saved_at).slot if mine else None

    def delete(self, slot: str) -> None:
        try:
            self.path(slot).unlink()
        except FileNotFoundError:
            raise SaveError(f"there is no save in slot '{slot}'") from None
