"""A save made before the pack was edited: it loads when it still fits, and otherwise says what changed
and goes back to the latest point of the run that still fits, never with a traceback or a silent jump.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.test_saves_slots import WALK, story_of, walk_run
from zone.engine import Engine
from zone.errors import SaveError
from zone.model import Story
from zone.pack import load_pack
from zone.run import Run
from zone.saves.body import body_of
from zone.saves.restore import CHANGED_PASSAGE
from zone.saves.savefile import Header, encode
from zone.saves.slots import SaveStore


def edited(tmp_path: Path, *changes: tuple[str, str], version: str = "1.1") -> Story:
    """A copy of the walk pack with text replaced in every file (and a new version number)."""
    copy = tmp_path / "edited"
    shutil.copytree(WALK, copy)
    for path in copy.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "story.yaml":
            text = text.replace('version: "1.0"', f'version: "{version}"')
        for old, new in changes:
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return load_pack(copy)


def saved(tmp_path: Path, run: Run) -> SaveStore:
    store = SaveStore(tmp_path / "saves", story_of(WALK))
    store.save("mine", run)
    return store


def load_with(store: SaveStore, story: Story) -> tuple[Run, str | None]:
    return SaveStore(store.folder, story).load("mine", Engine(story))


def test_an_edit_that_keeps_the_scene_and_stats_loads_the_run_as_it_was(tmp_path: Path) -> None:
    run = walk_run()
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("Rust on the gate, and rain.", "Rust on the gate, and snow."))
    assert story.content_hash != story_of(WALK).content_hash
    resumed, message = load_with(store, story)
    assert message is None
    assert resumed.state == run.state and resumed.undo_stack == run.undo_stack
    assert "and snow" in resumed.journal()[0].text


def test_a_renamed_scene_gets_a_plain_message_and_the_latest_point_that_fits(tmp_path: Path) -> None:
    run = walk_run(choices=(1, 0, 0, 1, 0, 0, 0))  # ... and the last choice leads from the gate to the fork
    assert (run.state.scene, run.state.turn) == ("fork", 7)
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("fork:", "crossing:"), ("goto: fork", "goto: crossing"))
    resumed, message = load_with(store, story)
    assert message == ("The pack 'A Walk to Save' has changed since this save was made (it was version 1.0, it is "
                       "1.1 now): the saved scene 'fork' is not in this pack. The run goes back 1 choice, to "
                       "'The gate' at turn 6, the latest point of it that still fits.")
    assert (resumed.state.scene, resumed.state.turn) == ("gate", 6)
    assert resumed.state.values == run.undo_stack[-1].values
    assert resumed.choices == run.choices[:6]
    assert "fork" not in resumed.state.visits  # the visits of a scene that is gone are forgotten
    assert len(resumed.journal()) == 7
    assert resumed.undo() and resumed.state.scene == "well"  # the history that still fits stays undoable
    assert not resumed.undo()  # turn 4 stood in the fork
    resumed.choose(1)  # rest a while, and back to the fork, now called the crossing
    assert resumed.state.scene == "crossing"  # and the run goes on in the new pack


def test_a_narrowed_range_goes_back_to_a_value_inside_it(tmp_path: Path) -> None:
    run = walk_run()  # faith rises to 4
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("range: [0, 9]", "range: [0, 3]"), ("guide.faith >= 9", "guide.faith >= 3"))
    resumed, message = load_with(store, story)
    assert message is not None and "guide.faith = 4 is outside [0, 3]" in message
    assert resumed.state.values["guide.faith"] == 3
    assert resumed.state.turn == 3


def test_a_renamed_flag_goes_back_to_before_it_was_set(tmp_path: Path) -> None:
    run = walk_run(choices=(0, 0, 0))  # takes the left path: flags.took_left from turn 1 on
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("took_left: The left path was taken", "went_left: The left path was taken"),
                   ("flags.took_left", "flags.went_left"))
    resumed, message = load_with(store, story)
    assert message is not None
    assert "the saved value 'flags.took_left' is not declared in this pack" in message
    assert "goes back 3 choices, to 'The gate' at turn 0" in message
    assert resumed.state == Engine(story).start(7)
    assert resumed.choices == [] and resumed.journal()[0].title == "The gate"


def test_when_nothing_of_the_run_fits_it_starts_again_with_the_same_seed(tmp_path: Path) -> None:
    store = saved(tmp_path, walk_run())
    renames = [(f"{old}:", f"{new}:") for old, new in (("gate", "door"), ("fork", "path"), ("well", "pit"))]
    gotos = [(f"goto: {old}", f"goto: {new}") for old, new in (("gate", "door"), ("fork", "path"), ("well", "pit"))]
    story = edited(tmp_path, *renames, *gotos, ("start: gate", "start: door"))
    resumed, message = load_with(store, story)
    assert message is not None and message.endswith(
        "No earlier point of this run fits it, so the run starts again from the beginning, with the same seed.")
    assert resumed.state == Engine(story).start(7) and resumed.seed == 7


def test_history_that_no_longer_fits_shortens_undo_and_says_so(tmp_path: Path) -> None:
    run = walk_run()  # ends at the gate; the well was visited at turns 2 and 5
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("well:", "pit:"), ("goto: well", "goto: pit"))
    resumed, message = load_with(store, story)
    assert resumed.state.scene == "gate" and resumed.state.turn == 6
    assert message == ("The pack 'A Walk to Save' has changed since this save was made (it was version 1.0, it is "
                       "1.1 now), so you can undo only 0 choices from here.")


def test_choices_that_no_longer_replay_still_give_a_journal_and_undo(tmp_path: Path) -> None:
    run = walk_run()
    store = saved(tmp_path, run)
    # the fork's first two choices swap places: the recorded choice numbers now mean something else
    swapped = ("    - text: Walk on to the well.\n      goto: well\n    - text: Go back to the gate for a nut.\n"
               "      do: nuts += 1\n      goto: gate\n",
               "    - text: Go back to the gate for a nut.\n      do: nuts += 1\n      goto: gate\n"
               "    - text: Walk on to the well.\n      goto: well\n")
    story = edited(tmp_path, swapped)
    resumed, message = load_with(store, story)
    assert message is None and resumed.state == run.state
    journal = resumed.journal()
    assert len(journal) == 7
    assert [e.title for e in journal] == ["The gate", "The fork", "The well", "The gate", "The fork", "The well",
                                          "The gate"]
    assert journal[1].choice == "Go back to the gate for a nut."  # as the edited pack numbers it
    for _ in range(6):
        assert resumed.undo()
    assert resumed.journal()[0].title == "The gate"


def test_a_journal_beyond_the_undo_history_says_the_passage_changed(tmp_path: Path) -> None:
    run = Run.new(Engine(story_of(WALK)), 3)
    for _ in range(140):  # more turns than the undo history keeps
        run.choose(0)
    store = saved(tmp_path, run)
    story = edited(tmp_path, ("    - text: Take the left path.\n", "    - text: Wait for the rain to stop.\n"
                              "      goto: gate\n    - text: Take the left path.\n"))
    resumed, message = load_with(store, story)
    assert message is None
    journal = resumed.journal()
    assert len(journal) == 141
    assert journal[0].text == CHANGED_PASSAGE and journal[-2].text != CHANGED_PASSAGE


# -- the same pack, but the content does not fit: refused with a clear message ----------------------

@pytest.mark.parametrize("change, words", [
    ({"scene": "nowhere"}, "the saved scene 'nowhere' is not in this pack"),
    ({"values": {"guide.faith": 99}}, "the saved value guide.faith = 99 is outside [0, 9]"),
    ({"values": {"guide.tired": 1}}, "the saved value 'guide.tired' should be true or false"),
    ({"values": {"guide.faith": True}}, "the saved value 'guide.faith' should be a whole number"),
    ({"values": {"mystery": 1}}, "the saved value 'mystery' is not declared in this pack"),
])
def test_content_that_does_not_fit_its_own_pack_is_refused(tmp_path: Path, change: dict[str, object],
                                                           words: str) -> None:
    body = body_of(walk_run())
    body["state"] = {**body["state"], **change}
    assert words in refused(tmp_path, body)


def refused(tmp_path: Path, body: dict[str, Any]) -> str:
    """The message refusing a save of the walk pack (its own, unedited pack) with this body."""
    story = story_of(WALK)
    header = Header(story.id, story.version, story.content_hash, 0.0, "c", "t", 6)
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "mine.json").write_bytes(encode(header, body))
    with pytest.raises(SaveError) as caught:
        SaveStore(folder, story).load("mine", Engine(story))
    message = str(caught.value)
    assert message.startswith("the save in slot 'mine' does not fit the pack 'saves_walk': ")
    return message


@pytest.mark.parametrize("change, words", [
    ({"undo": [{"scene": "nowhere"}, {}, {}, {}, {}, {}]}, "its undo history is damaged (the saved scene 'nowhere'"),
    ({"start_scene": "nowhere"}, "the saved start scene 'nowhere' is not in this pack"),
])
def test_a_damaged_run_in_its_own_pack_is_refused(tmp_path: Path, change: dict[str, object], words: str) -> None:
    assert words in refused(tmp_path, {**body_of(walk_run()), **change})


def test_a_version_1_save_against_an_edited_pack_falls_back_too(tmp_path: Path) -> None:
    golden = json.loads((Path(__file__).parent / "golden_saves" / "v1_walk.json").read_text(encoding="utf-8"))
    golden["run"]["state"]["scene"] = "fork"  # pretend it stood in the fork
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "old.json").write_text(json.dumps(golden), encoding="utf-8")
    story = edited(tmp_path, ("fork:", "crossing:"), ("goto: fork", "goto: crossing"))
    resumed, message = SaveStore(folder, story).load("old", Engine(story))
    assert message is not None and "the saved scene 'fork' is not in this pack" in message
    assert "(it was version" not in message  # version 1 did not record the pack's version
    assert resumed.state.scene == "well"
