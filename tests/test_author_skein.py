"""Story tests (`zone test`): recorded runs replayed against their blessed transcripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import PACKS, run_main
from zone.pack import load_pack
from zone.saves.replayfile import Replay


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the tiny pack with two recorded runs: home by the left path, and a fall after a thrown nut."""
    folder = tmp_path / "tiny"
    shutil.copytree(PACKS / "tiny", folder)
    story = load_pack(folder)
    Replay.record(story, str(folder), 3, [0, 0]).write(folder / "tests" / "left.json")
    Replay.record(story, str(folder), 2, [1]).write(folder / "tests" / "nut.json")
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_new_runs_fail_until_blessed_and_then_pass(pack: Path) -> None:
    first = run_main("test", str(pack))
    assert first.status == 1
    assert f"NEW      {pack}/tests/left.json: no blessed transcript {pack}/tests/left.txt yet" in first.out
    assert "2 story tests: 0 passed, 2 failed" in first.out and "zone test" in first.out and "--bless" in first.out
    blessed = run_main("test", str(pack), "--bless")
    assert blessed.status == 0, blessed.out
    assert f"blessed  {pack}/tests/left.txt" in blessed.out and "2 story tests: 0 passed, 2 blessed" in blessed.out
    # the blessed copy is the transcript `zone replay` prints for the run
    assert (pack / "tests" / "left.txt").read_text(encoding="utf-8") == run_main(
        "replay", str(pack / "tests" / "left.json")).out
    again = run_main("test", str(pack))
    assert again.status == 0 and again.err == ""
    assert again.out.splitlines() == [f"ok       {pack}/tests/left.json", f"ok       {pack}/tests/nut.json",
                                      "2 story tests: 2 passed"]


def test_a_changed_line_fails_with_a_unified_diff_until_blessed(pack: Path) -> None:
    run_main("test", str(pack), "--bless")
    _edit(pack / "walk.yaml", "The grass is wet.", "The grass is soaking wet.")
    result = run_main("test", str(pack))
    assert result.status == 1
    lines = result.out.splitlines()
    assert f"CHANGED  {pack}/tests/left.json" in lines
    assert f"--- {pack}/tests/left.txt (blessed)" in lines and f"+++ {pack}/tests/left.json (now)" in lines
    assert "-The grass is wet." in lines and "+The grass is soaking wet." in lines
    assert f"ok       {pack}/tests/nut.json" in lines  # the run that never passes the fork is unchanged
    assert "2 story tests: 1 passed, 1 failed" in lines
    assert run_main("test", str(pack), "--bless").status == 0
    assert run_main("test", str(pack)).status == 0
    assert "soaking" in (pack / "tests" / "left.txt").read_text(encoding="utf-8")


def test_a_removed_choice_fails_in_one_line_naming_the_scene_and_the_choice(pack: Path) -> None:
    run_main("test", str(pack), "--bless")
    _edit(pack / "walk.yaml", "    - text: Go home.\n      goto: home\n", "")
    result = run_main("test", str(pack))
    assert result.status == 1
    assert (f"BROKEN   {pack}/tests/left.json: cannot be replayed: step 2, in scene 'fork' (The fork): "
            f"choice 1 'Go home.' is not there any more") in result.out.splitlines()
    blessed = (pack / "tests" / "left.txt").read_text(encoding="utf-8")
    assert run_main("test", str(pack), "--bless").status == 1  # a run that cannot be replayed is never blessed
    assert (pack / "tests" / "left.txt").read_text(encoding="utf-8") == blessed


def test_a_choice_moved_down_the_list_is_found_by_its_text(pack: Path) -> None:
    run_main("test", str(pack), "--bless")
    _edit(pack / "walk.yaml", "  choices:\n    - text: Take the left path.",
          "  choices:\n    - text: Wait.\n      goto: gate\n    - text: Take the left path.")
    result = run_main("test", str(pack))
    assert result.status == 1
    # left.json took choice 1 at the gate, which is now 'Wait.': the replay goes on and the diff shows it
    assert "-> 1. Take the left path." in result.out.splitlines()
    assert "+> 1. Wait." in result.out.splitlines()


def test_a_choice_that_can_no_longer_be_taken_says_why(pack: Path) -> None:
    run_main("test", str(pack), "--bless")
    _edit(pack / "story.yaml", "nuts: {default: 2,", "nuts: {default: 0,")
    result = run_main("test", str(pack))
    assert (f"BROKEN   {pack}/tests/nut.json: cannot be replayed: step 1, in scene 'gate' (The gate): "
            f"choice 2 'Throw a nut ahead.' cannot be taken now (Your pockets are empty.)") in result.out.splitlines()


