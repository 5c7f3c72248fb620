"""Endings found across runs: kept beside the saves folder, written atomically, never a reason to crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zone.records import Records, RecordsError, records_path


def test_records_live_inside_the_saves_folder(tmp_path: Path) -> None:
    assert records_path(tmp_path / "saves") == tmp_path / "saves" / "records.zone.json"


def test_endings_are_remembered_per_pack_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    records = Records(path)
    assert records.found("zone") == frozenset()
    assert records.add("zone", "room") is True
    assert records.add("zone", "room") is False
    assert records.add("other", "home") is True
    again = Records(path)
    assert again.found("zone") == {"room"} and again.found("other") == {"home"}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"version": 1, "packs": {"other": {"endings": ["home"]}, "zone": {"endings": ["room"]}}}


def test_two_games_at_once_both_count(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    first, second = Records(path), Records(path)
    first.add("zone", "room")
    second.add("zone", "lost")
    assert Records(path).found("zone") == {"room", "lost"}


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"packs": {"zone": {"endings": "room"}}}',
                                     b"\xff\xfe", b'{"packs": {"zone": {"endings": ["a", 3, null]}}}'])
def test_a_damaged_file_means_nothing_found_yet(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "records.json"
    path.write_bytes(content)
    records = Records(path)
    assert records.found("zone") <= {"a"}
    assert records.add("zone", "room") is True
    assert "room" in Records(path).found("zone")


def test_writes_go_through_a_temporary_file_and_leave_none_behind(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "records.json"
    Records(path).add("zone", "room")
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        replaced.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    Records(path).add("zone", "lost")
    assert len(replaced) == 1 and replaced[0][1] == "records.json" and replaced[0][0] != "records.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.json"]


def test_a_failed_write_keeps_the_old_file_and_says_so_in_one_line(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "records.json"
    Records(path).add("zone", "room")
    before = path.read_bytes()

    def broken(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(RecordsError, match="could not remember the ending in .*No space left on device"):
        Records(path).add("zone", "lost")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.json"]


def test_an_unwritable_place_is_a_records_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RecordsError):
        Records(blocker / "records.json").add("zone", "room")
