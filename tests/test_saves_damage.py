"""Damaged saves and failing disks: a save is never lost, and the player gets one calm line.

A save cut short or with changed bytes is moved to saves/corrupt/ and its backup
is loaded; a write, fsync or rename that fails (disk full, I/O error) leaves the
previous save exactly as it was.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_saves_slots import WALK, files_under, story_of, walk_run
from zone.engine import Engine
from zone.errors import SaveError
from zone.saves.slots import CORRUPT, SaveStore


def two_saves(folder: Path) -> tuple[SaveStore, bytes]:
    """A slot 'mine' saved at turn 5 (now the backup) and then at turn 6; returns the newest file's bytes."""
    store = SaveStore(folder, story_of(WALK))
    store.save("mine", walk_run(choices=(1, 0, 0, 1, 0)))
    store.save("mine", walk_run())
    return store, store.path("mine").read_bytes()


def damaged_copy(template: Path, folder: Path, damage: Callable[[bytes], bytes]) -> SaveStore:
    shutil.copytree(template, folder)
    path = folder / "mine.json"
    path.write_bytes(damage(path.read_bytes()))
    return SaveStore(folder, story_of(WALK))


def assert_recovered(store: SaveStore) -> None:
    run, message = store.load("mine", Engine(story_of(WALK)))
    assert run.state.turn == 5  # the backup
    assert message == (f"The save in slot 'mine' was damaged, so it was moved to {store.folder / CORRUPT} "
                       "and its backup was loaded.")
    assert len(list((store.folder / CORRUPT).iterdir())) == 1
    run.choose(0)  # and the run goes on
    store.save("mine", run)
    assert store.load("mine", Engine(story_of(WALK)))[1] is None


def test_a_save_cut_short_at_any_point_is_quarantined_and_the_backup_loads(tmp_path: Path) -> None:
    _, data = two_saves(tmp_path / "template")
    size = len(data)
    offsets = sorted({0, 1, 2, size // 2, size - 3, size - 2, *range(0, size - 1, max(1, size // 40))})
    for offset in offsets:  # size - 1 would only drop the final newline, which is not content
        store = damaged_copy(tmp_path / "template", tmp_path / f"cut{offset}", lambda b, o=offset: b[:o])
        assert_recovered(store)


def test_a_save_with_a_changed_byte_anywhere_is_quarantined_and_the_backup_loads(tmp_path: Path) -> None:
    _, data = two_saves(tmp_path / "template")
    rng = random.Random(2024)
    for trial in range(60):
        position, flip = rng.randrange(len(data) - 1), rng.randrange(1, 256)

        def damage(raw: bytes, p: int = position, f: int = flip) -> bytes:
            return raw[:p] + bytes([raw[p] ^ f]) + raw[p + 1:]

        assert_recovered(damaged_copy(tmp_path / "template", tmp_path / f"flip{trial}", damage))


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"[" * 100_000, b"null", b'{"header": 1}',
                                     b"\x00" * 64, "{\"pack\": \"\u00e9\"".encode()], ids=repr)
def test_anything_that_is_not_a_save_is_quarantined(tmp_path: Path, content: bytes) -> None:
    _, _ = two_saves(tmp_path / "template")
    assert_recovered(damaged_copy(tmp_path / "template", tmp_path / "slot", lambda _: content))


def test_a_damaged_save_without_a_backup_is_an_error_in_one_line(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, story_of(WALK))
    store.save("mine", walk_run())
    store.path("mine").write_bytes(b"{not json")
    with pytest.raises(SaveError) as caught:
        store.load("mine", Engine(story_of(WALK)))
    assert str(caught.value) == (f"the save in slot 'mine' was damaged and has no backup; "
                                 f"it was moved to {tmp_path / CORRUPT}")
    assert files_under(tmp_path / CORRUPT) != set()


def test_a_damaged_save_and_backup_are_both_quarantined(tmp_path: Path) -> None:
    store, _ = two_saves(tmp_path)
    store.path("mine").write_bytes(b"{")
    (tmp_path / "mine.json.bak").write_bytes(b"}")
    with pytest.raises(SaveError, match="the save in slot 'mine' and its backup are both damaged"):
        store.load("mine", Engine(story_of(WALK)))
    assert len(list((tmp_path / CORRUPT).iterdir())) == 2
    assert not store.path("mine").exists()


def test_a_damaged_slot_is_listed_with_a_note(tmp_path: Path) -> None:
    store, _ = two_saves(tmp_path)
    store.path("mine").write_bytes(b"{")
    (info,) = store.slots()
    assert (info.slot, info.turn, info.note) == ("mine", 5, "damaged; its backup will be loaded")


# -- fault injection: the disk fails while saving -------------------------------------------------