def test_a_run_cut_short_by_an_ending_says_so(pack: Path) -> None:
    story = load_pack(pack)
    Replay.record(story, None, 3, [0, 0, 0]).write(pack / "tests" / "long.json")
    result = run_main("test", str(pack))
    assert (f"BROKEN   {pack}/tests/long.json: cannot be replayed: step 3, in scene 'home' (Home): the run has "
            "reached the ending 'Home again' with 1 recorded choice left") in result.out.splitlines()


def test_json_output_for_tools(pack: Path) -> None:
    run_main("test", str(pack), "--bless")
    _edit(pack / "walk.yaml", "The grass is wet.", "The grass is dry.")
    (pack / "tests" / "bad.json").write_text("{not json", encoding="utf-8")
    result = run_main("test", str(pack), "--json")
    assert result.status == 1
    data = json.loads(result.out)
    assert [(t["replay"], t["status"]) for t in data["tests"]] == [
        (f"{pack}/tests/bad.json", "unreadable"), (f"{pack}/tests/left.json", "changed"),
        (f"{pack}/tests/nut.json", "passed")]
    assert "+The grass is dry." in data["tests"][1]["diff"].splitlines()
    assert data["tests"][0]["problem"].startswith(f"{pack}/tests/bad.json is not a JSON replay file")
    assert (data["passed"], data["blessed"], data["failed"]) == (1, 0, 2)


def test_a_run_recorded_with_another_pack_is_refused_in_one_line(pack: Path) -> None:
    Replay.record(load_pack(PACKS / "prove"), None, 1, [0]).write(pack / "tests" / "other.json")
    result = run_main("test", str(pack))
    assert result.status == 1
    assert (f"UNREADABLE {pack}/tests/other.json was recorded with pack 'prove_walk', not 'tiny'"
            in result.out.splitlines())


def test_a_pack_without_story_tests_passes_and_says_how_to_record_one(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(PACKS / "tiny", folder)
    result = run_main("test", str(folder))
    assert result.status == 0
    assert result.out.startswith(f"No story tests in {folder}/tests: record a run while playing with "
                                 "':transcript tests/NAME.json'")


def test_a_pack_with_errors_is_refused_as_every_command_refuses_it(pack: Path) -> None:
    _edit(pack / "walk.yaml", "goto: home", "goto: hom")
    result = run_main("test", str(pack))
    assert result.status == 1 and "ZN012" in result.err and result.out == ""


def test_a_run_recorded_in_the_game_with_transcript_is_a_story_test(pack: Path) -> None:
    played = run_main("play", str(pack), "--plain", "--seed", "3", "--saves", str(pack.parent / "saves"),
                      stdin=f"1\n:transcript {pack}/tests/game.json\n:quit\n")
    assert played.status == 0 and (pack / "tests" / "game.json").is_file()
    run_main("test", str(pack), "--bless")
    assert "== Walk: The fork ==" in (pack / "tests" / "game.txt").read_text(encoding="utf-8")
    assert run_main("test", str(pack)).status == 0


def test_runs_found_by_playtest_are_story_tests_too(tmp_path: Path) -> None:
    pack = tmp_path / "prove"
    shutil.copytree(PACKS / "prove", pack)
    found = run_main("playtest", str(pack), "--runs", "200", "--replays", str(pack / "tests"))
    assert found.status == 1 and list((pack / "tests").glob("*.json"))  # the soft lock it finds, as a replay
    assert run_main("test", str(pack), "--bless").status == 0
    assert run_main("test", str(pack)).status == 0


@pytest.mark.parametrize(("data", "problem"), [
    ({"seed": 1, "scene": "nowhere", "choices": [0]}, "there is no scene 'nowhere' in this pack"),
    ({"seed": 1, "values": {"ghost": 3}, "choices": [0]}, "'ghost' is not declared in this pack"),
])
def test_a_start_the_pack_no_longer_has_is_one_line(pack: Path, data: dict[str, object], problem: str) -> None:
    (pack / "tests" / "start.json").write_text(json.dumps(data), encoding="utf-8")
    line = next(line for line in run_main("test", str(pack)).out.splitlines() if "start.json" in line)
    assert line.startswith(f"BROKEN   {pack}/tests/start.json: cannot be replayed: ") and line.endswith(problem)
