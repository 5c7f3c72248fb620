"""Save slots on disk: named saves, the autosave, and recovery from damaged files.

One folder holds every slot of every pack: `NAME.json`, and `NAME.json.bak`, the
save it replaced. Writes go through `zone.atomic` (temporary file, fsync,
backup, rename, fsync of the folder), so a crash, a kill or a full disk leaves
the previous save whole. A file that fails its checksum or cannot be parsed is
moved to `corrupt/` and its backup is loaded instead; so is one whose checksum
matches but whose content no run could have (`UnusableSave`). Slot names are
checked before any path is built from them, so nothing is ever written outside
the folder, and only regular files are ever opened, so a FIFO cannot hang Zone.

The autosave slot holds one run. When another run is about to be saved there
(a new run, or one loaded from another slot), the run it held moves to the
pack's 'previous' slot first (`keep_aside`), so starting over never loses a run.

The format itself is `zone.saves.savefile`; fitting a saved run to a pack that has
changed since is `zone.saves.restore`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import time
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from zone._files import NotRegular, read_regular
from zone.atomic import NotDurable, clean_stale, fsync_folder, write_atomic
from zone.engine import Engine
from zone.errors import CorruptSave, NewerSave, SaveError, StateError, UnusableSave
from zone.model import Story
from zone.pack import display_name
from zone.run import Run
from zone.saves.body import body_of
from zone.saves.patches import PatchCache
from zone.saves.restore import restore
from zone.saves.savefile import MAX_BYTES, Header, SaveFile, decode, encode

__all__ = [
    "AUTOSAVE",
    "CORRUPT",
    "PREVIOUS",
    "SaveStore",
    "SlotInfo",
    "check_slot_name",
    "delete_slot",
    "folds_to_another_name",
    "list_slots",
]

AUTOSAVE = "autosave"  # the name players use for the autosave of the pack they are playing
PREVIOUS = "previous"  # and for the run the autosave held before the one played now
CORRUPT = "corrupt"  # the subfolder damaged saves are moved to
_SLOT = re.compile(r"[a-z0-9_-]{1,32}")
# Names Windows reserves for devices in every folder, with any extension.
_RESERVED = frozenset({"con", "prn", "aux", "nul", "clock$", *(f"{p}{i}" for p in ("com", "lpt") for i in range(10))})
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EIO: "the disk reported an input/output error",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


class SlotInfo(NamedTuple):
    slot: str
    pack: str
    chapter: str
    scene_title: str
    turn: int
    saved_at: float
    note: str = ""  # why the slot may not load as listed ("damaged: its backup will be loaded")


def check_slot_name(name: str) -> str:
    """The slot name case-folded, or SaveError: it becomes a file name, so only a-z, 0-9, _ and -."""
    slot = name.casefold()
    if not _SLOT.fullmatch(slot) or slot in _RESERVED:
        shown = name[:40].encode("unicode_escape").decode("ascii") + ("..." if len(name) > 40 else "")
        raise SaveError(f"'{shown}' cannot be a slot name: use 1 to 32 of a-z, 0-9, _ and - "
                        "(and not a device name such as 'con')")
    return slot


def folds_to_another_name(name: str) -> bool:
    """True when a valid slot name becomes another one only by folding letters beyond ASCII case ('ß' -> 'ss'):
    the player may not know that the slot they name is one they already have."""
    return not name.isascii()


def _why(exc: OSError) -> str:
    if isinstance(exc, NotRegular):
        return str(exc.strerror)
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def _paths(folder: Path, slot: str) -> tuple[Path, Path]:
    name = check_slot_name(slot)
    return folder / f"{name}.json", folder / f"{name}.json.bak"


def _read(path: Path) -> SaveFile:
    """The save at `path`: FileNotFoundError when there is none, CorruptSave when it is damaged, and
    SaveError when it cannot be read (no permission) or is of a newer format."""
    try:
        data = read_regular(path, MAX_BYTES)  # one byte more, so a larger file is refused, not cut
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise SaveError(f"it cannot be read: {_why(exc)}") from None
    return decode(data)


def _info(slot: str, header: Header, note: str = "") -> SlotInfo:
    return SlotInfo(slot, header.pack, header.chapter, header.title, header.turn, header.saved_at, note)


def _slot_info(folder: Path, slot: str) -> SlotInfo:
    """What a slot holds, from its save's header (or its backup's), with a note when it will not load as is."""
    main, backup = _paths(folder, slot)
    unusable: UnusableSave | None = None
    try:
        return _info(slot, _read(main).header)
    except FileNotFoundError:
        note = "only its backup is left; it will be loaded"
    except UnusableSave as exc:
        note, unusable = "not a usable save; its backup will be loaded", exc
    except CorruptSave:
        note = "damaged; its backup will be loaded"
    except NewerSave:
        return SlotInfo(slot, "?", "", "", 0, 0.0, "made by a newer version of Zone")
    except SaveError as exc:
        return SlotInfo(slot, "?", "", "", 0, 0.0, str(exc))
    try:
        return _info(slot, _read(backup).header, note)
    except (FileNotFoundError, SaveError):
        if unusable is not None and unusable.header is not None:  # listed as what it claims, to say why on load
            return _info(slot, unusable.header, f"not a usable save: {unusable}")
        return SlotInfo(slot, "?", "", "", 0, 0.0, "damaged, with no usable backup")


def list_slots(folder: Path) -> list[SlotInfo]:
    """Every slot in `folder`, newest first; damaged ones are listed with a note, not hidden."""
    names: set[str] = set()
    try:
        for entry in os.scandir(folder):
            for suffix in (".json", ".json.bak"):
                stem = entry.name.removesuffix(suffix)
                if stem != entry.name and _SLOT.fullmatch(stem) and stem not in _RESERVED:
                    names.add(stem)
    except OSError:
        return []
    return sorted((_slot_info(folder, slot) for slot in names), key=lambda s: (-s.saved_at, s.slot))


def delete_slot(folder: Path, slot: str) -> None:
    """Remove a slot and its backup."""
    found = False
    for path in _paths(folder, slot):
        try:
            path.unlink()
            found = True
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise SaveError(f"could not delete slot '{slot.casefold()}': {_why(exc)}") from None
    if not found:
        raise SaveError(f"there is no save in slot '{slot.casefold()}'")


class _Damage(NamedTuple):
    exc: CorruptSave  # what was wrong with a save
    where: str  # where it went: "moved to saves/corrupt"


def _damage(name: str, path: Path, exc: CorruptSave, where: str) -> str:
    """What became of a damaged save, as the start of a sentence for the player."""
    if isinstance(exc, UnusableSave):
        return f"{display_name(path)}: not a usable save: {exc}; it was {where}"
    return f"The save in slot '{name}' was damaged, so it was {where}"


class SaveStore:
    """The save slots of one pack in one folder. Creating it removes temporary files left by crashes."""

    def __init__(self, folder: Path, story: Story) -> None:
        self.folder = folder
        self.story = story
        self.durable = True  # fsync every save; tests of other things may turn it off
        self._patches = PatchCache()
        self._autosaved: str | None = None  # the run the autosave slot is known to hold
        if folder.is_dir():
            clean_stale(folder)

    def _own(self, kind: str) -> str:
        """The file slot of this pack's autosave (or previous run), so that packs do not overwrite each other's."""
        name = f"{kind}-{self.story.id}"
        if len(name) > 32:  # a long pack id: keep the start readable and the end unique
            name = f"{name[:23]}-{hashlib.sha256(self.story.id.encode()).hexdigest()[:8]}"
        return name

    @property
    def autosave_slot(self) -> str:
        return self._own(AUTOSAVE)

    @property
    def previous_slot(self) -> str:
        return self._own(PREVIOUS)

    def _slot(self, slot: str) -> str:
        name = check_slot_name(slot)
        return {AUTOSAVE: self.autosave_slot, PREVIOUS: self.previous_slot}.get(name, name)

    def shown(self, slot: str) -> str:
        """The name players use for a slot of this pack: 'autosave' and 'previous' for its own two."""
        return {self.autosave_slot: AUTOSAVE, self.previous_slot: PREVIOUS}.get(slot, slot)

    def path(self, slot: str) -> Path:
        return self.folder / f"{self._slot(slot)}.json"

    def exists(self, slot: str) -> bool:
        """True when the slot holds a save (or only its backup)."""
        return any(os.path.lexists(p) for p in _paths(self.folder, self._slot(slot)))

    def save(self, slot: str, run: Run) -> str | None:
        """Write the run to `slot` atomically; raises SaveError (one line) and leaves the old save whole.

        Saving in the autosave slot first keeps the run it holds as 'previous' when that is another run;
        the line that tells the player so is returned.
        """
        name = self._slot(slot)
        kept = None
        if name == self.autosave_slot and run.ident != self._autosaved:
            kept = self.keep_aside(run)
        main, backup = _paths(self.folder, name)
        story = run.engine.story
        scene = story.scenes[run.state.scene]
        header = Header(story.id, story.version, story.content_hash, time.time(), scene.chapter, scene.title,
                        run.state.turn, run.ident)
        data = encode(header, body_of(run, self._patches))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(main, data, backup=backup, durable=self.durable)
        except NotDurable as exc:
            raise SaveError(f"slot '{name}' was saved, but the disk reported a problem making it permanent: "
                            f"{_why(exc)}") from None
        except OSError as exc:
            raise SaveError(f"could not save to slot '{name}': {_why(exc)}; the previous save is unchanged"
                            ) from None
        if name == self.autosave_slot:
            self._autosaved = run.ident
        return kept

    def autosave(self, run: Run) -> str | None:
        return self.save(AUTOSAVE, run)

    # -- the previous run ----------------------------------------------------------------------
    def _held(self) -> tuple[Path | None, SaveFile | None, list[str]]:
        """The file the autosave slot's run is in (its save, else its backup; None when there is none), that
        save, and what the player is told about damaged files on the way: those are moved to corrupt/, as
        loading them would. A save this Zone cannot read (a newer format) is returned unread, to be kept."""
        said: list[str] = []
        for path in _paths(self.folder, self.autosave_slot):
            try:
                return path, _read(path), said
            except FileNotFoundError:
                continue
            except CorruptSave as exc:
                said.append(_damage(AUTOSAVE, path, exc, self._quarantine(path)) + ".")
            except SaveError:
                return path, None, said
        return None, None, said

    def keep_aside(self, run: Run) -> str | None:
        """Move the run in the autosave slot to the 'previous' slot unless it is `run` itself; returns the
        line that tells the player so (and of any damaged file found on the way).

        The save that was in 'previous' becomes its backup. Raises SaveError (and moves nothing that
        matters) when the files cannot be moved: then the autosave must not be written either.
        """
        path, saved, said = self._held()
        if path is None or (saved is not None and saved.ident == run.ident):
            return " ".join(said) or None
        auto_main, auto_backup = _paths(self.folder, self.autosave_slot)
        prev_main, prev_backup = _paths(self.folder, self.previous_slot)
        try:
            if os.path.lexists(prev_main):
                os.replace(prev_main, prev_backup)
            os.replace(path, prev_main)
            if path == auto_main and saved is not None:
                self._drop_if_same_run(auto_backup, saved.ident)
            if self.durable:
                fsync_folder(self.folder)
        except OSError as exc:
            raise SaveError(f"could not keep the run in slot '{AUTOSAVE}' as '{PREVIOUS}': {_why(exc)}; "
                            "it stays in the autosave, and this run is not saved there") from None
        if saved is None:
            said.append(f"The save that was in the autosave is kept as '{PREVIOUS}'; ':load {PREVIOUS}' tries it.")
        else:
            head = saved.header
            said.append(f"Your run at turn {head.turn} ({head.chapter}, {head.title}) is kept as '{PREVIOUS}'; "
                        f"':load {PREVIOUS}' goes back to it.")
        return " ".join(said)

    @staticmethod
    def _drop_if_same_run(backup: Path, ident: str) -> None:
        """Remove the autosave's backup when it is an earlier point of the run just kept (it has left)."""
        try:
            if _read(backup).ident == ident:
                backup.unlink()
        except (FileNotFoundError, SaveError):
            return

    # -- loading -------------------------------------------------------------------------------
    def _quarantine(self, path: Path) -> str:
        """Move a damaged file to corrupt/ (never deleting anything); says where it went."""
        corrupt = self.folder / CORRUPT
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        try:
            corrupt.mkdir(exist_ok=True)
            for n in range(100):
                target = corrupt / f"{path.name}.{stamp}{f'-{n}' if n else ''}"
                if not target.exists():
                    os.replace(path, target)
                    return f"moved to {display_name(corrupt)}"
        except OSError:
            pass
        return f"left where it is (it could not be moved to {display_name(corrupt)})"

    def _restore_backup(self, main: Path, backup: Path) -> None:
        """Copy the backup back as the slot's save, so the slot is whole again (best effort)."""
        with suppress(OSError):
            write_atomic(main, read_regular(backup, MAX_BYTES), durable=self.durable)

    def _read_main(self, name: str, main: Path) -> tuple[SaveFile | None, str | None, _Damage | None]:
        """The slot's save; or None, what the player is told when its backup loads, and what became of the
        save when it was damaged (None when it was missing)."""
        try:
            return _read(main), None, None
        except FileNotFoundError:
            return None, f"The save in slot '{name}' was missing, so its backup was loaded.", None
        except CorruptSave as exc:
            damage = _Damage(exc, self._quarantine(main))
            return None, _damage(name, main, exc, damage.where) + " and its backup was loaded.", damage
        except SaveError as exc:  # a newer format, or no permission: nothing to recover, nothing to move
            raise SaveError(f"the save in slot '{name}' cannot be loaded: {exc}") from None

    def _read_backup(self, name: str, main: Path, backup: Path, damage: _Damage | None) -> SaveFile:
        """The slot's backup, when its save was missing (`damage` None) or damaged and moved away."""
        try:
            return _read(backup)
        except FileNotFoundError:
            if damage is None:
                raise SaveError(f"there is no save in slot '{name}'") from None
            if isinstance(damage.exc, UnusableSave):
                raise SaveError(f"{_damage(name, main, damage.exc, damage.where)}; there is no backup") from None
            raise SaveError(f"the save in slot '{name}' was damaged and has no backup; it was {damage.where}"
                            ) from None
        except CorruptSave as exc:
            where_backup = self._quarantine(backup)
            if damage is None:
                raise SaveError(f"the save in slot '{name}' is missing and its backup is damaged; the backup "
                                f"was {where_backup}") from None
            if isinstance(damage.exc, UnusableSave) or isinstance(exc, UnusableSave):
                what = f"is not a usable save either ({exc})" if isinstance(exc, UnusableSave) else "is damaged"
                raise SaveError(f"{_damage(name, main, damage.exc, damage.where)}; its backup {what}, and was "
                                f"{where_backup}") from None
            both = f"both were {damage.where}"
            if damage.where != where_backup:
                both = f"the save was {damage.where} and the backup {where_backup}"
            raise SaveError(f"the save in slot '{name}' and its backup are both damaged; {both}") from None
        except SaveError as exc:
            raise SaveError(f"the backup of slot '{name}' cannot be loaded: {exc}") from None

    def load(self, slot: str, engine: Engine) -> tuple[Run, str | None]:
        """The run saved in `slot` and, when it could not be resumed exactly as saved, why (for the player)."""
        name = self._slot(slot)
        main, backup = _paths(self.folder, name)
        said = self.shown(name)  # messages name the slot as players know it ('autosave', not 'autosave-zone')
        saved, note, damage = self._read_main(said, main)
        if saved is None:
            saved = self._read_backup(said, main, backup, damage)
            self._restore_backup(main, backup)
        run, message = self._fit(name, saved, engine)
        notes = " ".join(n for n in (note, message) if n)
        return run, notes or None

    def _fit(self, name: str, saved: SaveFile, engine: Engine) -> tuple[Run, str | None]:
        story = engine.story
        if saved.header.pack != story.id:
            raise SaveError(f"the save in slot '{name}' is for the pack '{saved.header.pack}', "
                            f"not for '{story.id}' ({story.title})")
        strict = saved.header.pack_hash == story.content_hash
        try:
            return restore(saved.body, engine, strict=strict, version_then=saved.header.pack_version,
                           ident=saved.ident)
        except StateError as exc:
            raise SaveError(f"the save in slot '{name}' does not fit the pack '{story.id}': {exc}") from None

    def slots(self) -> list[SlotInfo]:
        return list_slots(self.folder)

    def latest(self) -> str | None:
        """The slot of this pack saved most recently (the autosave, usually), for 'continue'."""
        mine = [s for s in self.slots() if s.pack == self.story.id]
        return mine[0].slot if mine else None

    def delete(self, slot: str) -> None:
        delete_slot(self.folder, self._slot(slot))
