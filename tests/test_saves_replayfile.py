"""Replay files: written, read back, checked against the pack, and played by `zone replay`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import PACKS, ROOT, run_main
from zone.engine import Engine
from zone.errors import ReplayError
from zone.pack import load_pack
from zone.run import Run
from zone.saves.replayfile import MAX_BYTES, Replay
from zone.transcript import transcript


def test_a_replay_round_trips_and_plays_the_same_transcript(tmp_path: Path) -> None:
    story = load_pack(PACKS / "tiny")
    run = Run.new(Engine(story), 5)
    run.choose(1)
    replay = Replay.from_run(run, "tests/packs/tiny", note="a nut")
    replay.write(tmp_path / "r.json")
    assert Replay.read(tmp_path / "r.json") == replay
    result = run_main("replay", str(tmp_path / "r.json"))
    assert result.status == 0
    assert result.out == transcript(Engine(story), 5, [1]) + "\n-- a nut\n"


def test_golden_run_files_replay_too() -> None:
    result = run_main("replay", str(ROOT / "tests" / "golden" / "tiny_left" / "run.json"))
    assert result.status == 0
    assert result.out == (ROOT / "tests" / "golden" / "tiny_left" / "transcript.txt").read_text(encoding="utf-8")


def test_a_changed_pack_is_noted_and_a_different_pack_refused(tmp_path: Path) -> None:
    Replay(1, (0, 0), "tests/packs/tiny", "tiny", "0" * 64).write(tmp_path / "old.json")
    result = run_main("replay", str(tmp_path / "old.json"))
    assert result.status == 0 and "has changed since this run was recorded" in result.err
    Replay(1, (0,), "tests/packs/tiny", "another").write(tmp_path / "other.json")
    result = run_main("replay", str(tmp_path / "other.json"))
    assert result.status == 1 and "recorded with pack 'another', not 'tiny'" in result.err


def test_choices_that_no_longer_fit_are_one_line(tmp_path: Path) -> None:
    Replay(1, (0, 5), "tests/packs/tiny").write(tmp_path / "bad.json")
    result = run_main("replay", str(tmp_path / "bad.json"))
    assert result.status == 1
    assert result.err.strip().endswith("step 2: choice 6 cannot be taken in scene 'fork'")
    assert len(result.err.strip().splitlines()) == 1


def test_a_missing_pack_asks_for_pack(tmp_path: Path) -> None:
    Replay(1, (0,), "no/such/pack").write(tmp_path / "r.json")
    result = run_main("replay", str(tmp_path / "r.json"))
    assert result.status == 1 and "pass --pack PACK" in result.err
    assert run_main("replay", str(tmp_path / "r.json"), "--pack", str(PACKS / "tiny")).status == 0


@pytest.mark.parametrize("data, words", [
    ([], "a replay is a JSON object"),
    ({"choices": [0], "seed": -1}, "the seed must be a whole number"),
    ({"choices": ["1"]}, "'choices' must be a list"),
    ({"choices": [0], "extra": 1}, "unknown field extra"),
    ({"format": "zone-replay", "version": 9, "choices": []}, "not a zone-replay version 1 file"),
    ({"choices": [0], "values": {"x": "high"}}, "'values' must map names"),
])
def test_bad_replay_files_are_refused_with_a_reason(data: object, words: str) -> None:
    with pytest.raises(ReplayError, match=words):
        Replay.from_dict(data)


def test_not_json_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("{nope")
    result = run_main("replay", str(tmp_path / "r.json"))
    assert result.status == 1 and "is not a JSON replay file" in result.err


def test_deeply_nested_json_is_one_line_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("[" * 100_000)
    result = run_main("replay", str(tmp_path / "r.json"))
    assert (result.status, result.out) == (1, "")
    assert result.err == f"zone: {tmp_path / 'r.json'} is not a replay file: its JSON is nested too deeply\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    result = run_main("replay", str(fifo))
    assert (result.status, result.out) == (1, "")
    assert result.err == f"zone: cannot read {fifo}: it is not a regular file (a FIFO)\n"


def test_a_folder_and_a_missing_file_are_one_line(tmp_path: Path) -> None:
    result = run_main("replay", str(tmp_path))
    assert result.status == 1
    assert result.err == f"zone: cannot read {tmp_path}: it is not a regular file (a folder)\n"
    result = run_main("replay", str(tmp_path / "none.json"))
    missing = tmp_path / "none.json"
    assert (result.status, result.err) == (1, f"zone: cannot read {missing}: No such file or directory\n")


def test_an_oversized_replay_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_bytes(b" " * (MAX_BYTES + 1))
    result = run_main("replay", str(tmp_path / "r.json"))
    limit = f"zone: {tmp_path / 'r.json'}: a replay file is at most {MAX_BYTES} bytes\n"
    assert (result.status, result.err) == (1, limit)


def test_a_pack_name_with_a_nul_is_not_found_rather_than_a_crash(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps({"pack": "a\u0000b", "choices": []}))
    result = run_main("replay", str(tmp_path / "r.json"))
    assert result.status == 1 and "cannot find the pack 'ab'" in result.err


def test_the_help_says_where_replay_files_come_from() -> None:
    shown = " ".join(run_main("replay", "--help").out.split())
    assert "':transcript FILE.json' wrote while playing" in shown and "zone playtest --replays" in shown
    assert "golden" not in shown  # a word of the test suite, not of the player's


def _recorded_inside_the_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pack 'walk' (the tiny pack) with a run recorded from inside it, as an author does: `zone play`,
    then `:transcript tests/run.json`. The replay names the pack '.'."""
    import shutil

    walk = tmp_path / "walk"
    shutil.copytree(PACKS / "tiny", walk)
    monkeypatch.chdir(walk)
    played = run_main("play", "--plain", "--seed", "1", "--saves", str(tmp_path / "s"),
                      stdin="1\n:transcript tests/run.json\n")
    assert played.status == 0, played.err
    assert json.loads((walk / "tests" / "run.json").read_text(encoding="utf-8"))["pack"] == "."
    return walk


