"""Choices whose outcomes read the same: found over the states `zone prove` explores, once per scene."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_main, write_pack
from zone.author.readings import read
from zone.pack import load_pack

STORY = """\
id: reads
title: Reads
version: "1"
start: door
flags:
  key: You have the key
"""

# Knock and Wait both lead to the hall, and nothing either does shows in its text.
SAME = """\
door:
  title: The door
  text: A door in the wall.
  choices:
    - text: Knock.
      goto: hall
    - text: Wait.
      goto: hall
    - text: Walk away.
      goto: out
hall:
  title: The hall
  text: A long hall.
  choices:
    - text: Leave.
      goto: out
out:
  title: Out
  text: Outside.
  ending: Out
"""


def _pack(tmp_path: Path, scenes: str, story: str = STORY) -> Path:
    return write_pack(tmp_path / "pack", story, {"walk.yaml": scenes})


def test_two_choices_leading_to_the_same_text_are_reported_once_with_their_place(tmp_path: Path) -> None:
    reading = read(load_pack(_pack(tmp_path, SAME)))
    assert reading.complete
    [found] = reading.same
    assert (found.scene, found.first, found.texts) == ("door", (0, 1), ("Knock.", "Wait."))
    assert (found.states, found.compared, found.alike, found.most) == (1, 1, (0, 1), 2)
    assert (reading.alike, reading.choices) == (2, 3)  # the door's three choices; the hall has one
    result = run_main("prove", str(tmp_path / "pack"))
    assert result.status == 0
    assert ("walk.yaml:7:7: warning ZN042: choices 1 'Knock.' and 2 'Wait.' of scene 'door' lead to the same next text "
            "(in 1 of 1 states)") in result.out
    assert "Choices that read the same: 1 scene; 2 of 3 enabled choices (67%)" in result.out


def test_a_choice_whose_effect_shows_in_the_next_text_reads_differently(tmp_path: Path) -> None:
    scenes = SAME.replace("    - text: Wait.\n      goto: hall\n",
                          "    - text: Take the key.\n      do: flags.key = true\n      goto: hall\n")
    scenes = scenes.replace("  text: A long hall.\n", "  text: 'A long hall{if flags.key: , a key in your hand}.'\n")
    reading = read(load_pack(_pack(tmp_path, scenes)))
    assert reading.same == () and reading.alike == 0
    assert "Choices that read the same: none" in run_main("prove", str(tmp_path / "pack")).out


def test_the_narration_of_scenes_passed_by_next_is_part_of_the_next_text(tmp_path: Path) -> None:
    porch = "porch:\n  title: The porch\n  text: Your knuckles sting.\n  next: hall\n"
    scenes = SAME.replace("    - text: Knock.\n      goto: hall\n", "    - text: Knock.\n      goto: porch\n") + porch
    assert read(load_pack(_pack(tmp_path, scenes))).same == ()
    # the same detour with a text that says nothing new reads like going straight there
    silent = SAME.replace("    - text: Knock.\n      goto: hall\n", "    - text: Knock.\n      goto: porch\n")
    silent += "porch:\n  title: The porch\n  text: ''\n  next: hall\n"
    assert [f.scene for f in read(load_pack(_pack(tmp_path / "b", silent))).same] == ["door"]


def test_it_is_counted_in_the_states_where_it_happens_only(tmp_path: Path) -> None:
    # Knock and Wait read alike until the key is taken: then Knock shows it in the hall
    scenes = SAME.replace("    - text: Walk away.\n      goto: out\n",
                          "    - text: Take the key.\n      if: not flags.key\n      hidden: true\n"
                          "      do: flags.key = true\n      goto: door\n")
    scenes = scenes.replace("    - text: Knock.\n      goto: hall\n",
                            "    - text: Knock.\n      goto: lit\n")
    scenes += "lit:\n  title: The lit hall\n  text: '{if flags.key: The key fits.| A long hall.}'\n  next: hall2\n"
    scenes += "hall2:\n  title: Hall\n  text: ''\n  choices:\n    - text: Leave.\n      goto: out\n"
    scenes = scenes.replace("hall:\n  title: The hall\n  text: A long hall.\n",
                            "hall:\n  title: The hall\n  text: A long hall.\n")
    reading = read(load_pack(_pack(tmp_path, scenes)))
    [found] = reading.same
    assert (found.scene, found.states, found.compared) == ("door", 1, 2)


def test_the_report_ranks_the_scenes_and_json_has_the_figures(tmp_path: Path) -> None:
    pack = str(_pack(tmp_path, SAME))
    out = run_main("prove", pack, "--report").out
    assert "overall 2 of 3 enabled choices (66.7%), over every reachable state" in out
    row = next(line for line in out.splitlines() if line.rstrip().endswith("walk.yaml:2:3)"))
    assert row.split()[:6] == ["100%", "1", "1,", "2", "2", "door"]
    assert "first met: zone play" in out and "--seed 0 --plain < /dev/null" in out
    data = json.loads(run_main("prove", pack, "--json").out)["reading"]
    assert (data["alike"], data["choices"], data["complete"]) == (2, 3, True)
    assert data["same"] == [{"scene": "door", "where": data["same"][0]["where"], "choices": [1, 2],
                             "texts": ["Knock.", "Wait."], "states": 1, "compared": 1, "alike": [1, 2], "most": 2}]


def test_a_bound_on_the_states_compared_is_said(tmp_path: Path) -> None:
    out = run_main("prove", str(_pack(tmp_path, SAME)), "--max-text-states", "1").out
    assert "(the bound --max-text-states 1 was reached)" in out
    assert "more met on 1000 random playthroughs" in out
    assert "ZN042: choices 1 'Knock.' and 2 'Wait.'" in out  # the playthroughs still meet the door


def test_a_scene_met_past_the_bound_comes_with_a_command_that_plays_to_it(tmp_path: Path) -> None:
    road = ("road:\n  title: The road\n  text: A road.\n  choices:\n    - text: Walk on.\n      goto: gate\n"
            "gate:\n  title: The gate\n  text: A gate.\n  choices:\n    - text: Go through.\n      goto: door\n")
    pack = _pack(tmp_path, SAME + road, STORY.replace("start: door", "start: road"))
    out = run_main("prove", str(pack), "--max-text-states", "1", "--report").out
    command = next(line.split("first met: ", 1)[1] for line in out.splitlines() if "first met: " in line)
    feed, play = command.split(" | ")
    assert feed == "printf '1\\n1\\n'"
    seed = play.split("--seed ")[1].split()[0]
    played = run_main("play", str(pack), "--plain", "--seed", seed, "--saves", str(tmp_path / "saves"),
                      stdin="1\n1\n").out
    last = played.split("You chose: ")[-1]
    assert last.startswith("Go through.\n\n== Walk: The door ==\n\nA door in the wall.\n\n  1. Knock.\n  2. Wait.")
