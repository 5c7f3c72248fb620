"""Atomic replacement of a file: the old file or the new one, never half of either; and the cleanup after crashes."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zone._files import NotRegular, read_regular
from zone.atomic import STALE_AFTER, clean_stale, fsync_folder, write_atomic


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_write_creates_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"first", backup=tmp_path / "a.json.bak")
    assert target.read_bytes() == b"first"
    assert names(tmp_path) == {"a.json"}  # nothing to back up the first time


def test_the_previous_content_becomes_the_backup(tmp_path: Path) -> None:
    target, backup = tmp_path / "a.json", tmp_path / "a.json.bak"
    for text in (b"one", b"two", b"three"):
        write_atomic(target, text, backup=backup)
    assert (target.read_bytes(), backup.read_bytes()) == (b"three", b"two")
    assert names(tmp_path) == {"a.json", "a.json.bak"}


def test_a_backup_that_is_already_the_same_file_leaves_no_temporary_file(tmp_path: Path) -> None:
    target, backup = tmp_path / "a.json", tmp_path / "a.json.bak"
    write_atomic(target, b"one")
    os.link(target, backup)  # as after a recovery put the backup back in place
    write_atomic(target, b"two", backup=backup)
    assert (target.read_bytes(), backup.read_bytes()) == (b"two", b"one")
    assert names(tmp_path) == {"a.json", "a.json.bak"}


def test_where_hard_links_are_refused_the_backup_is_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, backup = tmp_path / "a.json", tmp_path / "a.json.bak"
    write_atomic(target, b"one")

    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "links not supported")

    monkeypatch.setattr(os, "link", no_links)
    write_atomic(target, b"two", backup=backup)
    assert (target.read_bytes(), backup.read_bytes()) == (b"two", b"one")
    assert names(tmp_path) == {"a.json", "a.json.bak"}


def test_a_symlink_planted_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "a.json").symlink_to(outside)
    write_atomic(folder / "a.json", b"save", backup=folder / "a.json.bak")
    assert outside.read_bytes() == b"precious"
    assert (folder / "a.json").read_bytes() == b"save" and not (folder / "a.json").is_symlink()


@pytest.mark.parametrize("name", ["write", "fsync", "replace"])
def test_a_failure_leaves_the_target_and_removes_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    name: str) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"old")

    def boom(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, name, boom)
    with pytest.raises(OSError) as caught:
        write_atomic(target, b"new", backup=tmp_path / "a.json.bak")
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old"
    assert names(tmp_path) <= {"a.json", "a.json.bak"}


def test_an_interrupt_in_the_middle_removes_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert names(tmp_path) == {"a.json"} and target.read_bytes() == b"old"


def test_folder_fsync_tolerates_file_systems_that_refuse_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fd: int) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", refuse)
    fsync_folder(tmp_path)  # no error


def dead_pid() -> int:
    """The id of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_clean_stale_removes_temporaries_of_dead_writers_and_old_ones_only(tmp_path: Path) -> None:
    dead = f".a.json.{dead_pid()}.0123abcd.tmp"
    mine = f".a.json.{os.getpid()}.0123abcd.tmp"  # a writer that is running (this process)
    old = f".b.json.bak.{os.getpid()}.89abcdef.tmp"
    for name in (dead, mine, old, "a.json", "notes.tmp", ".a.json.12.xyz.tmp"):
        (tmp_path / name).write_text("x")
    os.utime(tmp_path / old, (time.time() - STALE_AFTER - 10,) * 2)
    removed = clean_stale(tmp_path)
    assert {p.name for p in removed} == {dead, old}
    assert names(tmp_path) == {mine, "a.json", "notes.tmp", ".a.json.12.xyz.tmp"}


def test_clean_stale_of_a_missing_folder_does_nothing(tmp_path: Path) -> None:
    assert clean_stale(tmp_path / "nowhere") == []


def test_an_exclusive_write_never_replaces_a_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "records.zone.json"
    write_atomic(target, b"first", exclusive=True, durable=False)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"second", exclusive=True, durable=False)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["records.zone.json"]


def test_read_regular_reads_at_most_one_byte_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b"0123456789")
    assert read_regular(path, 100) == b"0123456789"
    assert read_regular(path, 4) == b"01234"
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing.json", 4)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_read_regular_refuses_a_fifo_or_a_folder_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.json")
    for path in (tmp_path / "x.json", tmp_path):
        with pytest.raises(NotRegular, match="it is not a regular file"):
            read_regular(path, 4)