def failing(code: int, after: int = 0) -> Callable[..., Any]:
    """A replacement for an os function that works `after` times, then fails with `code`."""
    real: dict[str, Any] = {}
    calls = [0]

    def fail(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] > after:
            raise OSError(code, os.strerror(code))
        return real["fn"](*args, **kwargs)

    fail.real = real  # type: ignore[attr-defined]
    return fail


def short_writes_then(code: int) -> Callable[[int, Any], int]:
    """os.write that writes half of what it is given once, then fails: a disk filling up mid-file."""
    real_write = os.write
    calls = [0]

    def write(fd: int, data: Any) -> int:
        calls[0] += 1
        if calls[0] == 1:
            return real_write(fd, bytes(data)[: max(1, len(data) // 2)])
        raise OSError(code, os.strerror(code))

    return write


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"),
                                         (errno.EIO, "the disk reported an input/output error")])
@pytest.mark.parametrize("target, after", [("write", 0), ("fsync", 0), ("replace", 0), ("replace", 1),
                                           ("link", 0), ("short write", 0)])
def test_a_failing_disk_leaves_the_previous_save_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       code: int, words: str, target: str, after: int) -> None:
    store, before = two_saves(tmp_path)
    backup = (tmp_path / "mine.json.bak").read_bytes()
    newer = walk_run()
    newer.choose(0)
    if target == "short write":
        monkeypatch.setattr(os, "write", short_writes_then(code))
    else:
        fail = failing(code, after)
        fail.real["fn"] = getattr(os, target)  # type: ignore[attr-defined]
        monkeypatch.setattr(os, target, fail)
    with pytest.raises(SaveError) as caught:
        store.save("mine", newer)
    monkeypatch.undo()
    message = str(caught.value)
    assert message == f"could not save to slot 'mine': {words}; the previous save is unchanged"
    assert store.path("mine").read_bytes() == before
    assert (tmp_path / "mine.json.bak").read_bytes() in (before, backup)
    assert files_under(tmp_path) == {"mine.json", "mine.json.bak"}  # no temporary file left behind
    run, note = store.load("mine", Engine(story_of(WALK)))
    assert (run.state.turn, note) == (6, None)


def test_a_failing_flush_of_the_folder_says_the_save_was_made(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = two_saves(tmp_path)
    fail = failing(errno.EIO, after=1)  # the file's fsync works, the folder's fails
    fail.real["fn"] = os.fsync  # type: ignore[attr-defined]
    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(SaveError) as caught:
        store.save("mine", walk_run(choices=(0,)))
    monkeypatch.undo()
    assert str(caught.value) == ("slot 'mine' was saved, but the disk reported a problem making it permanent: "
                                 "the disk reported an input/output error")
    assert store.load("mine", Engine(story_of(WALK)))[0].state.turn == 1


@pytest.mark.parametrize("code, words", [(errno.EROFS, "the disk is read-only"), (errno.EACCES, "permission denied"),
                                         (errno.EDQUOT, "the disk quota is used up")])
def test_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     code: int, words: str) -> None:
    store, before = two_saves(tmp_path)
    fail = failing(code)
    fail.real["fn"] = os.open  # type: ignore[attr-defined]
    monkeypatch.setattr(os, "open", fail)
    with pytest.raises(SaveError) as caught:
        store.save("mine", walk_run(choices=(0,)))
    monkeypatch.undo()
    assert str(caught.value) == f"could not save to slot 'mine': {words}; the previous save is unchanged"
    assert store.path("mine").read_bytes() == before


def test_a_missing_save_with_a_damaged_backup_says_both(tmp_path: Path) -> None:
    store, _ = two_saves(tmp_path)
    store.path("mine").unlink()
    (tmp_path / "mine.json.bak").write_bytes(b"[")
    with pytest.raises(SaveError) as caught:
        store.load("mine", Engine(story_of(WALK)))
    assert str(caught.value) == (f"the save in slot 'mine' is missing and its backup is damaged; the backup was "
                                 f"moved to {tmp_path / CORRUPT}")


def test_a_save_that_cannot_be_moved_aside_is_left_and_the_backup_still_loads(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = two_saves(tmp_path)
    store.path("mine").write_bytes(b"{")

    def no_mkdir(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", no_mkdir)
    run, message = store.load("mine", Engine(story_of(WALK)))
    assert run.state.turn == 5
    assert message == (f"The save in slot 'mine' was damaged, so it was left where it is (it could not be moved to "
                       f"{tmp_path / CORRUPT}) and its backup was loaded.")


def test_a_save_that_cannot_be_read_is_not_treated_as_damaged(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, before = two_saves(tmp_path)
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "mine.json":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SaveError) as caught:
        store.load("mine", Engine(story_of(WALK)))
    assert str(caught.value) == "the save in slot 'mine' cannot be loaded: it cannot be read: permission denied"
    monkeypatch.undo()
    assert store.path("mine").read_bytes() == before and not (tmp_path / CORRUPT).exists()