def test_a_replay_recorded_inside_its_pack_finds_it_from_the_parent_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walk = _recorded_inside_the_pack(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    assert Replay.read(Path("walk/tests/run.json")).locate(Path("walk/tests/run.json"), tmp_path) == Path("walk")
    result = run_main("replay", "walk/tests/run.json")
    assert result.status == 0, result.err
    assert result.out == transcript(Engine(load_pack(walk)), 1, [0])
    assert result.err == ("zone: note: walk/tests/run.json names the pack '.' (from where it was recorded); "
                          "using walk, which holds the pack 'tiny'\n")
    monkeypatch.chdir(walk / "tests")  # and from below it
    result = run_main("replay", "run.json")
    assert result.status == 0, result.err
    assert result.out == transcript(Engine(load_pack(walk)), 1, [0])


def test_a_replay_recorded_inside_its_pack_finds_it_from_another_pack(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    walk = _recorded_inside_the_pack(tmp_path, monkeypatch)
    shutil.copytree(PACKS / "cloak", tmp_path / "elsewhere" / "cloak")
    monkeypatch.chdir(tmp_path / "elsewhere" / "cloak")  # '.' here is a pack, but not the one recorded
    result = run_main("replay", str(walk / "tests" / "run.json"))
    assert result.status == 0, result.err
    assert result.out == transcript(Engine(load_pack(walk)), 1, [0])
    assert f"using {walk}, which holds the pack 'tiny'" in result.err


def test_the_pack_the_replay_names_from_here_is_used_when_it_is_the_recorded_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walk = _recorded_inside_the_pack(tmp_path, monkeypatch)
    result = run_main("replay", "tests/run.json")  # still inside the pack: nothing to say
    assert result.status == 0 and result.err == ""
    assert result.out == transcript(Engine(load_pack(walk)), 1, [0])
