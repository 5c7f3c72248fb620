"""Endings found across runs: kept inside the saves folder, written atomically, never a reason to crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import PACKS, run_main
from zone.errors import RecordsError
from zone.saves.records import OLD_RECORDS_FILE, RECORDS_FILE, Records, open_records, records_path
from zone.saves.slots import list_slots

TUI_WALK = PACKS / "tui" / "walk"


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


# -- where the records live, and moving them in from where older versions kept them ---------------

RECORDS = b'{"version": 1, "packs": {"tui_walk": {"endings": ["room"]}}}\n'


def test_records_from_beside_the_folder_are_moved_in_once(tmp_path: Path) -> None:
    (tmp_path / OLD_RECORDS_FILE).write_bytes(RECORDS)
    records = open_records(tmp_path / "saves")
    assert records.found("tui_walk") == {"room"}
    assert not (tmp_path / OLD_RECORDS_FILE).exists()
    assert json.loads((tmp_path / "saves" / RECORDS_FILE).read_bytes())["packs"] == {"tui_walk": {"endings": ["room"]}}
    assert open_records(tmp_path / "other").found("tui_walk") == frozenset()  # a sibling folder does not share them


def test_moving_in_never_clobbers_records_already_there(tmp_path: Path) -> None:
    (tmp_path / OLD_RECORDS_FILE).write_bytes(RECORDS)
    (tmp_path / "saves").mkdir()
    mine = b'{"version": 1, "packs": {"tui_walk": {"endings": ["lost"]}}}\n'
    (tmp_path / "saves" / RECORDS_FILE).write_bytes(mine)
    assert open_records(tmp_path / "saves").found("tui_walk") == {"lost"}
    assert (tmp_path / "saves" / RECORDS_FILE).read_bytes() == mine
    assert (tmp_path / OLD_RECORDS_FILE).read_bytes() == RECORDS  # left where it was


@pytest.mark.parametrize("content", [b'{"packs": {}}', b'{"version": 1, "packs": {}, "mine": 1}', b"[]",
                                     b'{"version": 2, "packs": {}}', b"not json", b'{"version": 1, "packs": '
                                     b'{"x": {"endings": [1]}}}'])
def test_a_records_json_that_is_not_clearly_zones_is_left_alone(tmp_path: Path, content: bytes) -> None:
    (tmp_path / OLD_RECORDS_FILE).write_bytes(content)
    assert open_records(tmp_path / "saves").found("x") == frozenset()
    assert (tmp_path / OLD_RECORDS_FILE).read_bytes() == content
    assert not (tmp_path / "saves" / RECORDS_FILE).exists()


def test_the_records_file_is_never_listed_as_a_save_slot(tmp_path: Path) -> None:
    records = open_records(tmp_path)
    records.add("tui_walk", "room")
    assert (tmp_path / RECORDS_FILE).exists() and list_slots(tmp_path) == []


def test_a_first_run_in_a_fresh_folder_has_found_nothing_yet(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first = run_main("play", str(TUI_WALK), "--saves", str(tmp_path / "a" / "saves"), stdin="1\n" * 13)
    assert "Endings found: 1 of 4 (a new one)" in first.out
    second = run_main("play", str(TUI_WALK), "--saves", str(tmp_path / "a" / "elsewhere"), stdin="1\n" * 13)
    assert "Endings found: 1 of 4 (a new one)" in second.out  # its own record, not the neighbour's


# -- damaged and hostile files -----------------------------------------------------------------------

def test_a_records_file_nested_past_what_json_reads_counts_as_nothing_found(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / RECORDS_FILE).write_bytes(b"[" * 200_000)
    result = run_main("play", str(TUI_WALK), "--saves", str(saves), stdin="1\n" * 13)
    assert result.status == 0, result.err
    assert "Endings found: 1 of 4 (a new one)" in result.out
    assert json.loads((saves / RECORDS_FILE).read_bytes())["packs"] == {"tui_walk": {"endings": ["room"]}}


def test_a_planted_symlink_is_never_written_through(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # where the records' temporary file used to be
        (saves / f".{RECORDS_FILE}.{pid}.tmp").symlink_to(victim)
        (saves / f".records.json.{pid}.tmp").symlink_to(victim)
    records = open_records(saves)
    assert records.add("zone", "room") is True
    assert victim.read_bytes() == b"precious"
    assert open_records(saves).found("zone") == {"room"}


def test_records_that_are_a_link_are_replaced_not_written_through(tmp_path: Path) -> None:
    saves = tmp_path / "saves"
    saves.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    (saves / RECORDS_FILE).symlink_to(victim)
    open_records(saves).add("zone", "room")
    assert victim.read_bytes() == b"precious"
    assert not (saves / RECORDS_FILE).is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_the_records_file_counts_as_nothing_found_and_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / RECORDS_FILE)
    assert Records(tmp_path / RECORDS_FILE).found("zone") == frozenset()  # returns: nothing read from the FIFO
